import type * as t from '@babel/types'
import type { BindingTable } from './bindings.ts'
import { BufferValue, FunctionValue, Interpreter, Lazy, OutOfBudget, patternNames, POISON, Scope, Thrown, Unknown, type Root, type Value } from './interpret.ts'
import type { StaticValue } from './static-value.ts'
import { walk } from './walk.ts'

/** Steps one fold may take (an obfuscator.io RC4 decode is a few thousand). */
const FOLD_STEPS = 1_000_000
/** Steps the file's top level may take (string-array rotation: up to array length × checksum calls × decode). */
const PRELUDE_STEPS = 25_000_000
/** Steps all evaluations of one file may take together; past it nothing more is folded in that file. */
const FILE_STEPS = 60_000_000
/** Steps failed folds may waste before a file's folds get SMALL_FOLD_STEPS each. */
const WASTE_LIMIT = 3_000_000
const SMALL_FOLD_STEPS = 30_000
/** Nodes of a top-level IIFE that the prelude runs (rotation IIFEs are a few dozen). */
const IIFE_MAX_NODES = 3000
/** Nodes of a file the index visits; larger files get no interpreter. */
const INDEX_MAX_NODES = 5_000_000

/** What folding went through: any computation, and decoding (char codes, base64/hex, XOR, interpreted functions). */
export interface FoldTrace {
  computed: boolean
  decoded: boolean
}

const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'reverse', 'sort', 'fill', 'copyWithin', 'set', 'delete', 'clear', 'add'])

/** The declarations and writes of a file, from one walk, for resolving names the binding table cannot. */
export interface FileIndex {
  /** Top-level declarations: a FunctionDeclaration or VariableDeclarator, null when declared more than once or by a pattern. */
  topLevel: Map<string, t.FunctionDeclaration | t.VariableDeclarator | null>
  /** Names declared in nested scopes (parameters, block and function locals, catch parameters), with the source ranges of those scopes. */
  nested: Map<string, Array<[number, number]>>
  /** Every function declaration by name, null when several share the name. */
  functions: Map<string, t.FunctionDeclaration | null>
  /** Names passed to IIFEs below the top level, whose values those IIFEs may have rotated. */
  rotatedNested: Set<string>
  /** Names written (assigned, updated, mutated through a method) per top-level statement index. */
  writes: Map<string, Set<number>>
  /** Top-level statement indexes whose writes happen only when a function they declare is called. */
  statements: readonly t.Statement[]
  complete: boolean
}

interface Prelude {
  scope: Scope
}

const evaluators = new WeakMap<BindingTable, FileEvaluator>()

/** The evaluator of the file a binding table belongs to. */
export function evaluatorOf(bindings: BindingTable): FileEvaluator {
  let ev = evaluators.get(bindings)
  if (!ev) {
    ev = new FileEvaluator(bindings)
    evaluators.set(bindings, ev)
  }
  return ev
}

/**
 * Folds expressions of one file with the interpreter. Free names resolve, in order, to the file's
 * top level as the prelude left it (top-level declarations, after running the IIFEs that rotate
 * string arrays), to the binding table, to function declarations anywhere in the file, and to the
 * interpreter's built-ins when the file declares no such name.
 */
export class FileEvaluator {
  readonly it = new Interpreter()
  private fileSteps = FILE_STEPS
  private wasted = 0
  private indexCache: FileIndex | undefined
  private preludeCache: Prelude | null | undefined
  private readonly memo = new WeakMap<t.Node, { version: number; value: StaticValue | undefined; computed: boolean; decoded: boolean }>()
  private folding = false

  readonly bindings: BindingTable
  constructor(bindings: BindingTable) {
    this.bindings = bindings
  }

  get program(): t.Program | undefined {
    return this.bindings.program
  }

  /** Folds an expression; undefined when it is not static or a limit was hit. */
  fold(node: t.Node, trace?: FoldTrace): StaticValue | undefined {
    if (this.fileSteps <= 0 || this.folding) return undefined
    const memo = this.memo.get(node)
    if (memo && memo.version === this.bindings.version) {
      if (trace && memo.value !== undefined) {
        trace.computed ||= memo.computed
        trace.decoded ||= memo.decoded
      }
      return memo.value
    }
    const it = this.it
    // Files whose folds keep failing expensively (big benign code) get small budgets from then on.
    const budget = Math.min(this.wasted > WASTE_LIMIT ? SMALL_FOLD_STEPS : FOLD_STEPS, this.fileSteps)
    const root = new BindingRoot(this, node.start ?? undefined, new Map())
    let value: StaticValue | undefined
    let decoded = false
    let computed = false
    this.folding = true
    it.begin(budget, true)
    try {
      value = toStatic(it.evaluate(node, root.scope), 0)
      decoded = it.decodeOps > 0
      computed = decoded || it.assembleOps > 0
    } catch (error) {
      if (!(error instanceof Unknown || error instanceof Thrown || error instanceof RangeError)) this.lastError = error
      value = undefined
    } finally {
      const used = budget - Math.max(it.steps, 0)
      this.fileSteps -= used
      if (value === undefined) this.wasted += used
      it.end()
      this.folding = false
    }
    this.memo.set(node, { version: this.bindings.version, value, computed, decoded })
    if (trace && value !== undefined) {
      trace.computed ||= computed
      trace.decoded ||= decoded
    }
    return value
  }

