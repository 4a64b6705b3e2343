import type * as t from '@babel/types'
import { NETWORK_MODULES, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

/** Modules that run programs, load code, touch the network, the file system or the host. */
const SENSITIVE_MODULES = new Set([
  'child_process', 'vm', 'net', 'tls', 'dgram', 'dns', 'dns/promises', 'http', 'https', 'http2', 'fs', 'fs/promises', 'os', 'module',
  'worker_threads', 'v8', 'inspector', 'cluster', 'process', ...NETWORK_MODULES,
])
/** Members whose name is worth hiding: running programs and code, sending, reading secrets. */
const SENSITIVE_MEMBERS = new Set([
  'exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync', 'fork', 'eval', 'Function', 'runInNewContext', 'runInThisContext', 'runInContext',
  'compileFunction', 'Script', 'request', 'get', 'post', 'connect', 'createConnection', 'writeFile', 'writeFileSync', 'readFile', 'readFileSync',
  'createReadStream', 'createWriteStream', 'homedir', 'hostname', 'userInfo', 'networkInterfaces', 'env', 'mainModule', 'binding', 'dlopen', '_load',
  'require', 'constructor', 'resolve4', 'resolveTxt', 'lookup',
])
/** Objects whose members are the runtime itself. */
const RUNTIME_OBJECTS = new Set(['global', 'globalThis', 'window', 'self', 'process'])
const MAX_REPORTS_PER_FILE = 5

/**
 * A module loaded, or a member of a module or of the runtime reached, under a name that appears
 * only after decoding (char codes, base64/hex, XOR, a decoder function, an obfuscator.io string
 * array) or after assembling pieces (`'child_' + 'process'`, `['ex', 'ec'].join('')`). The
 * folding engine sees the real name; this rule says that the code took pains to hide it.
 */
export default defineRule({
  meta: {
    id: 'obfuscated-require',
    severity: 'medium',
    description: 'A module or API reached under a name hidden by encoding or by assembling pieces',
    docs: 'rules/obfuscated-require.md',
  },
  create(context) {
    let reported = 0
    let extra: string[] = []

    const judge = (ctx: RuleContext, node: t.Node, nameNode: t.Node | null | undefined, what: (name: string) => { label: string; sensitive: boolean }) => {
      const file = ctx.file
      if (!file || !nameNode || isPlain(nameNode)) return
      const folded = ctx.foldString(nameNode)
      if (!folded || !folded.computed || folded.value.length === 0 || folded.value.length > 200) return
      const { label, sensitive } = what(folded.value)
      let severity: Severity | undefined
      if (folded.decoded) severity = sensitive ? 'high' : 'medium'
      else if (sensitive) severity = file.entryKind === 'install' ? 'high' : 'medium'
      if (!severity) return
      if (file.entryKind === 'other') severity = severity === 'high' ? 'medium' : 'low'
      if (reported >= MAX_REPORTS_PER_FILE) {
        extra.push(label)
        return
      }
      reported++
      const how = folded.decoded ? 'decoded at run time (char codes, base64/hex, XOR or a decoder function)' : 'assembled from pieces'
      context.report({ node, severity, message: `${label} is reached under a name ${how}, so that it does not appear in the source.${whenRuns(file)}` })
    }

    const loads = (node: t.CallExpression | t.OptionalCallExpression | t.ImportExpression, ctx: RuleContext) => {
      const ref = ctx.moduleOf(node)
      if (!ref || ref.member !== '') return
      judge(ctx, node, moduleArgument(node), (name) => ({ label: `require(${JSON.stringify(name)})`, sensitive: SENSITIVE_MODULES.has(name.replace(/^node:/, '')) }))
    }

    return {
      Program() {
        reported = 0
        extra = []
      },
      CallExpression: loads,
      OptionalCallExpression: loads,
      ImportExpression: loads,
      MemberExpression(node, ctx) {
        if (!node.computed || isPlain(node.property)) return
        const object = node.object
        const base = ctx.moduleOf(object)
        const runtime = object.type === 'Identifier' && RUNTIME_OBJECTS.has(object.name) ? object.name : undefined
        if (!base && !runtime) return
        const owner = base ? (base.member ? `${base.module}.${base.member}` : base.module) : runtime!
        judge(ctx, node, node.property, (name) => ({
          label: `${owner}.${name}`,
          sensitive: SENSITIVE_MEMBERS.has(name) || (base !== undefined && SENSITIVE_MODULES.has(base.module) && base.module !== 'fs' && base.module !== 'os'),
        }))
      },
      'Program:exit'(_program, ctx) {
        const file = ctx.file
        if (!file || extra.length === 0) return
        context.report({ line: 1, severity: 'low', message: `${extra.length} more name${extra.length === 1 ? ' is' : 's are'} hidden the same way: ${[...new Set(extra)].slice(0, 8).join(', ')}.` })
      },
    }
  },
})

/** A literal name: nothing hidden. */
function isPlain(node: t.Node): boolean {
  return node.type === 'StringLiteral' || node.type === 'NumericLiteral' || (node.type === 'TemplateLiteral' && node.expressions.length === 0)
}

/** The argument naming the module: `require(x)`, `require.call(null, x)`, `import(x)`. */
function moduleArgument(node: t.CallExpression | t.OptionalCallExpression | t.ImportExpression): t.Node | undefined {
  if (node.type === 'ImportExpression') return node.source
  const callee = node.callee
  if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && !callee.computed && callee.property.type === 'Identifier' && (callee.property.name === 'call' || callee.property.name === 'apply')) {
    return undefined // the name is in an argument list; judged through the plain call form only
  }
  const arg = node.arguments[0]
  return arg && arg.type !== 'SpreadElement' && arg.type !== 'ArgumentPlaceholder' ? arg : undefined
}
