/**
 * Per-file data flow for the behaviour rules: which values come from sensitive sources (the network,
 * the host's identity, wallet / browser / credential files, decoders) and which sinks they reach
 * (eval and friends, child processes, network requests, DNS, file writes).
 *
 * The model is deliberately small and fast:
 * - names resolve through a light scope analysis (function, block, catch, for scopes), so that the
 *   `e`, `t`, `n` of minified code in one function never leak into another;
 * - taint is a bit set per symbol, flow-insensitive, and reaches a fixpoint in a few rounds;
 * - values flow through assignments, destructuring, object/array literals, concatenation,
 *   member reads, method calls (the result carries the receiver and the arguments), `await`,
 *   returns of local functions, arguments into local functions' parameters, callbacks of calls on
 *   tainted receivers (`.then(r => …)`, `res.on('data', d => …)`), network callbacks
 *   (`https.get(u, res => …)`), `new Promise(resolve => … resolve(x))`, and a few mutators
 *   (`a.push(x)`, `form.append(k, x)`, `buf += d`, `o.k = x`).
 *
 * Computed once per file at `Program:exit` (when every name of the file is bound), cached by the
 * Program node, and shared by every rule that asks.
 *
 * Across files (module-summary.ts, docs/cross-file-flow.md): the engine analyses a package's files
 * in dependency order; calls and values imported from the package's own files follow the summaries
 * of those files, calls of imported sink functions become events of the calling file (`cross`),
 * and each file's own exports are summarised for the files that import it.
 */
import type * as t from '@babel/types'
import type { ModuleRef, RuleContext, SourceFileView } from '../types.ts'
import { GLOBAL_OBJECTS } from './bindings.ts'
import { patternIdentifiers } from './interpret.ts'
import { walk } from './walk.ts'
import { classifyPath, parseUrl, type UrlParts } from './sensitive-paths.ts'
import { CHILD_PROCESS_FUNCTIONS, NETWORK_MODULES, locate } from './sinks.ts'
import { exportOf, hasSummaries, hop, importedModule, isRelative, joinVia, recordSummary, SUMMARY_LIMITS, type ExportSummary, type ModuleSummary, type SinkSummary, type Site } from './module-summary.ts'

// ---------------------------------------------------------------- labels

export const L = {
  NET: 1 << 0, // data received from the network
  NETOBJ: 1 << 1, // a network handle: request, response, socket, client, promise of one
  ENV: 1 << 2, // the whole process.env
  HOSTNAME: 1 << 3,
  USER: 1 << 4,
  NETIF: 1 << 5, // network interfaces: MAC and IP addresses
  HOMEDIR: 1 << 6, // the home directory (a path under it names the user)
  CWD: 1 << 7, // process.cwd(), __dirname, __filename
  PLATFORM: 1 << 8, // platform, arch, release, cpus …
  PKG: 1 << 9, // the package's own name / version
  WALLET: 1 << 10, // content of a wallet location
  BROWSER: 1 << 11, // content of a browser credential store
  CRED: 1 << 12, // content of a credential file
  FILE: 1 << 13, // content of another file
  ASSET: 1 << 14, // content of an image / font asset
  DECODED: 1 << 15, // base64 / hex / XOR / custom-decoded data, or an encoded payload literal
  CLIPBOARD: 1 << 16,
  P_WALLET: 1 << 17, // a path naming a wallet location
  P_BROWSER: 1 << 18, // a path naming a browser credential store
  P_PROFILE: 1 << 19, // a path naming browser profiles
  P_CRED: 1 << 20, // a path naming a credential file
  P_ASSET: 1 << 21,
  P_TMP: 1 << 22, // a path under the OS temp dir
  DROPPED: 1 << 23, // a path of a file this code wrote with network or decoded data
  DYNREQ: 1 << 24, // a module loaded by a computed name
  CMDOUT: 1 << 25, // output of a child process
  ENVKEY: 1 << 26, // a secret-looking single environment variable
  HIDDEN: 1 << 27, // a payload hidden in invisible Unicode characters
  PARAM: 1 << 28, // an argument of an exported function (what its callers in other files pass in)
  PARAM_MEMBER: 1 << 29, // a member of such an argument (`opts.url`): not the whole of what was passed
  PARAM_FILE: 1 << 30, // the path of a file such an argument was written to
} as const

export const HOST_IDS = L.HOSTNAME | L.USER | L.NETIF | L.HOMEDIR | L.CWD
export const STOLEN = L.ENV | L.WALLET | L.BROWSER | L.CRED | L.CLIPBOARD
/** Labels that a helper's local may have only because some other caller passed them in. */
const PARAM_SENSITIVE = 0
export const PATH_LABELS = L.P_WALLET | L.P_BROWSER | L.P_PROFILE | L.P_CRED | L.P_ASSET | L.P_TMP | L.DROPPED

/** Labels of values read somewhere (as opposed to handles, paths and parameters), named in cross-file notes. */
export const CARRIED = ~(L.NETOBJ | L.PARAM | L.PARAM_MEMBER | L.PARAM_FILE)
/**
 * Labels that make a file worth analysing just because it imports them (stolen data, host
 * identities, sensitive paths). Network data, decoded data and the like matter only where a sink
 * is, and a file with a sink is analysed anyway.
 */
const STRONG = STOLEN | L.HOSTNAME | L.USER | L.NETIF | L.ENVKEY | L.P_WALLET | L.P_BROWSER | L.P_PROFILE | L.P_CRED

/** An exported function's arguments, whole, in part, or written to a file. */
const PARAMS = L.PARAM | L.PARAM_MEMBER | L.PARAM_FILE

/** What running a file written with data labelled `taint` runs: a dropped payload when the data was downloaded or decoded. */
function droppedLabels(taint: number): number {
  return (taint & (L.NET | L.DECODED) ? L.DROPPED : 0) | (taint & PARAMS ? L.PARAM_FILE : 0)
}

/** The labels of a member of a value: one variable of the environment is not the environment, a part of an argument is not all of it. */
function memberLabels(taint: number): number {
  const rest = taint & ~(L.ENV | L.PARAM)
  return taint & L.PARAM ? rest | L.PARAM_MEMBER : rest
}

export function labelNames(taint: number): string[] {
  return Object.entries(L)
    .filter(([, bit]) => (taint & bit) !== 0)
    .map(([name]) => name)
}

// ---------------------------------------------------------------- results

type CallNode = t.CallExpression | t.OptionalCallExpression | t.NewExpression
type FnNode = t.Function

/** How an event links to other files of the package (module-summary.ts). */
export interface CrossFile {
  /**
   * This call hands its arguments to an exported function of another file, which passes them to
   * the sink at `site`. `fromCall`: the sink's operand (URL, command, path) was described from this
   * call's arguments, so `text` / `urlText` / `pathText` are new facts, not the other file's.
   */
  sink?: { site: Site; via: string; fromCall: boolean; depth: number; operand?: number }
  /** Values read in other files (through their exports) that reach this event. */
  sources?: Array<{ labels: number; site: Site; via: string }>
}

export interface ExecEvent {
  kind: 'exec'
  node: CallNode
  /** eval, Function, vm.runInThisContext, child_process.exec, require, import, setTimeout … */
  api: string
  family: 'eval' | 'process' | 'require'
  /** Taint of the code / command / module name. */
  taint: number
  /** The command or code as far as it folds (`*` for unknown parts). */
  text: string
  /** child_process options: detached + ignored stdio, windowsHide. */
  options?: { detached: boolean; stdioIgnored: boolean; windowsHide: boolean; unref: boolean }
  /** The child process' argument list (spawn/execFile/fork). */
  args?: t.Node[]
  /** Taint of the program or command string alone (first argument), without the argument list. */
  programTaint?: number
  cross?: CrossFile
}

export interface NetworkEvent {
  kind: 'network'
  node: CallNode
  api: string
  /** Destination as far as it folds. */
  url?: UrlParts
  urlText: string
  /** Union of the taint of everything handed to the call (URL, body, headers, form). */
  taint: number
  /** DNS query: the host name is the data. */
  dns: boolean
  cross?: CrossFile
}

export interface FileEvent {
  kind: 'read' | 'write'
  node: CallNode
  api: string
  /** Path as far as it folds: `~` for the home dir, `<tmp>` for the temp dir, `*` for unknown parts. */
  pathText: string
  pathTaint: number
  /** Write: taint of the data written. Read: the content label given to the result. */
  dataTaint: number
  /** Only checks existence / metadata (existsSync, statSync, access). */
  probe: boolean
  cross?: CrossFile
}

export interface FlowResult {
  /** Number of calls in the file: large bundles merge more values, so flows in them are less certain. */
  calls: number
  exec: ExecEvent[]
  network: NetworkEvent[]
  files: FileEvent[]
  /** Taint of an expression of this file after the fixpoint. */
  taintOf(node: t.Node | null | undefined): number
  /** The expression's static text as far as it folds. */
  describe(node: t.Node | null | undefined): string
}

// ---------------------------------------------------------------- scopes

interface Sym {
  name: string
  taint: number
  /** Function values bound to the name (declarations, `const f = () => …`, functions passed as arguments): add with `bindFn`. */
  fns: ReadonlySet<FnNode>
  /** Initialisers and assigned values, for describing paths (only the single one is followed). */
  inits: t.Node[]
  global: boolean
  /** The function whose body declares the symbol. */
  owner?: FnNode
  /** A parameter: which function, which position (for describing it from the call sites). */
  param?: { fn: FnNode; index: number }
  /** Edges that read this symbol: re-run when it changes. */
  readers?: Set<number>
  /** Bound to an export of another file of the package: `const { collect } = require('./collect')`. */
  imported?: ImportedRef
}

interface ImportedRef {
  path: string
  member: string
  summary: ModuleSummary
}

/** An export of the file: `module.exports.x = v`, `export function x`, `export * from './y'` … */
interface ExportEntry {
  name: string
  value?: t.Node
  /** Re-exports: `export { a as b } from './y'`, `export * from './y'`, `__exportStar(require('./y'), exports)`. */
  from?: { spec: string; member: string; star: boolean }
  /** The `module` / `exports` name of a CommonJS export (exports only when it is the global one). */
  target?: t.Identifier
}


/** Most names are bound to no function: they share this set until `bindFn` gives them their own. */
const NO_BOUND_FNS: ReadonlySet<FnNode> = new Set()

function bindFn(sym: Sym, fn: FnNode): void {
  if (sym.fns === NO_BOUND_FNS) sym.fns = new Set([fn])
  else (sym.fns as Set<FnNode>).add(fn)
}

const NO_VARS: ReadonlyMap<string, Sym> = new Map()