  /** The last unexpected error an evaluation hit (a bug, not a non-static value); for tests. */
  lastError: unknown

  index(): FileIndex {
    this.indexCache ??= buildIndex(this.program)
    return this.indexCache
  }

  /** Whether `name`, used at source offset `pos`, is the file's top-level declaration of it. */
  isSafeTopLevel(name: string, pos: number | undefined): boolean {
    const index = this.index()
    if (!index.complete || !index.topLevel.get(name)) return false
    const ranges = index.nested.get(name)
    if (!ranges) return true
    if (pos === undefined) return false
    return !ranges.some(([start, end]) => start <= pos && pos < end)
  }

  /** The file's top level after its string-array IIFEs ran, or null when it could not be built. */
  prelude(): Prelude | null {
    if (this.preludeCache !== undefined) return this.preludeCache
    this.preludeCache = null
    const it = this.it
    const outer = it.suspend() // a fold may be running: the prelude has its own budget and no journal
    try {
      this.preludeCache = this.buildPrelude()
    } finally {
      it.resume(outer)
    }
    return this.preludeCache
  }

  /**
   * Whether names should resolve through the prelude: in files with a top-level IIFE that gets a
   * top-level name (obfuscator.io's rotation), or for a top-level function that replaces itself
   * (its binding is then ambiguous). Elsewhere the binding table gives the same answers, without
   * the walk the index takes.
   */
  usesPrelude(name: string): boolean {
    if (!this.shallow) {
      const functions = new Set<string>()
      const declared = new Set<string>()
      let rotation = false
      for (const statement of this.program?.body ?? []) {
        const s = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration ?? statement : statement
        if (s.type === 'FunctionDeclaration' && s.id) {
          functions.add(s.id.name)
          declared.add(s.id.name)
        } else if (s.type === 'VariableDeclaration') {
          for (const d of s.declarations) if (d.id.type === 'Identifier') declared.add(d.id.name)
        }
      }
      for (const statement of this.program?.body ?? []) {
        const call = iifeCall(statement)
        if (call?.arguments.some((a) => a.type === 'Identifier' && declared.has(a.name))) rotation = true
      }
      this.shallow = { rotation, functions }
    }
    return this.shallow.rotation || (this.shallow.functions.has(name) && this.bindings.get(name)?.kind === 'ambiguous')
  }

  private shallow: { rotation: boolean; functions: Set<string> } | undefined

  private buildPrelude(): Prelude | null {
    const index = this.index()
    if (!this.program || !index.complete) return null
    const it = this.it
    const scope = new Scope(undefined, true)
    scope.root = new GlobalsRoot()
    for (const [name, decl] of index.topLevel) {
      if (!decl) scope.vars.set(name, POISON)
      else if (decl.type === 'FunctionDeclaration') scope.vars.set(name, new FunctionValue(decl, scope))
      else scope.vars.set(name, decl.init ? new Lazy(decl.init) : undefined)
    }
    const statements = index.statements
    const isTop = (name: string) => !!index.topLevel.get(name)
    let lastIife = -1
    statements.forEach((s, i) => {
      if (isRotationIife(s, isTop)) lastIife = i
    })
    const writtenBy = new Map<number, string[]>()
    for (const [name, at] of index.writes) {
      for (const i of at) {
        const list = writtenBy.get(i)
        if (list) list.push(name)
        else writtenBy.set(i, [name])
      }
    }
    const poison = (i: number) => {
      for (const name of writtenBy.get(i) ?? []) if (scope.vars.has(name)) scope.vars.set(name, POISON)
    }
    const budget = Math.min(PRELUDE_STEPS, this.fileSteps)
    it.begin(budget, false)
    try {
      statements.forEach((statement, i) => {
        if (statement.type === 'FunctionDeclaration') return
        if (statement.type === 'VariableDeclaration') {
          poison(i)
          if (i > lastIife) return // evaluated lazily, on first use
          for (const d of statement.declarations) {
            if (d.id.type !== 'Identifier' || !(scope.vars.get(d.id.name) instanceof Lazy)) continue
            try {
              it.lookup(scope, d.id.name)
            } catch (error) {
              if (error instanceof OutOfBudget) throw error
            }
          }
          return
        }
        if (i <= lastIife && isRotationIife(statement, isTop)) {
          try {
            it.evaluate((statement as t.ExpressionStatement).expression, scope)
            return
          } catch (error) {
            if (error instanceof OutOfBudget) throw error
            // a rotation that failed half-way leaves its arrays in an unknown order
            for (const arg of iifeCall(statement)!.arguments) if (arg.type === 'Identifier' && scope.vars.has(arg.name)) scope.vars.set(arg.name, POISON)
          }
        }
        poison(i)
      })
    } catch (error) {
      if (!(error instanceof OutOfBudget)) this.lastError = error
      this.fileSteps -= budget
      it.end()
      return null
    }
    this.fileSteps -= budget - Math.max(it.steps, 0)
    it.end()
    if (!it.persist(scope)) return null
    return { scope }
  }
}

class GlobalsRoot implements Root {
  resolve(name: string, it: Interpreter): Value {
    if (it.globals.has(name)) return it.globals.get(name)
    throw new Unknown(`unknown global ${name}`)
  }

  assign(name: string): void {
    throw new Unknown(`assignment to global ${name}`)
  }
}

/**
 * Root of one fold, for code at one source position: the prelude for names that resolve to the
 * top level there, then the binding table, then function declarations, then built-ins. Functions
 * it creates get the root of their own position.
 */
class BindingRoot implements Root {
  readonly scope = new Scope(undefined, true)
  private readonly memo = new Map<string, Value>()
  private readonly resolving = new Set<string>()
  private readonly ev: FileEvaluator
  private readonly pos: number | undefined
  private readonly roots: Map<number, BindingRoot>

  constructor(ev: FileEvaluator, pos: number | undefined, roots: Map<number, BindingRoot>) {
    this.ev = ev
    this.pos = pos
    this.roots = roots
    this.scope.root = this
    if (pos !== undefined) roots.set(pos, this)
  }

  private closure(fn: t.Function): FunctionValue {
    const pos = fn.start ?? undefined
    const root = pos === undefined ? this : (this.roots.get(pos) ?? new BindingRoot(this.ev, pos, this.roots))
    return new FunctionValue(fn, root.scope)
  }

  resolve(name: string, it: Interpreter): Value {
    if (this.memo.has(name)) return this.memo.get(name)
    const ev = this.ev
    if (ev.usesPrelude(name)) {
      const prelude = ev.isSafeTopLevel(name, this.pos) ? ev.prelude() : null
      if (prelude) return it.lookup(prelude.scope, name)
      if (ev.index().rotatedNested.has(name)) throw new Unknown(`${name} is rotated by an IIFE`)
    }
    const binding = ev.bindings.get(name)
    let value: Value
    if (binding) {
      if (binding.kind !== 'value' || this.resolving.has(name)) throw new Unknown(`${name} is not static`)
      this.resolving.add(name)
      try {
        const init = binding.init
        value = isFunction(init) ? this.closure(init) : it.evaluate(init, this.scope)
      } catch (error) {
        throw error instanceof Thrown ? new Unknown(`${name} throws`) : error
      } finally {
        this.resolving.delete(name)
      }
    } else if (it.globals.has(name)) {
      return it.globals.get(name)
    } else {
      throw new Unknown(`unknown name ${name}`)
    }
    this.memo.set(name, value)
    return value
  }

  assign(name: string, value: Value, it: Interpreter): void {
    const prelude = this.ev.usesPrelude(name) && this.ev.isSafeTopLevel(name, this.pos) ? this.ev.prelude() : null
    if (!prelude) throw new Unknown(`assignment to ${name}`)
    it.assign(prelude.scope, name, value)
  }
}

function isFunction(node: t.Node): node is t.Function {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression'
}

/** A value as `staticValue` reports it: primitives and arrays of them; buffers as their UTF-8 text. */
function toStatic(value: Value, depth: number): StaticValue | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined // NaN and Infinity say nothing useful
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    if (depth > 4 || value.length > 100_000) return undefined
    const out: StaticValue[] = []
    for (const v of value) {
      const s = toStatic(v, depth + 1)
      if (s === undefined) return undefined
      out.push(s)
    }
    return out
  }
  if (value instanceof BufferValue) return Buffer.from(value.bytes).toString('utf8')
  return undefined
}