class Scope {
  /** The names declared in the scope (a shared empty map until the first: most blocks declare none). */
  vars: ReadonlyMap<string, Sym> = NO_VARS
  readonly parent: Scope | undefined
  readonly isFunction: boolean
  /** The function this scope belongs to (undefined for the program). */
  fn: FnNode | undefined
  constructor(parent: Scope | undefined, isFunction: boolean, fn?: FnNode) {
    this.parent = parent
    this.isFunction = isFunction
    this.fn = isFunction ? fn : parent?.fn
  }
  fnScope(): Scope {
    let s: Scope = this
    while (!s.isFunction && s.parent) s = s.parent
    return s
  }
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod'])
const BLOCK_SCOPE_TYPES = new Set(['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'CatchClause', 'SwitchStatement', 'StaticBlock'])

const cache = new WeakMap<t.Program, FlowResult>()
/** Each identifier's scope is kept on the node itself, under a symbol: far cheaper than a map of every identifier. */
const scopeKey = Symbol('tarsier.scope')
const symKey = Symbol('tarsier.sym')

/** The data flow of the file being analysed (call it from `Program:exit`; cached per file). */
export function flowOf(program: t.Program, ctx: RuleContext): FlowResult {
  let result = cache.get(program)
  if (!result) {
    try {
      if (gate.get(program) === false && !deferredRelevant(program, ctx)) {
        result = emptyFlow(program, ctx)
        recordConstantExports(program, ctx)
      } else {
        result = analyzeFlow(program, ctx)
      }
    } catch (error) {
      // Reported once (by the rule that asked first); the other rules see an empty flow.
      cache.set(program, emptyFlow(program, ctx))
      throw error
    }
    cache.set(program, result)
  }
  return result
}

// ---------------------------------------------------------------- gate

/**
 * Whether a file has any call that the flow analysis cares about (a source or a sink), decided
 * during the engine's walk by `flowGateListeners` (registered by one rule). Files without one skip
 * the analysis: most files of most packages only compute. Absent (no gate rule active, e.g. a rule
 * tested alone) means "analyse".
 */
const gate = new WeakMap<t.Program, boolean>()
/**
 * Calls the gate judges only at `Program:exit`, when every name of the file is bound: a method
 * such as `exec` or `readFileSync` on a receiver not (yet) known to be a module, and callees that
 * are neither a name nor a member (`(0, lib.f)(x)` of compiled code, IIFEs, `super()`). Nearly all
 * are `RegExp#exec` and the like, which the analysis would classify as nothing and leave at once,
 * after building the file's scopes and edges.
 */
const deferred = new WeakMap<t.Program, CallNode[]>()
const MAX_DEFERRED = 10_000

const GATE_GLOBALS = new Set(['eval', 'Function', 'fetch', 'atob', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'io', 'AsyncFunction'])
/** Method names that matter even when the receiver is not known to be a module when walked (bound later in the file): judged again at the end. */
const GATE_STRONG_MEMBERS = /^(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork|readFileSync|readdirSync|createReadStream|writeFileSync|createWriteStream|hostname|userInfo|homedir|networkInterfaces|runInThisContext|runInNewContext|runInContext|compileFunction|_compile|fromCharCode|fromCodePoint|constructor|resolve4|resolve6|resolveTxt)$/
let GATE_FS: Set<string> | undefined

const gateFor = (ctx: RuleContext): t.Program | undefined => {
  const root = ctx.ancestors()[0]
  return root?.type === 'Program' ? root : undefined
}

/** Listeners for the rule that hosts the gate: marks the file's Program when it has a relevant call. */
export const flowGateListeners = {
  Program(node: t.Program) {
    if (!gate.has(node)) gate.set(node, false)
  },
  CallExpression(node: t.CallExpression, ctx: RuleContext) {
    gateCall(node, ctx)
  },
  NewExpression(node: t.NewExpression, ctx: RuleContext) {
    gateCall(node, ctx)
  },
  OptionalCallExpression(node: t.OptionalCallExpression, ctx: RuleContext) {
    gateCall(node, ctx)
  },
  ImportExpression(node: t.ImportExpression, ctx: RuleContext) {
    const program = gateFor(ctx)
    if (!program) return
    const spec = ctx.staticString(node.source)
    if (spec === undefined || summarizedImport(spec, ctx)) gate.set(program, true)
  },
  // Imports of the package's own files whose exports carry sources or reach sinks (module-summary.ts)
  ImportDeclaration(node: t.ImportDeclaration, ctx: RuleContext) {
    gateImport(node.source.value, ctx)
  },
  ExportAllDeclaration(node: t.ExportAllDeclaration, ctx: RuleContext) {
    gateImport(node.source.value, ctx)
  },
  ExportNamedDeclaration(node: t.ExportNamedDeclaration, ctx: RuleContext) {
    if (node.source) gateImport(node.source.value, ctx)
  },
  // process.env as a whole is a source without any call: `module.exports = () => ({ ...process.env })`
  MemberExpression(node: t.MemberExpression, ctx: RuleContext) {
    if (node.object.type !== 'Identifier' || node.object.name !== 'process' || node.computed || node.property.type !== 'Identifier' || node.property.name !== 'env') return
    const program = gateFor(ctx)
    if (!program || gate.get(program) === true) return
    const parent = ctx.ancestors().at(-1)
    if (parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === node) return
    gate.set(program, true)
  },
}

/** Whether a file imports a module of the package whose exports carry stolen data or reach a sink. */
function summarizedImport(spec: string, ctx: RuleContext): boolean {
  return !!ctx.file && isRelative(spec) && importedModule(ctx.pkg, ctx.file.path, spec)?.summary.strong === true
}

function gateImport(spec: string, ctx: RuleContext): void {
  const program = gateFor(ctx)
  if (program && gate.get(program) !== true && summarizedImport(spec, ctx)) gate.set(program, true)
}

function relevantModule(module: string, member: string): boolean {
  const last = member.replace(/^(?:promises|default)\./, '')
  GATE_FS ??= new Set([...FS_READS, ...FS_PROBES, ...FS_WRITES, ...FS_MOVES, 'rm', 'rmSync', 'remove', 'removeSync', 'rmdir', 'rmdirSync', 'emptyDir', 'emptyDirSync'])
  if (FS_MODULES.has(module)) return GATE_FS.has(last)
  if (module === 'os' || module === 'vm' || module === 'dns' || module === 'dns/promises' || module === 'clipboardy' || module === 'rimraf' || module === 'del') return true
  if (PROCESS_MODULES.has(module)) return true
  if (module === 'zlib') return /(?:inflate|gunzip|unzip|brotliDecompress)/i.test(last)
  if (NETWORK_MODULES.has(module)) return !NOT_REQUESTS.has(last.split('.').pop() ?? '')
  if (module === 'process') return last === 'cwd'
  return false
}

function gateCall(node: CallNode, ctx: RuleContext): void {
  const program = gateFor(ctx)
  if (!program || gate.get(program) === true) return
  const callee = node.callee
  let relevant = false
  if (node.arguments.some((a) => a.type === 'Identifier' && a.name === 'eval')) relevant = true
  else if (callee.type === 'Identifier') {
    if (GATE_GLOBALS.has(callee.name)) relevant = true
    else if (callee.name === 'require') {
      const spec = node.arguments.length > 0 ? ctx.staticString(node.arguments[0] as t.Node) : ''
      relevant = spec === undefined || (spec !== '' && summarizedImport(spec, ctx))
    }
    else if (callee.name === 'setTimeout' || callee.name === 'setInterval') relevant = !!node.arguments[0] && (node.arguments[0].type === 'StringLiteral' || node.arguments[0].type === 'BinaryExpression' || node.arguments[0].type === 'TemplateLiteral')
    else {
      const ref = ctx.moduleOf(callee)
      relevant = !!ref && relevantModule(ref.module, ref.member)
    }
  } else if (callee.type === 'Import') {
    relevant = ctx.staticString(node.arguments[0] as t.Node) === undefined
  } else if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
    const ref = ctx.moduleOf(callee)
    if (ref) relevant = relevantModule(ref.module, ref.member)
    else {
      const name = propName(callee, ctx)
      const obj = callee.object
      if (obj.type === 'Identifier' && obj.name === 'Buffer') {
        if (name === 'from' && node.arguments.length > 1) defer(program, node)
      } else if (obj.type === 'Identifier' && obj.name === 'String') relevant = name === 'fromCharCode' || name === 'fromCodePoint'
      else if (obj.type === 'Identifier' && GLOBAL_OBJECTS.has(obj.name)) relevant = name === 'eval' || name === 'fetch' || name === 'Function'
      else if (obj.type === 'Identifier' && obj.name === 'process') relevant = name === 'cwd'
      else if ((name !== undefined && GATE_STRONG_MEMBERS.test(name)) || (callee.computed && obj.type === 'CallExpression')) defer(program, node)
    }
  } else {
    defer(program, node) // (0, eval)(x), (0, lib.f)(x), (a || b)(x), f()(x), super(x), IIFEs
  }
  if (relevant) gate.set(program, true)
}

function defer(program: t.Program, call: CallNode): void {
  let calls = deferred.get(program)
  if (!calls) deferred.set(program, (calls = []))
  if (calls.length < MAX_DEFERRED) calls.push(call)
  else gate.set(program, true)
}

/**
 * Whether a deferred call can be a source or a sink now that the file's names are bound: the cases
 * where the analysis would classify it as one (`classifyUncached`), judged without its scopes, so
 * a little wider (a shadowed `Buffer` still counts). Sends on a handle (`req.write(x)`) are not
 * among them: they are events only when some other call of the file is a network source.
 */
function deferredRelevant(program: t.Program, ctx: RuleContext): boolean {
  const calls = deferred.get(program)
  if (!calls) return false
  return calls.some((call) => deferredCallRelevant(call, ctx))
}

function deferredCallRelevant(call: CallNode, ctx: RuleContext): boolean {
  const callee = call.callee
  const ref = ctx.moduleOf(callee)
  if (ref) return relevantModule(ref.module, ref.member) || summarizedImport(ref.module, ctx)
  if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
    const name = propName(callee, ctx)
    const obj = callee.object
    if (obj.type === 'Identifier' && obj.name === 'Buffer' && name === 'from') {
      const encoding = ctx.staticString(call.arguments[1] as t.Node)
      return encoding === 'base64' || encoding === 'hex' || encoding === 'base64url'
    }
    return name === '_compile' || evalMemberKind(callee, ctx) !== undefined || obfuscatedApiCall(callee, ctx)
  }
  // What the analysis sees through to find eval (its evalKind): parentheses, the last of a sequence.
  let inner: t.Node = callee
  for (let i = 0; i < 8 && (inner.type === 'ParenthesizedExpression' || inner.type === 'SequenceExpression'); i++) {
    inner = inner.type === 'ParenthesizedExpression' ? inner.expression : inner.expressions[inner.expressions.length - 1]!
  }
  if (inner.type === 'Identifier') return true // (0, eval)(x), or a name that may be bound to eval
  if (inner.type === 'MemberExpression' || inner.type === 'OptionalMemberExpression') return evalMemberKind(inner, ctx) !== undefined
  return false
}

/** `globalThis.eval` → eval; `window.Function`, `Function.constructor`, `(function(){}).constructor`, `x.constructor.constructor` → Function. */
function evalMemberKind(member: t.MemberExpression | t.OptionalMemberExpression, ctx: RuleContext): 'eval' | 'function' | undefined {
  const name = propName(member, ctx)
  const obj = member.object
  if ((name === 'eval' || name === 'Function') && obj.type === 'Identifier' && GLOBAL_OBJECTS.has(obj.name)) return name === 'eval' ? 'eval' : 'function'
  if (name !== 'constructor') return undefined
  const ofFunction = (obj.type === 'Identifier' && obj.name === 'Function') || isFn(obj) || ((obj.type === 'MemberExpression' || obj.type === 'OptionalMemberExpression') && propName(obj, ctx) === 'constructor')
  return ofFunction ? 'function' : undefined
}

/** `<call with a computed argument>[<computed name>](…)`, e.g. `r(d[1])[d[2]](url, data)`: API obfuscation, taken for a request. */
function obfuscatedApiCall(callee: t.MemberExpression | t.OptionalMemberExpression, ctx: RuleContext): boolean {
  if (!callee.computed || callee.property.type === 'StringLiteral' || callee.property.type === 'NumericLiteral') return false
  const obj = callee.object
  const arg = obj.type === 'CallExpression' ? (obj.arguments[0] as t.Node | undefined) : undefined
  if (obj.type !== 'CallExpression' || !arg || arg.type === 'StringLiteral' || arg.type === 'TemplateLiteral' || ctx.moduleOf(obj.callee)) return false
  const name = ctx.staticString(arg)
  const member = ctx.staticString(callee.property)
  return name === undefined || NETWORK_MODULES.has(name) || /^(?:get|post|put|patch|request)$/i.test(member ?? '')
}

/** The labels of a string by what it names: wallet, browser, credential and asset paths, the home and temp directories, encoded payloads. */
function textLabels(text: string): number {
  if (text.length < 3) return 0
  let taint = 0
  for (const target of classifyPath(text)) {
    if (target.kind === 'wallet') taint |= L.P_WALLET
    else if (target.kind === 'browser-store') taint |= L.P_BROWSER
    else if (target.kind === 'browser-profile') taint |= L.P_PROFILE
    else if (target.kind === 'credential') taint |= L.P_CRED
    else if (target.kind === 'asset') taint |= L.P_ASSET
  }
  if (text.startsWith('~/') || text.startsWith('~\\')) taint |= L.HOMEDIR
  if (text.includes('<tmp>')) taint |= L.P_TMP
  if (text.length >= 62 && text.includes(BASE64_ALPHABET)) taint |= L.DECODED
  if (text.length >= 16 && INVISIBLE_RUN.test(text)) taint |= L.DECODED | L.HIDDEN
  if (ASSET_DIR.test(text)) taint |= L.P_ASSET
  return taint
}

/** Static text worth carrying to importers: a path that names something, or a URL. */
function usefulText(text: string, labels: number): boolean {
  return text !== '*' && text.length <= SUMMARY_LIMITS.text && (labels !== 0 || !!parseUrl(text))
}

/**
 * The exports of a file that the flow analysis skips (no source or sink in it): constants only,
 * such as a module of wallet paths or of a collector's address, so that the files importing them
 * see the paths and hosts. Top-level statements only; literals, arrays and objects of them.
 */
function recordConstantExports(program: t.Program, ctx: RuleContext): void {
  const file = ctx.file
  if (!file) return
  const out = new Map<string, ExportSummary>()
  let budget = 2000
  const valueOf = (name: string, node: t.Node | null | undefined, depth: number): number => {
    if (!node || budget-- <= 0 || out.size >= SUMMARY_LIMITS.exports) return 0
    let value: t.Node = node
    if (value.type === 'Identifier') value = ctx.initOf(value) ?? value
    let labels = 0
    let text: string | undefined
    if (value.type === 'ArrayExpression') {
      for (const element of value.elements.slice(0, 200)) if (element && element.type !== 'SpreadElement') labels |= valueOf('', element, depth + 1)
    } else if (value.type === 'ObjectExpression') {
      if (depth >= 2) return 0
      for (const p of value.properties.slice(0, 200)) {
        if (p.type !== 'ObjectProperty' || p.computed) continue
        const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : undefined
        if (key !== undefined) labels |= valueOf(name === '' ? key : `${name}.${key}`, p.value, depth + 1)
      }
    } else {
      const folded = ctx.staticString(value)
      if (folded === undefined) return 0
      labels = textLabels(folded)
      if (usefulText(folded, labels)) text = folded
    }
    if (name !== '' || depth === 0) {
      if ((labels !== 0 || text !== undefined) && !out.has(name)) out.set(name, { value: labels, returns: 0, fn: false, sinks: [], ...(text !== undefined && { text }), source: { site: siteOf(file, value), via: hop(name, file.path, false), depth: 1 } })
    }
    return labels
  }
  for (const statement of program.body.slice(0, 2000)) {
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression' && statement.expression.operator === '=' && statement.expression.left.type === 'MemberExpression') {
      const name = cjsExportName(statement.expression.left, ctx)
      if (name !== undefined) valueOf(name, innermostValue(statement.expression.right), 0)
    } else if (statement.type === 'ExportNamedDeclaration' && statement.declaration?.type === 'VariableDeclaration') {
      for (const d of statement.declaration.declarations) if (d.id.type === 'Identifier') valueOf(d.id.name, d.init, 0)
    } else if (statement.type === 'ExportDefaultDeclaration') {
      valueOf('default', statement.declaration, 0)
    }
  }
  if (out.size === 0) return
  recordSummary(ctx.pkg, file.path, { exports: out, strong: [...out.values()].some((exp) => (exp.value & STRONG) !== 0) })
}

function siteOf(file: SourceFileView, node: t.Node | undefined): Site {
  const where = locate(file, node)
  return { file: where.file, ...(where.line !== undefined && { line: where.line }), ...(where.column !== undefined && { column: where.column }), ...(where.snippet !== undefined && { snippet: where.snippet }) }
}

function emptyFlow(program: t.Program, ctx: RuleContext): FlowResult {
  return { calls: 0, exec: [], network: [], files: [], taintOf: () => 0, describe: (n) => (n ? (ctx.staticString(n) ?? '*') : '*') }
}