// ---------------------------------------------------------------- shapes

/** The call of a statement `(function (…) {…})(…)`, also written `!function…`, `void function…`, with arrows. */
export function iifeCall(statement: t.Node): t.CallExpression | undefined {
  if (statement.type !== 'ExpressionStatement') return undefined
  let e: t.Node = statement.expression
  while (e.type === 'UnaryExpression' || e.type === 'ParenthesizedExpression') e = e.type === 'UnaryExpression' ? e.argument : e.expression
  if (e.type !== 'CallExpression') return undefined
  let callee: t.Node = e.callee
  while (callee.type === 'ParenthesizedExpression') callee = callee.expression
  if (callee.type !== 'FunctionExpression' && callee.type !== 'ArrowFunctionExpression') return undefined
  if (callee.async || callee.generator) return undefined
  return e
}

/** A top-level IIFE that receives a top-level name (obfuscator.io's string-array rotation) and is small. */
export function isRotationIife(statement: t.Node, isTopName: (name: string) => boolean): boolean {
  const call = iifeCall(statement)
  if (!call || !call.arguments.some((a) => a.type === 'Identifier' && isTopName(a.name))) return false
  return countNodes(call.callee, IIFE_MAX_NODES + 1) <= IIFE_MAX_NODES
}

function countNodes(root: t.Node, limit: number): number {
  let count = 0
  walkLimited(root, limit, () => {
    count++
  })
  return count
}

function walkLimited(root: t.Node, limit: number, visit: (n: t.Node) => void): void {
  let n = 0
  try {
    walk(root, {
      enter(node) {
        if (++n > limit) throw LIMIT
        visit(node)
      },
    })
  } catch (error) {
    if (error !== LIMIT) throw error
  }
}
const LIMIT = Symbol('limit')

function baseName(node: t.Node): string | undefined {
  let n: t.Node = node
  while (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression' || n.type === 'ParenthesizedExpression') n = n.type === 'ParenthesizedExpression' ? n.expression : n.object
  return n.type === 'Identifier' ? n.name : undefined
}

function isFunctionNode(node: t.Node): boolean {
  return (
    node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' ||
    node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod'
  )
}

function buildIndex(program: t.Program | undefined): FileIndex {
  const index: FileIndex = {
    topLevel: new Map(),
    nested: new Map(),
    functions: new Map(),
    rotatedNested: new Set(),
    writes: new Map(),
    statements: [],
    complete: false,
  }
  if (!program) return index
  const statements: t.Statement[] = program.body.map((s) =>
    (s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration') && s.declaration && (s.declaration.type === 'FunctionDeclaration' || s.declaration.type === 'VariableDeclaration')
      ? s.declaration
      : s,
  )
  index.statements = statements
  const topDeclarations = new Set<t.Node>()
  const declareTop = (name: string, decl: t.FunctionDeclaration | t.VariableDeclarator | null) => {
    index.topLevel.set(name, index.topLevel.has(name) ? null : decl)
  }
  for (const s of statements) {
    if (s.type === 'FunctionDeclaration' && s.id) {
      declareTop(s.id.name, s)
      topDeclarations.add(s)
    } else if (s.type === 'VariableDeclaration') {
      for (const d of s.declarations) {
        topDeclarations.add(d)
        if (d.id.type === 'Identifier') declareTop(d.id.name, d)
        else patternNames(d.id, (name) => declareTop(name, null))
      }
    } else if (s.type === 'ClassDeclaration' && s.id) {
      declareTop(s.id.name, null)
    } else if (s.type === 'ImportDeclaration') {
      for (const spec of s.specifiers) declareTop(spec.local.name, null)
    }
  }
  const statementIndex = new Map<t.Node, number>()
  statements.forEach((s, i) => statementIndex.set(s, i))
  program.body.forEach((s, i) => statementIndex.set(s, i))

  const addFunction = (fn: t.FunctionDeclaration) => {
    const name = fn.id!.name
    index.functions.set(name, index.functions.has(name) ? null : fn)
  }
  // Writes inside functions declared by a top-level function or variable declaration happen only
  // when the function runs (and the interpreter runs it); other writes count for their statement.
  let current = -1
  let deferredDepth = 0
  const write = (name: string | undefined) => {
    if (!name || current < 0 || deferredDepth > 0) return
    let set = index.writes.get(name)
    if (!set) index.writes.set(name, (set = new Set()))
    set.add(current)
  }
  const nest = (name: string, scope: t.Node | undefined) => {
    const range: [number, number] = scope && scope.start != null && scope.end != null ? [scope.start, scope.end] : [0, Number.MAX_SAFE_INTEGER]
    const list = index.nested.get(name)
    if (list) list.push(range)
    else index.nested.set(name, [range])
  }
  const nearest = (ancestors: readonly t.Node[], test: (n: t.Node) => boolean): t.Node | undefined => {
    for (let i = ancestors.length - 1; i >= 0; i--) if (test(ancestors[i]!)) return ancestors[i]
    return undefined
  }
  const isBlockScope = (n: t.Node) =>
    isFunctionNode(n) || n.type === 'BlockStatement' || n.type === 'ForStatement' || n.type === 'ForInStatement' || n.type === 'ForOfStatement' ||
    n.type === 'SwitchStatement' || n.type === 'StaticBlock' || n.type === 'Program'
  let count = 0
  try {
    walk(program, {
      enter(node, ancestors) {
        if (++count > INDEX_MAX_NODES) throw LIMIT
        if (ancestors.length === 1) {
          current = statementIndex.get(node) ?? -1
        } else if (ancestors.length === 2 && (ancestors[1]!.type === 'ExportNamedDeclaration' || ancestors[1]!.type === 'ExportDefaultDeclaration')) {
          current = statementIndex.get(node) ?? current
        }
        if (isFunctionNode(node)) {
          const s = current >= 0 ? statements[current] : undefined
          if (s && (s.type === 'FunctionDeclaration' || s.type === 'VariableDeclaration')) deferredDepth++
          const fn = node as t.Function
          for (const p of fn.params) patternNames(p, (name) => nest(name, node))
          if (node.type === 'FunctionDeclaration' && node.id) {
            addFunction(node)
            if (!topDeclarations.has(node)) nest(node.id.name, nearest(ancestors, isBlockScope))
          } else if (node.type === 'FunctionExpression' && node.id) {
            nest(node.id.name, node)
          }
          return
        }
        switch (node.type) {
          case 'VariableDeclarator': {
            if (topDeclarations.has(node)) break
            const declaration = ancestors[ancestors.length - 1]
            const scope = declaration?.type === 'VariableDeclaration' && declaration.kind === 'var' ? nearest(ancestors, isFunctionNode) : nearest(ancestors, isBlockScope)
            patternNames(node.id, (name) => nest(name, scope))
            break
          }
          case 'CatchClause':
            patternNames(node.param, (name) => nest(name, node))
            break
          case 'ClassDeclaration':
            if (node.id) nest(node.id.name, nearest(ancestors, isBlockScope))
            break
          case 'ClassExpression':
            if (node.id) nest(node.id.name, node)
            break
          case 'AssignmentExpression':
            if (node.left.type === 'Identifier' || node.left.type === 'MemberExpression') write(baseName(node.left))
            else patternNames(node.left, write)
            break
          case 'UpdateExpression':
            write(baseName(node.argument))
            break
          case 'UnaryExpression':
            if (node.operator === 'delete') write(baseName(node.argument))
            break
          case 'ForInStatement':
          case 'ForOfStatement':
            if (node.left.type !== 'VariableDeclaration') patternNames(node.left, write)
            break
          case 'CallExpression':
          case 'OptionalCallExpression': {
            const callee = node.callee
            if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && !callee.computed && callee.property.type === 'Identifier') {
              if (MUTATING_METHODS.has(callee.property.name)) write(baseName(callee.object))
              // Object.assign(x, …), Object.defineProperty(x, …), Reflect.set(x, …)
              if (callee.object.type === 'Identifier' && (callee.object.name === 'Object' || callee.object.name === 'Reflect') && node.arguments[0]) write(baseName(node.arguments[0]))
            } else if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && callee.computed) {
              // x['push'](…) and other computed calls may mutate x
              write(baseName(callee.object))
            }
            break
          }
          case 'ExpressionStatement':
            // IIFEs below the top level may rotate what they receive
            if (ancestors.length > 1) {
              const call = iifeCall(node)
              if (call) for (const arg of call.arguments) if (arg.type === 'Identifier') index.rotatedNested.add(arg.name)
            }
            break
        }
      },
      exit(node) {
        if (isFunctionNode(node)) {
          const s = current >= 0 ? statements[current] : undefined
          if (s && (s.type === 'FunctionDeclaration' || s.type === 'VariableDeclaration')) deferredDepth--
        }
      },
    })
  } catch (error) {
    if (error !== LIMIT) throw error
    return index
  }
  index.complete = true
  return index
}