const FS_MODULES = new Set(['fs', 'fs/promises', 'graceful-fs', 'fs-extra', 'original-fs', 'jsonfile'])
const FS_READS = new Set(['readFileSync', 'readFile', 'createReadStream', 'readdirSync', 'readdir', 'opendir', 'opendirSync', 'readJson', 'readJsonSync', 'readJSON', 'readJSONSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'copy', 'copySync', 'readlink', 'readlinkSync', 'readv', 'readvSync'])
const FS_PROBES = new Set(['existsSync', 'exists', 'statSync', 'stat', 'lstatSync', 'lstat', 'accessSync', 'access', 'pathExists', 'pathExistsSync'])
const FS_WRITES = new Set(['writeFileSync', 'writeFile', 'appendFileSync', 'appendFile', 'createWriteStream', 'outputFile', 'outputFileSync', 'writeJson', 'writeJsonSync', 'outputJson', 'outputJsonSync'])
const FS_MOVES = new Set(['renameSync', 'rename', 'copyFileSync', 'copyFile', 'move', 'moveSync', 'copy', 'copySync', 'cpSync', 'cp'])
const PROCESS_MODULES = new Set(['child_process', 'execa', 'shelljs', 'cross-spawn', 'node:child_process'])
const VM_FUNCTIONS = new Set(['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'Script', 'SourceTextModule', 'createScript'])
/** Member reads that are still network handles. */
const HANDLE_PROPS = new Set(['socket', 'connection', 'req', 'res', 'request', 'response', 'client', 'io', 'stream', 'body'])
/** Methods that return the handle (or a promise of it) again. */
const CHAINABLE = new Set(['on', 'once', 'addListener', 'prependListener', 'setEncoding', 'setTimeout', 'setHeader', 'setNoDelay', 'setKeepAlive', 'catch', 'finally', 'connect', 'open', 'set', 'header', 'type', 'send', 'query', 'field', 'attach'])
const NOT_REQUESTS = new Set(['createSecureServer', 'createServer', 'Server', 'WebSocketServer', 'listen', 'Agent', 'isIP', 'isIPv4', 'isIPv6', 'STATUS_CODES', 'METHODS', 'globalAgent', 'isAxiosError', 'isCancel', 'CancelToken', 'setDefaultResultOrder', 'getServers', 'setServers', 'validateHeaderName', 'validateHeaderValue', 'maxHeaderSize', 'createSecureContext', 'checkServerIdentity', 'getCiphers', 'BlockList', 'SocketAddress', 'isAbsolute'])
const SEND_METHODS = new Set(['write', 'end', 'send', 'emit', 'post', 'put', 'patch', 'get', 'request', 'connect', 'sendMessage', 'sendDocument', 'upload', 'fetch', 'submit'])
const MUTATORS = new Set(['push', 'unshift', 'append', 'set', 'add', 'assign', 'splice', 'write', 'concat'])
const SANITIZERS = /^(?:UTF8ToString|UTF16ToString|UTF32ToString|AsciiToString|UTF8ArrayToString|readLatin1String|digest|sign|signTransaction|signAllTransactions|signMessage|hash|hashSync|createHash|createHmac|hmac|sha1|sha256|sha512|md5|encrypt|fromSecretKey|fromSeed|createSign|test|includes|startsWith|endsWith|has|existsSync|statSync|size|keys|length)$/
const OS_LABELS: Record<string, number> = {
  hostname: L.HOSTNAME,
  userInfo: L.USER | L.HOMEDIR,
  networkInterfaces: L.NETIF,
  homedir: L.HOMEDIR,
  tmpdir: L.P_TMP,
  platform: L.PLATFORM,
  type: L.PLATFORM,
  release: L.PLATFORM,
  arch: L.PLATFORM,
  version: L.PLATFORM,
  machine: L.PLATFORM,
  cpus: L.PLATFORM,
  totalmem: L.PLATFORM,
  freemem: L.PLATFORM,
  uptime: L.PLATFORM,
  loadavg: L.PLATFORM,
  endianness: L.PLATFORM,
}
const ENV_LABELS: Record<string, number> = {
  HOME: L.HOMEDIR,
  USERPROFILE: L.HOMEDIR,
  APPDATA: L.HOMEDIR,
  LOCALAPPDATA: L.HOMEDIR,
  HOMEPATH: L.HOMEDIR,
  USER: L.USER,
  USERNAME: L.USER,
  LOGNAME: L.USER,
  HOSTNAME: L.HOSTNAME,
  COMPUTERNAME: L.HOSTNAME,
  USERDOMAIN: L.HOSTNAME,
  npm_package_name: L.PKG,
  npm_package_version: L.PKG,
  TMPDIR: L.P_TMP,
  TEMP: L.P_TMP,
  TMP: L.P_TMP,
  PWD: L.CWD,
  INIT_CWD: L.CWD,
}
const SECRET_ENV = /token|secret|passw|api_?key|private|credential|auth/i
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const INVISIBLE_RUN = /[\uFE00-\uFE0F\u200B-\u200D\u2060-\u2064\u{E0100}-\u{E01EF}\u{E0000}-\u{E007F}]{16}/u
const ASSET_DIR = /(?:^|[/\\])(?:assets?|images?|img|icons?|flags|fonts|media)(?:[/\\]|$)/i
const MAX_DEPTH = 60
const NO_FNS: readonly FnNode[] = Object.freeze([])
/** Files with more calls than this are analysed with a bounded fixpoint. */
const HUGE_CALLS = 30_000
/** Context-sensitive helper evaluations per file; past this, helpers' results are merged. */
const CONTEXT_BUDGET = 20_000
const MAX_ROUNDS = 8

/** Operands of a chain of `+`, left to right, without recursion (minified code nests them thousands deep). */
function plusLeaves(node: t.BinaryExpression): t.Node[] {
  const out: t.Node[] = []
  const stack: t.Node[] = [node]
  while (stack.length > 0) {
    const n = stack.pop()!
    if (n.type === 'BinaryExpression' && n.operator === '+' && out.length + stack.length < 5000) {
      stack.push(n.right, n.left)
    } else {
      out.push(n)
    }
  }
  return out
}

function propName(node: t.MemberExpression | t.OptionalMemberExpression, ctx: RuleContext): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined
  return ctx.staticString(node.property)
}

function isFn(node: t.Node | null | undefined): node is FnNode {
  return !!node && FUNCTION_TYPES.has(node.type)
}

function patternIds(node: t.Node | null | undefined): t.Identifier[] {
  if (node?.type === 'Identifier') return [node]
  const out: t.Identifier[] = []
  // A TypeScript constructor parameter property (`constructor(private key)`) declares its parameter.
  patternIdentifiers(node?.type === 'TSParameterProperty' ? node.parameter : node, (id) => out.push(id))
  return out
}

/** The identifier at the root of a member chain: `a` in `a.b[c].d`. */
function rootId(node: t.Node): t.Identifier | undefined {
  let n: t.Node = node
  for (let i = 0; i < 50; i++) {
    if (n.type === 'Identifier') return n
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') n = n.object
    else if (n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression') n = n.expression
    else return undefined
  }
  return undefined
}

// ---------------------------------------------------------------- exports and imports (syntax)

/** `module.exports` → `''`, `exports.x` / `module.exports.x` → `x`; the `module` / `exports` name is checked later. */
function cjsExportName(left: t.MemberExpression, ctx: RuleContext): string | undefined {
  const obj = left.object
  const name = propName(left, ctx)
  if (name === undefined) return undefined
  if (obj.type === 'Identifier') {
    if (obj.name === 'module' && name === 'exports') return ''
    if (obj.name === 'exports') return name
    return undefined
  }
  if (obj.type === 'MemberExpression' && obj.object.type === 'Identifier' && obj.object.name === 'module' && propName(obj, ctx) === 'exports') return name
  return undefined
}

/** The identifier `module` or `exports` an export assignment goes through, to check that it is the global one. */
export function exportTarget(node: t.Node): t.Identifier | undefined {
  const id = rootId(node)
  return id && (id.name === 'module' || id.name === 'exports') ? id : undefined
}

/** `module.exports = exports = x` → `x`. */
function innermostValue(node: t.Node): t.Node {
  let n = node
  for (let i = 0; i < 10 && n.type === 'AssignmentExpression'; i++) n = n.right
  return n
}

/** `Object.defineProperty(exports, 'x', { get() { return y } })` and `__exportStar(require('./y'), exports)`. */
function collectCjsCallExport(call: t.CallExpression, add: (e: ExportEntry & { target?: t.Identifier }) => void, ctx: RuleContext): void {
  const callee = call.callee
  const args = call.arguments
  const calleeName = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? propName(callee, ctx) : undefined
  if (calleeName === 'defineProperty' && callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Object' && args.length >= 3) {
    const target = args[0]!
    const isExports = (target.type === 'Identifier' && target.name === 'exports') || (target.type === 'MemberExpression' && cjsExportName(target, ctx) === '')
    const name = ctx.staticString(args[1] as t.Node)
    const descriptor = args[2]
    if (!isExports || name === undefined || name === '__esModule' || descriptor?.type !== 'ObjectExpression') return
    for (const p of descriptor.properties) {
      const key = p.type === 'ObjectProperty' || p.type === 'ObjectMethod' ? (p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : '') : ''
      if (key === 'value' && p.type === 'ObjectProperty') add({ name, value: p.value, target: exportTarget(target) })
      if (key === 'get') {
        const getter = p.type === 'ObjectMethod' ? p : p.type === 'ObjectProperty' && isFn(p.value) ? p.value : undefined
        const returned = getter ? singleReturn(getter) : undefined
        if (returned) add({ name, value: returned, target: exportTarget(target) })
      }
    }
    return
  }
  if (calleeName !== undefined && /^__export(?:Star)?$/.test(calleeName)) {
    const required = args[0]
    if (required?.type !== 'CallExpression' || required.callee.type !== 'Identifier' || required.callee.name !== 'require') return
    const spec = ctx.staticString(required.arguments[0] as t.Node)
    if (spec !== undefined && isRelative(spec)) add({ name: '', from: { spec, member: '', star: true } })
  }
}

function singleReturn(fn: FnNode): t.Node | undefined {
  if (fn.body.type !== 'BlockStatement') return fn.body
  const only = fn.body.body.length === 1 ? fn.body.body[0] : undefined
  return only?.type === 'ReturnStatement' ? (only.argument ?? undefined) : undefined
}

function collectEsmExport(node: t.ExportNamedDeclaration, add: (e: ExportEntry) => void, importSpecs: string[]): void {
  const nameOf = (n: t.Identifier | t.StringLiteral) => (n.type === 'Identifier' ? n.name : n.value)
  const spec = node.source?.value
  if (spec !== undefined) {
    if (!isRelative(spec)) return
    importSpecs.push(spec)
    for (const s of node.specifiers) {
      if (s.type === 'ExportSpecifier') add({ name: nameOf(s.exported), from: { spec, member: nameOf(s.local), star: false } })
      else if (s.type === 'ExportNamespaceSpecifier') add({ name: nameOf(s.exported), from: { spec, member: '', star: false } })
    }
    return
  }
  const d = node.declaration
  if ((d?.type === 'FunctionDeclaration' || d?.type === 'ClassDeclaration') && d.id) add({ name: d.id.name, value: d })
  else if (d?.type === 'VariableDeclaration') {
    for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) add({ name: v.id.name, value: v.init })
  }
  for (const s of node.specifiers) if (s.type === 'ExportSpecifier') add({ name: nameOf(s.exported), value: s.local })
}

/** A declaration whose value may come from another module: `require(…)`, `require(…).x`, `await import(…)`. */
function mayImport(init: t.Node): boolean {
  let n = init
  for (let i = 0; i < 10; i++) {
    if (n.type === 'AwaitExpression') n = n.argument
    else if (n.type === 'MemberExpression') n = n.object
    else break
  }
  if (n.type === 'ImportExpression') return true
  if (n.type !== 'CallExpression') return false
  const first = n.arguments[0]
  return !!first && (first.type === 'StringLiteral' || first.type === 'TemplateLiteral' || first.type === 'BinaryExpression')
}

/** An export re-exported by another file: one file further from its sources and sinks. */
function deepen(exp: ExportSummary): ExportSummary {
  const sinks = exp.sinks.filter((s) => s.depth < SUMMARY_LIMITS.depth).map((s) => ({ ...s, depth: s.depth + 1 }))
  return { ...exp, sinks, ...(exp.source && { source: { ...exp.source, depth: exp.source.depth + 1 } }) }
}

/** Two assignments to one export name (`module.exports.x = a` in two branches). */
function mergeExports(a: ExportSummary, b: ExportSummary): ExportSummary {
  const source = a.source ?? b.source
  const text = a.text ?? b.text
  return {
    value: a.value | b.value,
    returns: a.returns | b.returns,
    fn: a.fn || b.fn,
    sinks: [...a.sinks, ...b.sinks].slice(0, SUMMARY_LIMITS.sinks),
    ...(text !== undefined && { text }),
    ...(source && { source }),
  }
}

function analyzeFlow(program: t.Program, ctx: RuleContext): FlowResult {
  const SCOPE = scopeKey
  const scopeOfId = {
    has: (id: t.Identifier) => (id as unknown as Record<symbol, Scope>)[SCOPE] !== undefined,
    get: (id: t.Identifier) => (id as unknown as Record<symbol, Scope | undefined>)[SCOPE],
    set: (id: t.Identifier, scope: Scope) => {
      ;(id as unknown as Record<symbol, Scope>)[SCOPE] = scope
    },
  }
  const globals = new Map<string, Sym>()
  const calls: CallNode[] = []
  const tryStatements: t.TryStatement[] = []
  /** The calls inside each recorded try block: a run of `calls` (the walk is depth-first), from the block's entry to its exit. */
  const tryBlockCalls = new Map<t.BlockStatement, { from: number; to: number }>()
  const returns = new Map<FnNode, t.Node[]>()
  const edges: Array<() => void> = []
  const fnParamsScope = new Map<FnNode, Scope>()

  // ---- one walk: scopes, declarations, identifiers' scopes, calls, returns, assignments
  const root = new Scope(undefined, true)
  const stack: Scope[] = [root]
  const fnStack: FnNode[] = []
  const current = () => stack[stack.length - 1]!
  const declare = (scope: Scope, id: t.Identifier, init?: t.Node) => {
    let sym = scope.vars.get(id.name)
    if (!sym) {
      sym = { name: id.name, taint: 0, fns: NO_BOUND_FNS, inits: [], global: false, owner: scope.fn }
      if (scope.vars === NO_VARS) scope.vars = new Map()
      ;(scope.vars as Map<string, Sym>).set(id.name, sym)
    }
    if (init) {
      sym.inits.push(init)
      if (isFn(init)) bindFn(sym, init)
    }
    scopeOfId.set(id, scope)
    return sym
  }
  const pendingAssign: Array<[t.Identifier[], t.Node]> = []
  /** Cross-file bookkeeping: what the file exports, where calls and functions sit, what it imports. */
  const exportEntries: ExportEntry[] = []
  const enclosingFn = new Map<CallNode, FnNode>()
  const parentFn = new Map<FnNode, FnNode>()
  let childFns: Map<FnNode, FnNode[]> | undefined
  let callsIn: Map<FnNode, CallNode[]> | undefined
  const importSpecs: string[] = []
  const importedDeclarators: t.Node[] = []
  let wholeEnv = false
  const addExport = (entry: ExportEntry) => {
    if (exportEntries.length < SUMMARY_LIMITS.exports) exportEntries.push(entry)
  }

  walk(program, {
    enter(node, ancestors) {
      if (FUNCTION_TYPES.has(node.type)) {
        const fn = node as FnNode
        const outer = fnStack[fnStack.length - 1]
        if (outer) parentFn.set(fn, outer)
        if (fn.type === 'FunctionDeclaration' && fn.id) declare(current(), fn.id, fn)
        const scope = new Scope(current(), true, fn)
        if (fn.type === 'FunctionExpression' && fn.id) declare(scope, fn.id, fn)
        fn.params.forEach((p, index) => {
          for (const id of patternIds(p)) {
            const sym = declare(scope, id)
            if (p.type === 'Identifier' || (p.type === 'AssignmentPattern' && p.left.type === 'Identifier')) sym.param = { fn, index }
          }
        })
        fnParamsScope.set(fn, scope)
        stack.push(scope)
        fnStack.push(fn)
        if (fn.type === 'ArrowFunctionExpression' && fn.body.type !== 'BlockStatement') returns.set(fn, [fn.body])
        return
      }
      if (BLOCK_SCOPE_TYPES.has(node.type)) {
        const scope = new Scope(current(), false)
        stack.push(scope)
        if (node.type === 'CatchClause' && node.param) for (const id of patternIds(node.param)) declare(scope, id)
        if (node.type === 'ForOfStatement' || node.type === 'ForInStatement') {
          // for (x of xs) / for (k in o): x carries xs
          const target = node.left.type === 'VariableDeclaration' ? node.left.declarations[0]?.id : node.left
          pendingAssign.push([patternIds(target), node.right])
        }
        return
      }
      switch (node.type) {
        case 'VariableDeclaration': {
          const scope = node.kind === 'var' ? current().fnScope() : current()
          for (const d of node.declarations) {
            const ids = patternIds(d.id)
            for (const id of ids) declare(scope, id, d.id.type === 'Identifier' ? (d.init ?? undefined) : undefined)
            if (d.init) {
              pendingAssign.push([ids, d.init])
              if (mayImport(d.init) && importedDeclarators.length < 1000) importedDeclarators.push(d.id)
            }
          }
          break
        }
        case 'ClassDeclaration':
          if (node.id) declare(current(), node.id)
          break
        case 'ImportDeclaration':
          for (const s of node.specifiers) declare(root, s.local)
          if (isRelative(node.source.value)) {
            importSpecs.push(node.source.value)
            for (const s of node.specifiers) if (importedDeclarators.length < 1000) importedDeclarators.push(s.local)
          }
          break
        case 'ExportNamedDeclaration':
          collectEsmExport(node, addExport, importSpecs)
          break
        case 'ExportDefaultDeclaration':
          addExport({ name: 'default', value: node.declaration })
          break
        case 'ExportAllDeclaration':
          if (isRelative(node.source.value)) {
            importSpecs.push(node.source.value)
            addExport({ name: '', from: { spec: node.source.value, member: '', star: true } })
          }
          break
        case 'MemberExpression':
          // process.env as a whole (not process.env.X): a source even in a file without calls
          if (!wholeEnv && node.object.type === 'Identifier' && node.object.name === 'process' && propName(node, ctx) === 'env') {
            const parent = ancestors[ancestors.length - 1]
            wholeEnv = !(parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === node)
          }
          break
        case 'Identifier':
          if (!scopeOfId.has(node)) scopeOfId.set(node, current())
          break
        case 'CallExpression':
        case 'OptionalCallExpression':
        case 'NewExpression': {
          calls.push(node)
          const fn = fnStack[fnStack.length - 1]
          if (fn) enclosingFn.set(node, fn)
          if (node.type === 'CallExpression') collectCjsCallExport(node, addExport, ctx)
          break
        }
        case 'TryStatement':
          if (node.handler?.param && tryStatements.length < 500) {
            tryStatements.push(node)
            tryBlockCalls.set(node.block, { from: calls.length, to: calls.length })
          }
          break
        case 'ReturnStatement': {
          const fn = fnStack[fnStack.length - 1]
          if (fn && node.argument) {
            const list = returns.get(fn) ?? []
            list.push(node.argument)
            returns.set(fn, list)
          }
          break
        }
        case 'AssignmentExpression': {
          if (node.left.type === 'MemberExpression' && node.operator === '=') {
            const name = cjsExportName(node.left, ctx)
            if (name !== undefined) addExport({ name, value: innermostValue(node.right), target: exportTarget(node.left) })
          }
          if (node.left.type === 'Identifier' || node.left.type === 'ObjectPattern' || node.left.type === 'ArrayPattern') {
            pendingAssign.push([patternIds(node.left), node.right])
          } else {
            const id = rootId(node.left)
            if (id) pendingAssign.push([[id], node.right])
          }
          break
        }
      }
    },
    exit(node) {
      if (FUNCTION_TYPES.has(node.type)) {
        stack.pop()
        fnStack.pop()
      } else if (BLOCK_SCOPE_TYPES.has(node.type)) {
        stack.pop()
        if (node.type === 'BlockStatement' && tryBlockCalls.size > 0) {
          const run = tryBlockCalls.get(node)
          if (run) run.to = calls.length
        }
      }
    },
  })

  const resolve = (id: t.Identifier): Sym => {
    const known = (id as unknown as Record<symbol, Sym | undefined>)[symKey]
    if (known) return known
    const sym = resolveUncached(id)
    ;(id as unknown as Record<symbol, Sym>)[symKey] = sym
    return sym
  }
  const resolveUncached = (id: t.Identifier): Sym => {
    let scope: Scope | undefined = scopeOfId.get(id)
    while (scope) {
      const sym = scope.vars.get(id.name)
      if (sym) return sym
      scope = scope.parent
    }
    let sym = globals.get(id.name)
    if (!sym) {
      sym = { name: id.name, taint: 0, fns: NO_BOUND_FNS, inits: [], global: true }
      globals.set(id.name, sym)
    }
    return sym
  }

  // ---- the package's own modules: what this file imports from them, what it exports
  const filePath = ctx.file?.path
  const crossFile = filePath !== undefined && hasSummaries(ctx.pkg)
  const importOfRef = (ref: ModuleRef | undefined): ImportedRef | undefined => {
    if (!crossFile || !ref || !isRelative(ref.module)) return undefined
    const found = importedModule(ctx.pkg, filePath, ref.module)
    return found && { path: found.path, member: ref.member, summary: found.summary }
  }
  const importedExport = (imp: ImportedRef): ExportSummary | undefined => {
    const exp = exportOf(imp.summary, imp.member, L.ENV)
    // Values that crossed too many files already are not followed further (chains are bounded).
    if (!exp?.source || exp.source.depth < SUMMARY_LIMITS.depth) return exp
    const { source: _deep, ...rest } = exp
    return { ...rest, value: exp.value & ~CARRIED, returns: exp.returns & ~CARRIED }
  }
  if (crossFile) {
    for (const declared of importedDeclarators) {
      for (const id of patternIds(declared)) {
        const imp = importOfRef(ctx.moduleOf(id))
        if (imp) resolve(id).imported = imp
      }
    }
  }
  /** Values taken from other files' exports, by the node that takes them, for cross-file notes. */
  const importSources = new Map<t.Node, { labels: number; site: Site; via: string; depth: number }>()
  const noteSource = (node: t.Node, labels: number, exp: ExportSummary, imp: ImportedRef) => {
    const carried = labels & CARRIED
    if (carried === 0 || importSources.has(node) || importSources.size >= 50) return
    importSources.set(node, { labels: carried, site: exp.source?.site ?? { file: imp.path }, via: exp.source?.via ?? hop(imp.member, imp.path, exp.fn), depth: exp.source?.depth ?? 1 })
  }
  const liveExports = exportEntries.filter((e) => !e.target || resolve(e.target).global)
  /** Functions this file exports, whose parameters carry what callers in other files pass in. */
  const exportedFns = new Set<FnNode>()
  const objectOf = (node: t.Node): t.ObjectExpression | undefined => {
    if (node.type === 'ObjectExpression') return node
    if (node.type !== 'Identifier') return undefined
    const sym = resolve(node)
    const init = sym.inits.length === 1 ? sym.inits[0] : undefined
    return init?.type === 'ObjectExpression' ? init : undefined
  }
  const functionsOf = (node: t.Node): FnNode[] => {
    if (isFn(node)) return [node]
    if (node.type === 'Identifier') return [...resolve(node).fns]
    return []
  }
  for (const entry of liveExports) {
    if (!entry.value) continue
    const value = entry.value
    for (const fn of functionsOf(value)) exportedFns.add(fn)
    const obj = objectOf(value)
    if (obj) {
      for (const p of obj.properties) {
        if (p.type === 'ObjectMethod') exportedFns.add(p)
        else if (p.type === 'ObjectProperty') for (const fn of functionsOf(p.value)) exportedFns.add(fn)
      }
    }
  }

  // Assignments recorded after the walk also feed `inits` of implicit globals and reassigned names.
  for (const [ids, value] of pendingAssign) {
    const syms = ids.map(resolve)
    for (const sym of syms) {
      if (ids.length === 1 && !sym.inits.includes(value)) sym.inits.push(value)
      if (isFn(value)) bindFn(sym, value)
    }
    edges.push(() => {
      const taint = taintOf(value)
      for (const sym of syms) addTaint(sym, taint)
    })
  }
  for (const [fn, values] of returns) {
    for (const value of values) edges.push(() => addTaint(retSym(fn), taintOf(value)))
  }
  const lateEdges: Array<() => void> = []
  let currentEdge = -1
  const queued = new Uint8Array(0)
  let inQueue: Uint8Array = queued
  const queue: number[] = []
  const readBy = (sym: Sym) => {
    if (currentEdge < 0) return
    ;(sym.readers ??= new Set()).add(currentEdge)
  }
  const wake = (sym: Sym) => {
    if (!sym.readers) return
    for (const r of sym.readers) {
      if (!inQueue[r]) {
        inQueue[r] = 1
        queue.push(r)
      }
    }
  }
  const addTaint = (sym: Sym, taint: number) => {
    if (taint === 0 || (sym.taint | taint) === sym.taint) return
    sym.taint |= taint
    version++
    wake(sym)
  }
  const addFn = (sym: Sym, fn: FnNode) => {
    if (sym.fns.has(fn)) return
    bindFn(sym, fn)
    wake(sym)
  }
  /** The symbols each parameter of a function declares, by position (fixed once the walk is done). */
  const paramSymsByFn = new Map<FnNode, ReadonlyArray<readonly Sym[]>>()
  const paramSymsOf = (fn: FnNode): ReadonlyArray<readonly Sym[]> => {
    let bySlot = paramSymsByFn.get(fn)
    if (!bySlot) {
      const scope = fnParamsScope.get(fn)
      bySlot = scope ? fn.params.map((p) => patternIds(p).map((id) => scope.vars.get(id.name)!).filter(Boolean)) : []
      paramSymsByFn.set(fn, bySlot)
    }
    return bySlot
  }
  const paramSyms = (fn: FnNode, index?: number): readonly Sym[] => {
    const bySlot = paramSymsOf(fn)
    return index === undefined ? bySlot.flat() : (bySlot[index] ?? [])
  }
  /** Functions an argument or callee denotes: a function expression, or a name bound to functions. */
  const fnsOf = (node: t.Node | null | undefined): readonly FnNode[] => {
    if (!node) return NO_FNS
    if (isFn(node)) return [node]
    if (node.type === 'Identifier') {
      const sym = resolve(node)
      readBy(sym)
      return sym.fns.size === 0 ? NO_FNS : [...sym.fns]
    }
    return NO_FNS
  }

  // ---- describing static text (paths, URLs, commands)
  const describeCache = new Map<t.Node, string>()
  const describe = (node: t.Node | null | undefined, depth = 0): string => {
    if (!node) return '*'
    const cached = describeCache.get(node)
    if (cached !== undefined) return cached
    describeCache.set(node, '*')
    const text = describeUncached(node, depth)
    const capped = text.length > 2000 ? text.slice(0, 2000) : text
    describeCache.set(node, capped)
    return capped
  }
  const describeUncached = (node: t.Node, depth: number): string => {
    if (depth > 12) return '*'
    // Concatenations and templates are folded piecewise (linear in their size): no whole-tree folding here.
    if (node.type !== 'BinaryExpression' && node.type !== 'TemplateLiteral') {
      const value = ctx.staticString(node)
      if (value !== undefined) return value
    }
    switch (node.type) {
      case 'BinaryExpression': {
        if (node.operator !== '+') return '*'
        let out = ''
        for (const leaf of plusLeaves(node)) {
          out += describe(leaf, depth + 1)
          if (out.length > 2000) break
        }
        return out
      }
      case 'TemplateLiteral': {
        let out = node.quasis[0]?.value.cooked ?? ''
        node.expressions.forEach((e, i) => {
          out += describe(e, depth + 1) + (node.quasis[i + 1]?.value.cooked ?? '')
        })
        return out
      }
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSNonNullExpression':
        return describe(node.expression, depth + 1)
      case 'AwaitExpression':
        return describe(node.argument, depth + 1)
      case 'LogicalExpression': {
        const left = describe(node.left, depth + 1)
        return left === '*' ? describe(node.right, depth + 1) : left
      }
      case 'ConditionalExpression': {
        const yes = describe(node.consequent, depth + 1)
        return yes === '*' ? describe(node.alternate, depth + 1) : yes
      }
      case 'Identifier': {
        if (node.name === '__dirname' || node.name === '__filename') return '<pkg>'
        const sym = resolve(node)
        if (sym.imported) return importedText(node) ?? '*'
        if (sym.inits.length === 1) return describe(sym.inits[0], depth + 1)
        if (sym.inits.length === 0 && sym.param) {
          // A parameter: what the (first) call site passes, e.g. registerAudit(path.join(dir, 'token'), url)
          const site = callSitesOf(sym.param.fn)[0]
          const arg = site?.arguments[sym.param.index]
          if (arg && arg.type !== 'SpreadElement') return describe(arg as t.Node, depth + 1)
        }
        return '*'
      }
      case 'MemberExpression': {
        const imported = importedText(node)
        if (imported !== undefined) return imported
        const envName = envVarName(node)
        if (envName !== undefined) {
          const label = ENV_LABELS[envName] ?? 0
          return label & L.HOMEDIR ? '~' : label & L.P_TMP ? '<tmp>' : '*'
        }
        if (propName(node, ctx) === 'homedir' && node.object.type === 'CallExpression') return '~' // os.userInfo().homedir
        return '*'
      }
      case 'CallExpression': {
        const ref = ctx.moduleOf(node.callee)
        if (ref?.module === 'os' && ref.member === 'homedir') return '~'
        if (ref?.module === 'os' && ref.member === 'tmpdir') return '<tmp>'
        if (ref?.module === 'process' && ref.member === 'cwd') return '<cwd>'
        if (node.callee.type === 'MemberExpression' && node.callee.object.type === 'Identifier' && node.callee.object.name === 'process' && propName(node.callee, ctx) === 'cwd') return '<cwd>'
        if (ref && (ref.module === 'path' || ref.module === 'upath') && /(?:^|\.)(?:join|resolve|normalize)$/.test(ref.member)) {
          return node.arguments.map((a) => describe(a, depth + 1)).join('/')
        }
        if (node.callee.type === 'MemberExpression' && propName(node.callee, ctx) === 'join' && node.callee.object.type === 'ArrayExpression') {
          const sep = node.arguments[0] ? ctx.staticString(node.arguments[0]) ?? '' : ','
          return node.callee.object.elements.map((e) => describe(e, depth + 1)).join(sep)
        }
        if (node.callee.type === 'MemberExpression' && propName(node.callee, ctx) === 'concat') {
          return describe(node.callee.object, depth + 1) + node.arguments.map((a) => describe(a, depth + 1)).join('')
        }
        return '*'
      }
      default:
        return '*'
    }
  }

  /** `lib.key`, `require('./lib').key`: a member of another file's exports. */
  const importedMember = (node: t.MemberExpression | t.OptionalMemberExpression): ImportedRef | undefined => {
    const root = rootId(node)
    const fromImport = root ? resolve(root).imported !== undefined : node.object.type === 'CallExpression' || node.object.type === 'AwaitExpression'
    return fromImport ? importOfRef(ctx.moduleOf(node)) : undefined
  }
  const importedValue = (node: t.Node, imp: ImportedRef): number => {
    const exp = importedExport(imp)
    if (!exp || exp.fn) return 0
    noteSource(node, exp.value, exp, imp)
    return exp.value
  }
  const importedText = (node: t.Node): string | undefined => {
    if (!crossFile) return undefined
    const imp = node.type === 'Identifier' ? resolve(node).imported : node.type === 'MemberExpression' ? importedMember(node) : undefined
    return imp ? importedExport(imp)?.text : undefined
  }

  const envVarName = (node: t.MemberExpression | t.OptionalMemberExpression): string | undefined => {
    const obj = node.object
    if (obj.type !== 'MemberExpression' || !isProcessGlobal(obj.object) || propName(obj, ctx) !== 'env') return undefined
    return propName(node, ctx) ?? '*'
  }
  const isProcessGlobal = (node: t.Node): boolean => node.type === 'Identifier' && node.name === 'process' && resolve(node).global

  // ---- literal labels
  const literalCache = new Map<string, number>()
  const literalLabels = (text: string): number => {
    if (text.length < 3) return 0
    const key = text.length > 300 ? text.slice(0, 300) : text
    const cached = literalCache.get(key)
    if (cached !== undefined) return cached
    const taint = textLabels(text)
    if (literalCache.size < 5000) literalCache.set(key, taint)
    return taint
  }

  // ---- taint of expressions (memoised per round)
  let memo = new Map<t.Node, number>()
  const taintOf = (node: t.Node | null | undefined, depth = 0): number => {
    if (!node) return 0
    // Names and strings are leaves (no cycle to guard, nothing to share) and most of what an edge
    // reads: the memo's two writes and a read per node cost more than evaluating them again.
    if (node.type === 'Identifier' || node.type === 'StringLiteral') return depth > MAX_DEPTH ? 0 : taintUncached(node, depth + 1)
    const cached = memo.get(node)
    if (cached !== undefined) return cached
    if (depth > MAX_DEPTH) return 0
    memo.set(node, 0) // cycle guard
    const value = taintUncached(node, depth + 1)
    memo.set(node, value)
    return value
  }
  const union = (nodes: ReadonlyArray<t.Node | null | undefined>, depth: number) => nodes.reduce((acc, n) => acc | taintOf(n, depth), 0)

  const taintUncached = (node: t.Node, depth: number): number => {
    switch (node.type) {
      case 'Identifier': {
        const sym = resolve(node)
        readBy(sym)
        if (node.name === '__dirname' || node.name === '__filename') return sym.global ? L.CWD : sym.taint
        if (env && sym.owner === env.fn) return contextTaint(sym, depth)
        return sym.imported ? sym.taint | importedValue(node, sym.imported) : sym.taint
      }
      case 'StringLiteral':
        return literalLabels(node.value)
      case 'TemplateLiteral':
        return union(node.expressions, depth) | literalLabels(describe(node))
      case 'BinaryExpression': {
        if (node.operator === '+') return union(plusLeaves(node), depth) | literalLabels(describe(node))
        const base = taintOf(node.left, depth) | taintOf(node.right, depth)
        return /^(?:[=!]==?|[<>]=?|instanceof|in)$/.test(node.operator) ? 0 : base & ~(L.NETOBJ | PATH_LABELS)
      }
      case 'LogicalExpression':
        return taintOf(node.left, depth) | taintOf(node.right, depth)
      case 'ConditionalExpression':
        return taintOf(node.consequent, depth) | taintOf(node.alternate, depth)
      case 'SequenceExpression':
        return taintOf(node.expressions[node.expressions.length - 1], depth)
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TypeCastExpression':
        return taintOf(node.expression, depth)
      case 'AwaitExpression':
      case 'SpreadElement':
      case 'YieldExpression':
        return taintOf(node.argument, depth)
      case 'AssignmentExpression':
        return taintOf(node.right, depth)
      case 'ObjectExpression': {
        let acc = 0
        for (const p of node.properties) {
          if (p.type === 'ObjectProperty') acc |= taintOf(p.value, depth) | (p.computed ? taintOf(p.key, depth) : 0)
          else if (p.type === 'SpreadElement') acc |= taintOf(p.argument, depth)
        }
        return acc
      }
      case 'ArrayExpression':
        return union(node.elements, depth)
      case 'TaggedTemplateExpression':
        return union(node.quasi.expressions, depth) | taintOf(node.tag, depth)
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return memberTaint(node, depth)
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        return callTaint(node, depth)
      case 'UnaryExpression':
        return node.operator === '-' || node.operator === '+' || node.operator === '~' ? taintOf(node.argument, depth) & ~(L.NETOBJ | PATH_LABELS) : 0
      default:
        return 0
    }
  }

  const memberTaint = (node: t.MemberExpression | t.OptionalMemberExpression, depth: number): number => {
    // process.env, process.env.X, process.platform
    if (node.object.type === 'Identifier' && isProcessGlobal(node.object)) {
      const name = propName(node, ctx)
      if (name === 'env') return L.ENV
      if (name === 'platform' || name === 'arch' || name === 'version' || name === 'versions') return L.PLATFORM
      if (name === 'execPath') return 0
      return 0
    }
    const envName = envVarName(node)
    if (envName !== undefined) {
      if (envName === '*') return L.ENVKEY | taintOf(node.property, depth)
      return ENV_LABELS[envName] ?? (SECRET_ENV.test(envName) ? L.ENVKEY : 0)
    }
    if (crossFile) {
      const imported = importedMember(node)
      if (imported) return importedValue(node, imported)
    }
    const name = propName(node, ctx)
    if (name === 'length' || name === 'publicKey' || name === 'size' || name === 'byteLength') return 0
    let taint = taintOf(node.object, depth)
    // A member of the environment is one variable, not the whole; a member of a network handle is
    // data (`res.data`, `r.body`) unless it is a handle itself (`res.socket`).
    taint = memberLabels(taint)
    if (!(name && HANDLE_PROPS.has(name))) taint &= ~L.NETOBJ
    if (node.computed) taint |= taintOf(node.property, depth) & (PATH_LABELS | L.DECODED)
    return taint
  }

  /** What a function returns, as a pseudo-symbol fed by edges from its return statements. */
  const retSyms = new Map<FnNode, Sym>()
  const retSym = (fn: FnNode): Sym => {
    let sym = retSyms.get(fn)
    if (!sym) {
      sym = { name: '<return>', taint: 0, fns: NO_BOUND_FNS, inits: [], global: false }
      retSyms.set(fn, sym)
    }
    return sym
  }
  const returnTaint = (fn: FnNode, _depth: number): number => {
    const sym = retSym(fn)
    readBy(sym)
    return sym.taint
  }
  /**
   * Context sensitivity for helpers with several call sites: the result of `f(a, b)` is f's return
   * expressions evaluated with f's parameters bound to this call's arguments (and f's locals
   * re-evaluated from their initialisers), so that `normalizePath(x)` called with a network
   * response in one place does not taint every other caller of it.
   */
  interface Env {
    fn: FnNode
    params: Map<Sym, number>
    locals: Map<Sym, number>
    parent: Env | undefined
  }
  let env: Env | undefined
  let contextEvals = 0
  /** Results of helpers per argument taints, valid while no symbol changed (`version`). */
  const contextCache = new Map<FnNode, Map<string, { value: number; version: number }>>()
  let version = 0
  let envDepth = 0
  const siteCount = new Map<FnNode, number>()
  const callResult = (fn: FnNode, args: t.Node[], depth: number): number => {
    let sites = siteCount.get(fn)
    if (sites === undefined) {
      sites = callSitesOf(fn).length
      siteCount.set(fn, sites)
    }
    let insensitive = returnTaint(fn, depth)
    // An exported function's own parameter labels (PARAM…) reach a call only through its arguments.
    if (insensitive & PARAMS) insensitive &= ~(PARAMS & ~union(args, depth))
    if (insensitive === 0 || sites <= 1 || envDepth >= 3 || fn.params.length === 0 || !returns.has(fn) || contextEvals > CONTEXT_BUDGET) return insensitive
    const scope = fnParamsScope.get(fn)
    if (!scope) return insensitive
    const params = new Map<Sym, number>()
    let argsTaint = 0
    fn.params.forEach((p, i) => {
      const arg = args[i]
      const taint = arg ? taintOf(arg.type === 'SpreadElement' ? (arg as t.SpreadElement).argument : arg, depth) : 0
      argsTaint |= taint
      for (const id of patternIds(p)) {
        const sym = scope.vars.get(id.name)
        if (sym) params.set(sym, taint)
      }
    })
    // Only worth it when the merged result has labels that this call did not pass in (the
    // parameter labels of exported functions count as passed in when any of them is).
    if ((insensitive & ~argsTaint & (argsTaint & PARAMS ? ~PARAMS : ~0)) === 0) return insensitive
    contextEvals++
    const key = fn.params.map((_, i) => params.get(scope.vars.get(patternIds(fn.params[i])[0]?.name ?? '')!) ?? 0).join(',')
    const cacheKey = `${key}`
    let byArgs = contextCache.get(fn)
    if (!byArgs) contextCache.set(fn, (byArgs = new Map()))
    const cached = byArgs.get(cacheKey)
    if (cached !== undefined && cached.version === version) return cached.value
    const saved = env
    const savedMemo = memo
    env = { fn, params, locals: new Map(), parent: saved }
    envDepth++
    memo = new Map()
    let acc = 0
    try {
      for (const value of returns.get(fn) ?? []) acc |= taintOf(value, depth)
    } finally {
      env = saved
      envDepth--
      memo = savedMemo
    }
    byArgs.set(cacheKey, { value: acc, version })
    return acc
  }
  const contextTaint = (sym: Sym, depth: number): number => {
    const e = env!
    const param = e.params.get(sym)
    if (param !== undefined) return param
    const known = e.locals.get(sym)
    if (known !== undefined) return known
    if (sym.inits.length === 0 || sym.param) return sym.taint & ~PARAM_SENSITIVE
    e.locals.set(sym, 0) // cycle guard
    let acc = 0
    for (const init of sym.inits.slice(0, 8)) acc |= taintOf(init, depth)
    e.locals.set(sym, acc)
    return acc
  }

  /** What `resolve(x)` calls inside `new Promise(fn)` hand over, as a pseudo-symbol. */
  const resolvedSyms = new Map<CallNode, Sym>()


  const callTaint = (node: CallNode, depth: number): number => {
    const callee = node.callee
    const args = node.arguments as t.Node[]
    const info = classify(node)
    switch (info.kind) {
      case 'os':
        return OS_LABELS[info.member] ?? 0
      case 'cwd':
        return L.CWD
      case 'network':
        return L.NET | L.NETOBJ
      case 'fs-read':
        return readLabel(args[0], depth)
      case 'fs-probe':
        return 0
      case 'decode':
        return L.DECODED | union(args, depth)
      case 'process':
        return L.CMDOUT | commandLabels(node)
      case 'require':
        return info.member === 'package.json' ? L.PKG : info.member === 'dynamic' ? L.DYNREQ | taintOf(args[0], depth) : 0
      case 'sanitizer':
        return 0
      case 'clipboard':
        return L.CLIPBOARD
      case 'import': {
        // A function or value exported by another file of the package, as its summary describes it.
        const exp = importedExport(info.imported)
        if (!exp) break
        const own = exp.fn ? exp.returns & ~PARAMS : exp.value
        noteSource(node, own, exp, info.imported)
        let acc = own
        // It returns what it was given (or a member of it: `opts.url` is not the whole environment).
        if (!exp.fn || exp.returns & L.PARAM) acc |= union(args, depth)
        else if (exp.returns & L.PARAM_MEMBER) acc |= memberLabels(union(args, depth))
        for (const sink of exp.sinks) if (sink.kind === 'read') acc |= contentLabel(readPathAt(args, sink, depth).taint)
        return acc
      }
      default:
        break
    }
    // new Promise(resolve => … resolve(x))
    if (node.type === 'NewExpression' && callee.type === 'Identifier' && callee.name === 'Promise') {
      let acc = 0
      for (const fn of fnsOf(args[0])) {
        const [resolver] = paramSyms(fn, 0)
        if (resolver) {
          let sym = resolvedSyms.get(node)
          if (!sym) {
            const pseudo: Sym = { name: '<resolved>', taint: 0, fns: NO_BOUND_FNS, inits: [], global: false }
            sym = pseudo
            resolvedSyms.set(node, pseudo)
            for (const call of callsBySym.get(resolver) ?? []) lateEdges.push(() => addTaint(pseudo, taintOf(call.arguments[0] as t.Node)))
          }
          readBy(sym)
          acc |= sym.taint
        }
      }
      return acc
    }
    // local functions: what they return
    let acc = 0
    // path.join(home, '.config', 'solana', 'id.json'): the joined text names what the pieces do not
    if (info.kind === 'other' && info.module !== undefined && (info.module === 'path' || info.module === 'upath') && /(?:^|\.)(?:join|resolve)$/.test(info.member)) {
      acc |= literalLabels(describe(node))
    }
    const targets = fnsOf(callee)
    for (const fn of targets) acc |= callResult(fn, args, depth)
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      const name = propName(callee, ctx)
      if (name && SANITIZERS.test(name)) return 0
      const fnArgs = args.filter((a) => isFn(a) || a.type === 'Identifier').flatMap((a) => fnsOf(a))
      if (name === 'then' && fnArgs.length > 0) {
        // .then(cb): a promise of what cb returns
        for (const fn of fnArgs) acc |= returnTaint(fn, depth)
        return acc
      }
      const recv = taintOf(callee.object, depth)
      // Binary bodies (wasm modules, images) are not code that gets evaluated.
      if (name === 'arrayBuffer' || name === 'blob' || name === 'bytes') return recv & ~(L.NET | L.NETOBJ)
      // Results of calls on a network handle are data, except for the chainable handle methods.
      acc |= name && CHAINABLE.has(name) ? recv : recv & ~L.NETOBJ
      // .map(cb) / .catch(cb): what the callbacks return
      for (const fn of fnArgs) acc |= returnTaint(fn, depth)
    } else if (callee.type === 'Identifier' && SANITIZERS.test(callee.name)) {
      return 0
    }
    if (targets.length === 0) acc |= union(args, depth)
    return acc
  }

  /** What a call into another file's reader passes as the path: the operand argument, or all of them joined. */
  const readPathAt = (args: t.Node[], sink: SinkSummary, depth: number): { text: string; taint: number } => {
    const operand = sink.operand !== undefined ? args[sink.operand] : undefined
    const text = operand ? describe(operand) : args.map((a) => describe(a)).join('/')
    const taint = (operand ? taintOf(operand, depth) : union(args, depth)) & ~L.P_ASSET
    return { text, taint: taint | literalLabels(text) }
  }
  /** The content label of a read: sensitive kinds from the path's taint or text; assets only from the text. */
  const readLabel = (pathNode: t.Node | undefined, depth: number): number => {
    const text = literalLabels(describe(pathNode))
    return contentLabel((taintOf(pathNode, depth) & ~L.P_ASSET) | text)
  }
  const contentLabel = (pathTaint: number): number => {
    let label = 0
    if (pathTaint & L.P_WALLET) label |= L.WALLET
    if (pathTaint & L.P_BROWSER) label |= L.BROWSER
    // A project's own .env or config is not a stolen credential; one under the home directory is.
    if (pathTaint & L.P_CRED && pathTaint & L.HOMEDIR) label |= L.CRED
    if (pathTaint & L.P_ASSET) label |= L.ASSET
    if (pathTaint & L.DROPPED) label |= L.DECODED
    return label
  }

  const commandLabels = (node: CallNode): number => {
    const text = describe(node.arguments[0] as t.Node)
    let label = 0
    if (/\b(?:whoami|id\s+-un|logname)\b/.test(text)) label |= L.USER
    if (/\bhostname\b|\buname\s+-n\b/.test(text)) label |= L.HOSTNAME
    if (/\b(?:ifconfig|ipconfig|getmac)\b|\bip\s+a/.test(text)) label |= L.NETIF
    if (/\b(?:curl|wget|Invoke-WebRequest|iwr|irm)\b/.test(text)) label |= L.NET
    if (/\b(?:pbpaste|Get-Clipboard|xclip|xsel|wl-paste)\b/.test(text)) label |= L.CLIPBOARD
    if (/\b(?:cat|type|more)\s/.test(text)) label |= contentLabel(literalLabels(text))
    return label
  }

  type CallInfo =
    | { kind: 'os'; member: string }
    | { kind: 'cwd' | 'network' | 'fs-read' | 'fs-probe' | 'fs-write' | 'fs-move' | 'decode' | 'process' | 'sanitizer' | 'clipboard' | 'eval' | 'function' | 'vm' | 'dns' | 'other'; member: string; module?: string }
    | { kind: 'require'; member: string }
    | { kind: 'import'; member: string; module: string; imported: ImportedRef }
  const classifyCache = new Map<CallNode, CallInfo>()
  const classify = (node: CallNode): CallInfo => {
    let info = classifyCache.get(node)
    if (!info) {
      info = classifyUncached(node)
      classifyCache.set(node, info)
    }
    return info
  }
  const classifyUncached = (node: CallNode): CallInfo => {
    const callee = node.callee
    const args = node.arguments as t.Node[]
    // eval and Function, also indirect: (0, eval)(x), globalThis.eval(x), Function.constructor, x.constructor.constructor
    const evalLike = evalKind(callee)
    if (evalLike) return { kind: evalLike, member: evalLike === 'eval' ? 'eval' : 'Function' }
    if (callee.type === 'Import') return { kind: 'require', member: ctx.staticString(args[0]) === undefined ? 'dynamic' : 'static' }
    const ref = ctx.moduleOf(callee)
    if (callee.type === 'Identifier' && (callee.name === 'require' || callee.name === '__non_webpack_require__') && resolve(callee).global) {
      const name = ctx.staticString(args[0])
      if (name === undefined) return { kind: 'require', member: 'dynamic' }
      return { kind: 'require', member: /(?:^|\/)package\.json$/.test(name) ? 'package.json' : 'static' }
    }
    if (ref) {
      const imported = importOfRef(ref)
      if (imported) return { kind: 'import', member: ref.member, module: imported.path, imported }
      const member = ref.member.replace(/^promises\./, '').replace(/^default\./, '')
      if (ref.module === 'os') return OS_LABELS[member] !== undefined ? { kind: 'os', member } : { kind: 'other', member }
      if (ref.module === 'process' && member === 'cwd') return { kind: 'cwd', member }
      if (FS_MODULES.has(ref.module)) {
        if (FS_READS.has(member)) return { kind: 'fs-read', member, module: ref.module }
        if (FS_PROBES.has(member)) return { kind: 'fs-probe', member, module: ref.module }
        if (FS_WRITES.has(member)) return { kind: 'fs-write', member, module: ref.module }
        if (FS_MOVES.has(member)) return { kind: 'fs-move', member, module: ref.module }
        return { kind: 'other', member }
      }
      if (PROCESS_MODULES.has(ref.module) && (CHILD_PROCESS_FUNCTIONS.has(member) || ref.module !== 'child_process') && !/^(?:which|cd|echo|test|ls|pwd|mkdir|rm|cp|mv|cat|sed|grep|find|chmod|env|config)$/.test(member)) {
        return { kind: 'process', member: ref.module === 'child_process' ? member : `${ref.module}${member ? `.${member}` : ''}`, module: ref.module }
      }
      if (ref.module === 'vm' && VM_FUNCTIONS.has(member.split('.').pop()!)) return { kind: 'vm', member }
      if ((ref.module === 'dns' || ref.module === 'dns/promises') && /^(?:lookup|resolve\w*|reverse|Resolver\.\w+|promises\.\w+)$/.test(member)) return { kind: 'dns', member, module: ref.module }
      if (ref.module === 'zlib' && /(?:inflate|gunzip|unzip|brotliDecompress)/i.test(member)) return { kind: 'decode', member }
      if (ref.module === 'clipboardy' || ref.module === 'copy-paste') return /read|paste/i.test(member) || member === '' ? { kind: 'clipboard', member } : { kind: 'other', member }
      if (NETWORK_MODULES.has(ref.module) && !NOT_REQUESTS.has(member.split('.').pop() ?? '') && ref.module !== 'dns' && ref.module !== 'dns/promises') {
        return { kind: 'network', member: `${ref.module}${member ? `.${member}` : ''}`, module: ref.module }
      }
      if (ref.module === 'crypto' && /^(?:createHash|createHmac|createSign|sign|scryptSync|pbkdf2Sync|randomBytes|randomUUID)$/.test(member)) return { kind: 'sanitizer', member }
      return { kind: 'other', member, module: ref.module }
    }
    if (callee.type === 'Identifier' && resolve(callee).global) {
      if (callee.name === 'fetch' || callee.name === 'XMLHttpRequest' || callee.name === 'WebSocket' || callee.name === 'EventSource') return { kind: 'network', member: callee.name }
      if (callee.name === 'atob') return { kind: 'decode', member: 'atob' }
      if ((callee.name === 'setTimeout' || callee.name === 'setInterval') && args[0] && !isFn(args[0]) && args[0].type !== 'Identifier' && args[0].type !== 'MemberExpression') return { kind: 'eval', member: callee.name }
    }
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      const name = propName(callee, ctx)
      const obj = callee.object
      if (obj.type === 'Identifier' && resolve(obj).global) {
        if ((obj.name === 'globalThis' || obj.name === 'window' || obj.name === 'global' || obj.name === 'self') && name && ['fetch', 'XMLHttpRequest', 'WebSocket'].includes(name)) return { kind: 'network', member: name }
        if (obj.name === 'Buffer' && name === 'from') {
          const enc = args[1] ? ctx.staticString(args[1]) : undefined
          if (enc === 'base64' || enc === 'hex' || enc === 'base64url') return { kind: 'decode', member: `Buffer.from(…, '${enc}')` }
        }
        if (obj.name === 'String' && (name === 'fromCharCode' || name === 'fromCodePoint') && args.some((a) => looksDecoding(a))) return { kind: 'decode', member: 'String.fromCharCode' }
        if (obj.name === 'process' && name === 'cwd') return { kind: 'cwd', member: 'cwd' }
        // A compiled wasm module is not the bytes it was fetched as; strings read from its memory are not the download.
        if (obj.name === 'WebAssembly') return { kind: 'sanitizer', member: `WebAssembly.${name}` }
        if (obj.name === 'module' && name === '_compile') return { kind: 'vm', member: 'module._compile' }
      }
      if (name === '_compile') return { kind: 'vm', member: '_compile' }
      if (name && SANITIZERS.test(name)) return { kind: 'sanitizer', member: name }
      // require(<computed>)[verb](…) and client instances: axios.create(), got.extend(), io(…)
      if (name && /^(?:get|post|put|patch|request|delete|head)$/i.test(name)) {
        // one level only: chains like a.get().get().get() must not recurse
        const base = obj.type === 'CallExpression' ? obj : undefined
        if (base && base.callee.type === 'Identifier' && base.callee.name === 'require' && base.arguments[0] && ctx.staticString(base.arguments[0] as t.Node) === undefined) return { kind: 'network', member: `<dynamic module>.${name}` }
      }
    }
    // API obfuscation: <call with a computed argument>[<computed name>](…), e.g. r(d[1])[d[2]](url, data)
    if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && obfuscatedApiCall(callee, ctx)) return { kind: 'network', member: '<obfuscated API call>' }
    return { kind: 'other', member: '' }
  }

  /** `parseInt(x, 16)`, `x ^ k`, bit shifts: the argument of fromCharCode decodes something. */
  const looksDecoding = (node: t.Node): boolean => {
    let found = false
    let budget = 200
    const visit = (n: t.Node | null | undefined) => {
      if (!n || found || budget-- <= 0) return
      if (n.type === 'BinaryExpression') {
        if (n.operator === '^' || n.operator === '<<' || n.operator === '>>' || n.operator === '>>>') found = true
        visit(n.left)
        visit(n.right)
      } else if (n.type === 'CallExpression') {
        if (n.callee.type === 'Identifier' && n.callee.name === 'parseInt' && n.arguments[1] && ctx.staticString(n.arguments[1]) === undefined && n.arguments[1].type === 'NumericLiteral' && n.arguments[1].value === 16) found = true
        if (n.callee.type === 'Identifier' && n.callee.name === 'parseInt' && n.arguments[1]?.type === 'NumericLiteral' && n.arguments[1].value === 16) found = true
        n.arguments.forEach((a) => visit(a as t.Node))
      } else if (n.type === 'ParenthesizedExpression' || n.type === 'SpreadElement') {
        visit(n.type === 'SpreadElement' ? n.argument : n.expression)
      } else if (n.type === 'UnaryExpression') {
        visit(n.argument)
      }
    }
    visit(node)
    return found
  }

  const evalKind = (callee: t.Node, depth = 0): 'eval' | 'function' | undefined => {
    if (depth > 8) return undefined
    let c = callee
    while (c.type === 'ParenthesizedExpression') c = c.expression
    if (c.type === 'SequenceExpression') c = c.expressions[c.expressions.length - 1]!
    if (c.type === 'Identifier') {
      if (!resolve(c).global) {
        // const e = eval; e(x)
        const sym = resolve(c)
        if (sym.inits.length === 1 && sym.inits[0]!.type !== c.type) return evalKind(sym.inits[0]!, depth + 1)
        if (sym.inits.length === 1 && sym.inits[0]!.type === 'Identifier' && (sym.inits[0] as t.Identifier).name !== c.name) return evalKind(sym.inits[0]!, depth + 1)
        return undefined
      }
      if (c.name === 'eval') return 'eval'
      if (c.name === 'Function' || c.name === 'AsyncFunction') return 'function'
      return undefined
    }
    if (c.type === 'MemberExpression' || c.type === 'OptionalMemberExpression') return evalMemberKind(c, ctx)
    return undefined
  }

  let sitesByFn: Map<FnNode, CallNode[]> | undefined
  function callSitesOf(fn: FnNode): CallNode[] {
    if (!sitesByFn) {
      sitesByFn = new Map()
      for (const call of calls) {
        const callee = call.callee
        const targets = isFn(callee) ? [callee] : callee.type === 'Identifier' ? [...resolve(callee).fns] : []
        for (const target of targets) {
          const list = sitesByFn.get(target) ?? []
          list.push(call)
          sitesByFn.set(target, list)
        }
      }
    }
    return sitesByFn.get(fn) ?? []
  }

  // ---- errors of failed requests: a rejected request's error carries the response (axios'
  // `error.response.data`), so `catch (e)` around a request and `.catch(e => …)` on a request
  // promise receive network data
  for (const statement of tryStatements) {
    const block = statement.block
    const run = tryBlockCalls.get(block)!
    const inBlock = calls.slice(run.from, Math.min(run.to, run.from + 200))
    const params = patternIds(statement.handler!.param!).map(resolve)
    if (inBlock.length === 0 || params.length === 0) continue
    edges.push(() => {
      if (!inBlock.some((c) => classify(c).kind === 'network' || (taintOf(c) & L.NETOBJ) !== 0)) return
      for (const sym of params) addTaint(sym, L.NET | L.NETOBJ)
    })
  }
  /** The call a promise chain starts from: `a.then(f).catch(g)` → `a`. */
  const chainRoot = (node: t.Node): t.Node => {
    let current = node
    for (let i = 0; i < 50; i++) {
      if ((current.type !== 'CallExpression' && current.type !== 'OptionalCallExpression') || (current.callee.type !== 'MemberExpression' && current.callee.type !== 'OptionalMemberExpression')) break
      const name = propName(current.callee, ctx)
      if (name !== 'then' && name !== 'catch' && name !== 'finally') break
      current = current.callee.object
    }
    return current
  }
  const rejectsWithResponse = (node: t.Node): boolean => {
    const root = chainRoot(node)
    return (root.type === 'CallExpression' || root.type === 'OptionalCallExpression' || root.type === 'NewExpression') && (classify(root).kind === 'network' || (taintOf(root) & L.NETOBJ) !== 0)
  }

  // ---- calls by callee symbol, and the per-call edges
  const callsBySym = new Map<Sym, CallNode[]>()
  for (const call of calls) {
    if (call.callee.type === 'Identifier') {
      const sym = resolve(call.callee)
      const list = callsBySym.get(sym) ?? []
      list.push(call)
      callsBySym.set(sym, list)
    }
  }

  for (const call of calls) {
    const callee = call.callee
    const args = call.arguments as t.Node[]
    // arguments into local functions' parameters; functions passed along
    if (args.length > 0 && (callee.type === 'Identifier' || isFn(callee))) edges.push(() => {
      const targets = fnsOf(callee)
      for (const fn of targets) {
        if (!fnParamsScope.has(fn)) continue
        const symsBySlot = paramSymsOf(fn)
        fn.params.forEach((p, i) => {
          const arg = args[i]
          if (!arg) return
          const syms = symsBySlot[i]!
          const taint = arg.type === 'SpreadElement' ? taintOf(arg.argument) : taintOf(arg)
          for (const sym of syms) {
            addTaint(sym, taint)
            for (const f of fnsOf(arg)) if (p.type === 'Identifier') addFn(sym, f)
          }
        })
      }
    })
    // callbacks: what the callee hands to them
    const fnArgs = args.filter((a) => isFn(a) || a.type === 'Identifier')
    if (fnArgs.length > 0) {
      edges.push(() => {
        const info = classify(call)
        let given = 0
        if (info.kind === 'network' || info.kind === 'dns') given = L.NET | L.NETOBJ
        else if (info.kind === 'process') given = L.CMDOUT | commandLabels(call)
        else if (info.kind === 'fs-read') given = readLabel(args[0], 0)
        else if (info.kind === 'clipboard') given = L.CLIPBOARD
        else if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
          const recv = taintOf(callee.object)
          given = recv
          // socket.on('data', cb), client.on('message', cb): handlers of network handles receive network data
          if (recv & L.NETOBJ) given |= L.NET
          // request.then(ok, fail) / request.catch(fail): the error of a failed request holds its response
          const name = propName(callee, ctx)
          if ((name === 'catch' || (name === 'then' && args.length >= 2)) && rejectsWithResponse(callee.object)) given |= L.NET | L.NETOBJ
        }
        if (!given) return
        for (const a of fnArgs) {
          const fns = isFn(a) ? [a] : (fnsOf(a).length > 0 ? fnsOf(a) : [])
          for (const fn of fns) for (const sym of paramSyms(fn)) addTaint(sym, given)
        }
      })
    }
    // mutators: a.push(x), form.append(k, x), Object.assign(t, x)
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      const name = propName(callee, ctx)
      if (name && MUTATORS.has(name)) {
        const id = rootId(callee.object)
        if (id && !(callee.object.type === 'Identifier' && callee.object.name === 'Object')) {
          const sym = resolve(id)
          edges.push(() => addTaint(sym, union(args, 0) & ~L.NETOBJ))
        } else if (callee.object.type === 'Identifier' && callee.object.name === 'Object' && name === 'assign' && args[0]) {
          const target = rootId(args[0])
          if (target) {
            const sym = resolve(target)
            edges.push(() => addTaint(sym, union(args.slice(1), 0)))
          }
        }
      }
    }
    // new Promise(resolve => …): what the resolver is called with is followed from the start
    if (call.type === 'NewExpression' && callee.type === 'Identifier' && callee.name === 'Promise' && args.length > 0) edges.push(() => void taintOf(call))
    // file writes with network or decoded data mark the path as a dropped payload
    const kind = classify(call).kind
    if (kind === 'import') edges.push(() => {
      const info = classify(call)
      if (info.kind !== 'import') return
      for (const sink of importedExport(info.imported)?.sinks ?? []) {
        if (sink.kind !== 'write') continue
        const operand = sink.operand !== undefined ? args[sink.operand] : undefined
        if (operand && union(args.filter((a) => a !== operand), 0) & (L.NET | L.DECODED)) markDropped(operand)
      }
    })
    if (kind === 'fs-write' || kind === 'fs-move') edges.push(() => {
      const info = classify(call)
      if (info.kind === 'fs-write') {
        const data = info.member === 'createWriteStream' ? pipedInto(call) : taintOf(args[1])
        if (data & (L.NET | L.DECODED)) markDropped(args[0])
        // what an exported function's caller passes in, written to a file: running that file runs it
        else if (data & PARAMS) markDropped(args[0], L.PARAM_FILE)
      } else if (info.kind === 'fs-move') {
        const from = taintOf(args[0]) & (L.DROPPED | L.PARAM_FILE)
        if (from) markDropped(args[1], from)
      }
    })
  }

  /** A call that may be a sink for an exported function's arguments (judged before the fixpoint, by its callee). */
  function isSinkCall(call: CallNode): boolean {
    const info = classify(call)
    switch (info.kind) {
      case 'network':
      case 'dns':
      case 'process':
      case 'eval':
      case 'function':
      case 'vm':
      case 'fs-read':
      case 'fs-write':
      case 'fs-move':
        return true
      case 'require':
        return info.member === 'dynamic'
      case 'import':
        return (importedExport(info.imported)?.sinks.length ?? 0) > 0
      default: {
        const callee = call.callee
        if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && SEND_METHODS.has(propName(callee, ctx) ?? '')) return true
        return call.arguments.some((a) => a.type === 'Identifier' && a.name === 'eval')
      }
    }
  }

  function isInteresting(call: CallNode): boolean {
    const info = classify(call)
    if (info.kind === 'require' && info.member === 'static') return crossFile && importOfRef({ module: ctx.staticString(call.arguments[0] as t.Node) ?? '', member: '' })?.summary.strong === true
    if (info.kind === 'import') return info.imported.summary.strong
    if (info.kind !== 'other' && info.kind !== 'sanitizer') return true
    return call.arguments.some((a) => a.type === 'Identifier' && a.name === 'eval')
  }
  const pipeCalls = calls.filter((c) => c.callee.type === 'MemberExpression' && propName(c.callee, ctx) === 'pipe')
  /** Taint of what is piped into a write stream: `res.pipe(fs.createWriteStream(p))` or `res.pipe(ws)`. */
  const pipedInto = (stream: CallNode): number => {
    let acc = 0
    for (const pipe of pipeCalls) {
      const target = pipe.arguments[0] as t.Node | undefined
      if (!target) continue
      const direct = target === stream
      const viaName = target.type === 'Identifier' && resolve(target).inits.includes(stream)
      if (direct || viaName) acc |= taintOf((pipe.callee as t.MemberExpression).object)
    }
    return acc
  }
  /** Labels the names in a written file's path: DROPPED, or PARAM_MEMBER for a file an exported function writes its arguments to. */
  const markDropped = (pathNode: t.Node | undefined, label: number = L.DROPPED) => {
    if (!pathNode) return
    const ids: t.Identifier[] = []
    let budget = 100
    const visit = (n: t.Node | null | undefined) => {
      if (!n || budget-- <= 0) return
      if (n.type === 'Identifier') ids.push(n)
      else if (n.type === 'BinaryExpression') (visit(n.left), visit(n.right))
      else if (n.type === 'TemplateLiteral') n.expressions.forEach((e) => visit(e))
      else if (n.type === 'CallExpression') n.arguments.forEach((a) => visit(a as t.Node))
      else if (n.type === 'ParenthesizedExpression') visit(n.expression)
    }
    visit(pathNode)
    for (const id of ids) {
      if (id.name === '__dirname' || id.name === '__filename') continue
      addTaint(resolve(id), label)
    }
  }

  const importsSummarized = crossFile && importSpecs.some((spec) => importOfRef({ module: spec, member: '' })?.summary.strong === true)
  if (!calls.some(isInteresting) && !wholeEnv && !importsSummarized) {
    if (liveExports.length > 0) recordConstantExports(program, ctx)
    return { calls: calls.length, exec: [], network: [], files: [], taintOf: () => 0, describe: (n) => describe(n) }
  }
  // The parameters of exported functions that can reach a sink get a label of their own, so that
  // the summary can say which sinks callers in other files reach (labels spread and cost: only
  // for functions that reach one).
  if (exportedFns.size > 0 && ctx.file) {
    const sinkFns = new Set<FnNode>()
    for (const call of calls) {
      const fn = enclosingFn.get(call)
      if (fn && !sinkFns.has(fn) && isSinkCall(call)) sinkFns.add(fn)
    }
    const seeded = sinkFns.size === 0 ? [] : [...exportedFns].filter((fn) => [...reachableFrom([fn])].some((f) => sinkFns.has(f)))
    if (seeded.length > 0) {
      edges.push(() => {
        for (const fn of seeded) for (const sym of paramSyms(fn)) addTaint(sym, L.PARAM)
      })
    }
  }

  // ---- fixpoint
  // Every edge once, then only the edges that read a symbol that changed.
  inQueue = new Uint8Array(edges.length)
  for (let i = edges.length - 1; i >= 0; i--) {
    queue.push(i)
    inQueue[i] = 1
  }
  // Huge bundles (a compiler, a whole UI in one file) get one pass and a little more: their values
  // merge through thousands of helpers, and a full fixpoint costs seconds.
  const huge = calls.length > HUGE_CALLS
  let budget = huge ? Math.ceil(edges.length * 1.5) : edges.length * MAX_ROUNDS + 1000
  if (huge) contextEvals = CONTEXT_BUDGET + 1
  while (queue.length > 0 && budget-- > 0) {
    const i = queue.pop()!
    inQueue[i] = 0
    currentEdge = i
    if (memo.size > 0) memo.clear()
    edges[i]!()
    if (lateEdges.length > 0) {
      // edges discovered while evaluating (promise resolvers): run them from now on like the others
      const grown = new Uint8Array(edges.length + lateEdges.length)
      grown.set(inQueue)
      inQueue = grown
      for (const edge of lateEdges.splice(0)) {
        edges.push(edge)
        queue.push(edges.length - 1)
        inQueue[edges.length - 1] = 1
      }
    }
  }
  currentEdge = -1
  memo.clear()

  // ---- events
  const exec: ExecEvent[] = []
  const network: NetworkEvent[] = []
  const files: FileEvent[] = []
  const unrefCalls = new Set<t.Node>()
  for (const call of calls) {
    if (call.callee.type === 'MemberExpression' && propName(call.callee, ctx) === 'unref') unrefCalls.add(call.callee.object)
  }
  const unrefNames = new Set<Sym>()
  for (const node of unrefCalls) if (node.type === 'Identifier') unrefNames.add(resolve(node))

  for (const call of calls) {
    const info = classify(call)
    const args = call.arguments as t.Node[]
    switch (info.kind) {
      case 'eval':
        exec.push({ kind: 'exec', node: call, api: info.member, family: 'eval', taint: taintOf(args[0]), text: describe(args[0]) })
        break
      case 'function':
        exec.push({ kind: 'exec', node: call, api: 'Function', family: 'eval', taint: union(args, 0), text: args.map((a) => describe(a)).join(', ') })
        break
      case 'vm':
        exec.push({ kind: 'exec', node: call, api: `vm.${info.member}`, family: 'eval', taint: taintOf(args[0]), text: describe(args[0]) })
        break
      case 'require':
        if (info.member === 'dynamic') exec.push({ kind: 'exec', node: call, api: call.callee.type === 'Import' ? 'import()' : 'require', family: 'require', taint: taintOf(args[0]), text: describe(args[0]) })
        break
      case 'process': {
        const argv = args[1]?.type === 'ArrayExpression' ? args[1] : undefined
        const optionsNode = (argv ? args[2] : args[1]?.type === 'ObjectExpression' ? args[1] : args[2]) as t.Node | undefined
        const text = [describe(args[0]), ...(argv ? argv.elements.map((e) => describe(e)) : [])].join(' ')
        const unref = unrefCalls.has(call) || [...unrefNames].some((s) => s.inits.includes(call))
        exec.push({
          kind: 'exec',
          node: call,
          api: info.member,
          family: 'process',
          taint: taintOf(args[0]) | (argv ? taintOf(argv) : 0),
          programTaint: taintOf(args[0]),
          text,
          options: optionsOf(optionsNode, unref),
          args: argv ? (argv.elements.filter(Boolean) as t.Node[]) : [],
        })
        break
      }
      case 'network':
      case 'dns': {
        const { urlText, url } = destination(call)
        network.push({ kind: 'network', node: call, api: info.member, urlText, ...(url && { url }), taint: union(args, 0), dns: info.kind === 'dns' })
        break
      }
      case 'fs-read':
      case 'fs-probe': {
        const pathText = describe(args[0])
        const pathTaint = taintOf(args[0]) | literalLabels(pathText)
        files.push({ kind: 'read', node: call, api: info.member, pathText, pathTaint, dataTaint: readLabel(args[0], 0), probe: info.kind === 'fs-probe' })
        break
      }
      case 'fs-write': {
        const pathText = describe(args[0])
        const data = info.member === 'createWriteStream' ? pipedInto(call) : taintOf(args[1])
        files.push({ kind: 'write', node: call, api: info.member, pathText, pathTaint: taintOf(args[0]) | literalLabels(pathText), dataTaint: data, probe: false })
        break
      }
      case 'import':
        importedSinkEvents(call, info.imported)
        break
      default: {
        // sends on network handles: req.write(x), socket.emit('e', x), ws.send(x)
        const callee = call.callee
        if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && SEND_METHODS.has(propName(callee, ctx) ?? '')) {
          const recv = taintOf(callee.object)
          if (recv & L.NETOBJ) {
            // The handle's destination: const req = https.request(url, …); req.end(data)
            const handle = rootId(callee.object)
            const chained = callee.object.type === 'CallExpression' && classify(callee.object).kind === 'network' ? callee.object : undefined
            const origin = chained ?? (handle ? resolve(handle).inits.find((n): n is CallNode => (n.type === 'CallExpression' || n.type === 'NewExpression') && classify(n).kind === 'network') : undefined)
            const where = origin ? destination(origin) : { urlText: '*' as string }
            // form.submit(url): the form itself is what is sent
            const own = propName(callee, ctx) === 'submit' ? recv & ~(L.NET | L.NETOBJ) : 0
            network.push({ kind: 'network', node: call, api: `<network handle>.${propName(callee, ctx)}`, ...where, taint: union(args, 0) | own, dns: false })
          }
        }
        // x.then(eval): a sink passed as a callback
        if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && args.some((a) => a.type === 'Identifier' && a.name === 'eval' && resolve(a).global)) {
          exec.push({ kind: 'exec', node: call, api: 'eval (as a callback)', family: 'eval', taint: taintOf(callee.object), text: '*' })
        }
      }
    }
  }

  // Values taken from other files that reach each event, for the messages.
  if (importSources.size > 0) {
    for (const event of [...exec, ...network, ...files]) {
      const taint = ('taint' in event ? event.taint : event.kind === 'write' ? event.dataTaint : event.pathTaint) & CARRIED
      const sources = taint === 0 ? [] : [...importSources.values()].filter((s) => s.labels & taint).slice(0, 4)
      if (sources.length > 0) event.cross = { ...event.cross, sources: sources.map(({ labels, site, via }) => ({ labels, site, via })) }
    }
  }
  if (ctx.file && liveExports.length > 0) {
    const summary = summarize(ctx.file.path)
    if (summary) recordSummary(ctx.pkg, ctx.file.path, summary)
  }

  return { calls: calls.length, exec, network, files, taintOf: (n) => taintOf(n), describe: (n) => describe(n) }

  /** Events at a call into another file's exported function: the sinks its summary says it reaches. */
  function importedSinkEvents(call: CallNode, imported: ImportedRef): void {
    const sinks = importedExport(imported)?.sinks ?? []
    if (sinks.length === 0) return
    const args = call.arguments as t.Node[]
    const whole = union(args, 0)
    for (const sink of sinks) {
      const taint = sink.writtenFile ? droppedLabels(whole) : sink.partial ? memberLabels(whole) : whole
      const operand = sink.operand !== undefined ? args[sink.operand] : undefined
      if (taint === 0 && !operand) continue // nothing of this file reaches it
      const cross: CrossFile = { sink: { site: sink.site, via: sink.via, fromCall: !!operand, depth: sink.depth, ...(sink.operand !== undefined && { operand: sink.operand }) } }
      if (sink.kind === 'network') {
        const where = operand ? withUrl(describe(operand)) : { urlText: sink.urlText ?? '*', ...(sink.url && { url: sink.url }) }
        network.push({ kind: 'network', node: call, api: sink.api, ...where, taint, dns: !!sink.dns, cross })
      } else if (sink.kind === 'exec') {
        exec.push({
          kind: 'exec',
          node: call,
          api: sink.api,
          family: sink.family ?? 'eval',
          taint,
          programTaint: operand ? taintOf(operand) : taint,
          text: operand ? describe(operand) : (sink.text ?? '*'),
          ...(sink.options && { options: sink.options }),
          args: [],
          cross,
        })
      } else if (sink.kind === 'write') {
        const pathText = operand ? describe(operand) : (sink.pathText ?? '*')
        const dataTaint = union(args.filter((a) => a !== operand), 0)
        files.push({ kind: 'write', node: call, api: sink.api, pathText, pathTaint: (operand ? taintOf(operand) : 0) | literalLabels(pathText), dataTaint, probe: false, cross })
      } else {
        const path = readPathAt(args, sink, 0)
        files.push({ kind: 'read', node: call, api: sink.api, pathText: path.text, pathTaint: path.taint, dataTaint: contentLabel(path.taint), probe: false, cross })
      }
    }
  }

  /** What this file's exports carry and which sinks its exported functions pass their arguments to. */
  function summarize(path: string): ModuleSummary | undefined {
    const file = ctx.file!
    const out = new Map<string, ExportSummary>()
    const put = (name: string, exp: ExportSummary) => {
      const old = out.get(name)
      if (!old && out.size >= SUMMARY_LIMITS.exports) return
      out.set(name, old ? mergeExports(old, exp) : exp)
    }
    const siteAt = (node: t.Node | undefined): Site => siteOf(file, node)
    const sinkTaint = (e: ExecEvent | NetworkEvent | FileEvent) => ('taint' in e ? e.taint : e.kind === 'write' ? e.dataTaint | e.pathTaint : e.pathTaint)
    const paramEvents = [...network, ...exec, ...files].filter((e) => (sinkTaint(e) & PARAMS) !== 0 && !(e.kind === 'read' && e.probe))

    /** Where the sensitive labels of an export come from: another file's export, a read of this file, or the export itself. */
    const sourceOf = (name: string, labels: number, fn: boolean, node: t.Node): ExportSummary['source'] => {
      const carried = labels & CARRIED
      if (carried === 0) return undefined
      const here = hop(name, path, fn)
      for (const s of importSources.values()) {
        if (s.labels & carried) return { site: s.site, via: joinVia(here, s.via), depth: s.depth + 1 }
      }
      const read = files.find((f) => f.kind === 'read' && !f.probe && (f.dataTaint & carried) !== 0)
      return { site: read ? siteAt(read.node) : siteAt(node), via: here, depth: 1 }
    }

    const summarizeFns = (name: string, fns: FnNode[], node: t.Node) => {
      let returns = 0
      for (const fn of fns) returns |= retSyms.get(fn)?.taint ?? 0
      const sinks: SinkSummary[] = []
      if (paramEvents.length > 0) {
        const reach = reachableFrom(fns)
        for (const e of paramEvents) {
          const owner = enclosingFn.get(e.node)
          if (!owner || !reach.has(owner) || sinks.length >= SUMMARY_LIMITS.sinks) continue
          const sink = sinkSummary(e, sinkTaint(e), name, fns, siteAt)
          if (sink) sinks.push(sink)
        }
      }
      const source = sourceOf(name, returns & ~PARAMS, true, node)
      put(name, { value: 0, returns, fn: true, sinks, ...(source && { source }) })
    }
    const summarizeValue = (name: string, node: t.Node, depth: number): void => {
      let value = node
      while (value.type === 'ParenthesizedExpression' || value.type === 'TSAsExpression' || value.type === 'TSNonNullExpression') value = value.expression
      // module.exports = require('./y'), exports.x = require('./y').x, export { x } of an imported x
      const imported = value.type === 'Identifier' ? resolve(value).imported : value.type === 'CallExpression' || value.type === 'MemberExpression' ? importOfRef(ctx.moduleOf(value)) : undefined
      if (imported) return copyImported(name, imported)
      const fns = functionsOf(value)
      if (fns.length > 0) return summarizeFns(name, fns, value)
      const obj = depth < 2 ? objectOf(value) : undefined
      if (obj) {
        for (const p of obj.properties) {
          if (p.type === 'SpreadElement' || p.computed) continue
          const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : undefined
          if (key === undefined) continue
          const member = name === '' ? key : `${name}.${key}`
          if (p.type === 'ObjectMethod') summarizeFns(member, [p], p)
          else if (p.type === 'ObjectProperty') summarizeValue(member, p.value, depth + 1)
        }
      }
      const taint = taintOf(value) & ~PARAMS
      const text = describe(value)
      const useful = usefulText(text, literalLabels(text))
      const source = sourceOf(name, taint, false, value)
      put(name, { value: taint, returns: 0, fn: false, sinks: [], ...(useful && { text }), ...(source && { source }) })
    }
    const copyImported = (name: string, imported: ImportedRef) => {
      if (imported.member !== '') {
        const exp = importedExport(imported)
        if (exp) put(name, deepen(exp))
        return
      }
      for (const [member, exp] of imported.summary.exports) put(name === '' ? member : member === '' ? name : `${name}.${member}`, deepen(exp))
    }

    for (const entry of liveExports) {
      if (entry.from) {
        const found = importedModule(ctx.pkg, path, entry.from.spec)
        if (!found) continue
        if (entry.from.star) {
          for (const [member, exp] of found.summary.exports) if (member !== '' && member !== 'default' && !out.has(member)) put(member, deepen(exp))
        } else {
          copyImported(entry.name, { path: found.path, member: entry.from.member, summary: found.summary })
        }
      } else if (entry.value) {
        summarizeValue(entry.name, entry.value, 0)
      }
    }
    const carries = (exp: ExportSummary) => ((exp.value | exp.returns) & CARRIED) !== 0 || exp.sinks.length > 0 || exp.text !== undefined
    if (![...out.values()].some(carries)) return undefined
    // (a reader of any path it is given is everywhere; the paths that make it matter are in the caller)
    const strong = [...out.values()].some((exp) => ((exp.value | exp.returns) & STRONG) !== 0 || exp.sinks.some((k) => k.kind !== 'read'))
    return { exports: out, strong }
  }

  /** A function and everything it can run: the functions nested in it and the local functions it calls. */
  function reachableFrom(fns: FnNode[]): Set<FnNode> {
    if (!childFns) {
      childFns = new Map()
      for (const [fn, parent] of parentFn) {
        const list = childFns.get(parent) ?? []
        list.push(fn)
        childFns.set(parent, list)
      }
      callsIn = new Map()
      for (const [call, fn] of enclosingFn) {
        const list = callsIn.get(fn) ?? []
        list.push(call)
        callsIn.set(fn, list)
      }
    }
    const seen = new Set<FnNode>(fns)
    const queue = [...fns]
    while (queue.length > 0 && seen.size < 500) {
      const fn = queue.pop()!
      const next = [...(childFns.get(fn) ?? [])]
      for (const call of callsIn!.get(fn) ?? []) if (call.callee.type === 'Identifier' || isFn(call.callee)) next.push(...fnsOf(call.callee))
      for (const n of next) {
        if (!seen.has(n)) {
          seen.add(n)
          queue.push(n)
        }
      }
    }
    return seen
  }

  /** The summary of an event that an exported function's parameters reach. */
  function sinkSummary(e: ExecEvent | NetworkEvent | FileEvent, taint: number, name: string, fns: FnNode[], siteAt: (node: t.Node) => Site): SinkSummary | undefined {
    const below = e.cross?.sink
    const depth = (below?.depth ?? 0) + 1
    if (depth > SUMMARY_LIMITS.depth) return undefined
    const args = e.node.arguments as t.Node[]
    let operandNode: t.Node | undefined
    if (below) operandNode = below.operand !== undefined ? args[below.operand] : undefined
    else if (e.kind === 'network') operandNode = e.api.startsWith('<') ? undefined : destinationNode(e.node)
    else if (e.kind === 'exec') operandNode = e.api === 'Function' ? args[args.length - 1] : args[0]
    else operandNode = args[0]
    while (operandNode && (operandNode.type === 'ParenthesizedExpression' || operandNode.type === 'TSAsExpression')) operandNode = operandNode.expression
    const param = operandNode?.type === 'Identifier' ? resolve(operandNode).param : undefined
    const operand = param && fns.includes(param.fn) ? param.index : undefined
    const writtenFile = (taint & (L.PARAM | L.PARAM_MEMBER)) === 0
    const partial = !writtenFile && (taint & L.PARAM) === 0
    const base = {
      api: e.api,
      site: below?.site ?? siteAt(e.node),
      via: joinVia(hop(name, filePath!, true), below?.via),
      depth,
      ...(operand !== undefined && { operand }),
      ...(partial && { partial }),
      ...(writtenFile && { writtenFile }),
    }
    if (e.kind === 'network') return { kind: 'network', ...base, urlText: e.urlText.slice(0, SUMMARY_LIMITS.text), ...(e.url && { url: e.url }), dns: e.dns }
    if (e.kind === 'exec') return { kind: 'exec', ...base, family: e.family, text: e.text.slice(0, SUMMARY_LIMITS.text), ...(e.options && { options: e.options }) }
    return { kind: e.kind, ...base, pathText: e.pathText.slice(0, SUMMARY_LIMITS.text) }
  }

  /** The URL argument of a request call (see `destination`). */
  function destinationNode(call: CallNode): t.Node | undefined {
    const args = call.arguments as t.Node[]
    let first = args[0]
    if (first && args[1] && /^(?:GET|POST|PUT|PATCH|DELETE|HEAD)$/i.test(ctx.staticString(first) ?? '')) first = args[1]
    if (first?.type !== 'ObjectExpression') return first
    for (const p of first.properties) {
      if (p.type !== 'ObjectProperty' || p.computed) continue
      const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : ''
      if (key === 'url' || key === 'uri' || key === 'baseURL' || key === 'hostname' || key === 'host') return p.value
    }
    return undefined
  }

  function destination(call: CallNode): { urlText: string; url?: UrlParts } {
    const args = call.arguments as t.Node[]
    let first = args[0]
    // request('GET', url) and sync-request('POST', url, …)
    if (first && args[1] && /^(?:GET|POST|PUT|PATCH|DELETE|HEAD)$/i.test(ctx.staticString(first) ?? '')) first = args[1]
    if (!first) return { urlText: '*' }
    if (first.type === 'ObjectExpression') {
      const prop = (name: string) => {
        for (const p of first!.type === 'ObjectExpression' ? first!.properties : []) {
          if (p.type === 'ObjectProperty' && !p.computed && ((p.key.type === 'Identifier' && p.key.name === name) || (p.key.type === 'StringLiteral' && p.key.value === name))) return p.value
        }
        return undefined
      }
      const url = prop('url') ?? prop('uri') ?? prop('baseURL')
      if (url) return withUrl(describe(url))
      const host = prop('hostname') ?? prop('host')
      if (host) {
        const port = prop('port')
        const path = prop('path')
        return withUrl(`${prop('protocol') ? describe(prop('protocol')).replace(/:$/, '') : 'https'}://${describe(host)}${port ? `:${describe(port)}` : ''}${path ? describe(path) : ''}`)
      }
      return { urlText: '*' }
    }
    return withUrl(describe(first))
  }
  function withUrl(text: string): { urlText: string; url?: UrlParts } {
    const url = parseUrl(text)
    if (url) return { urlText: text, url }
    // dns: a bare host name
    if (/^[a-z0-9*._-]{1,253}$/i.test(text) && text.includes('.')) return { urlText: text, url: { scheme: 'dns', host: text.toLowerCase(), path: '' } }
    return { urlText: text }
  }
  function optionsOf(node: t.Node | undefined, unref: boolean): ExecEvent['options'] {
    const out = { detached: false, stdioIgnored: false, windowsHide: false, unref }
    if (!node || node.type !== 'ObjectExpression') return out
    for (const p of node.properties) {
      if (p.type !== 'ObjectProperty' || p.computed) continue
      const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : ''
      if (key === 'detached') out.detached = p.value.type === 'BooleanLiteral' ? p.value.value : true
      if (key === 'windowsHide') out.windowsHide = p.value.type === 'BooleanLiteral' ? p.value.value : true
      if (key === 'stdio') {
        const v = ctx.staticString(p.value)
        if (v === 'ignore') out.stdioIgnored = true
        else if (p.value.type === 'ArrayExpression') out.stdioIgnored = p.value.elements.every((e) => e && ctx.staticString(e) === 'ignore')
      }
    }
    return out
  }
}
