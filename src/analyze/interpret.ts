import type * as t from '@babel/types'
import { checkRegExp, regExpCost, type RegExpCheck } from './safe-regexp.ts'

/**
 * A tiny, bounded, side-effect-free interpreter for the pure decoder code of obfuscated packages:
 * string/number/array/object operations, loops, closures, try/catch and a whitelist of built-ins
 * (`String.fromCharCode`, `parseInt`, `Buffer.from`, `atob`, `decodeURIComponent`, `Math` minus
 * `random`, …). It never touches the host: interpreted values live in their own heap, every
 * unknown name (`require`, `process`, `Date`, `Math.random`, `eval`, …) aborts the evaluation,
 * and every evaluation runs under a step budget, a call-depth limit and size caps. Regular
 * expressions run only when their worst-case cost on the input is bounded (see safe-regexp.ts).
 */

export const MAX_STRING = 1 << 20
const MAX_ARRAY = 1 << 20
const MAX_CALL_DEPTH = 100
/** Worst-case backtracking steps a regular expression may take on its subject. */
const MAX_REGEXP_COST = 2e8

/**
 * The evaluation cannot be done statically (an unknown name, an unsupported construct, a limit).
 * Not an Error: it is thrown often, and capturing a stack trace each time would dominate the cost.
 */
export class Unknown {
  readonly message: string
  constructor(message = 'not static') {
    this.message = message
  }
}

/** The step budget ran out. */
export class OutOfBudget extends Unknown {}

/** A JavaScript exception inside interpreted code: interpreted `try/catch` sees these, and only these. */
export class Thrown {
  readonly value: Value
  constructor(value: Value) {
    this.value = value
  }
}

export class ObjectValue {
  readonly props = new Map<string, Value>()
}

export class FunctionValue {
  readonly props = new Map<string, Value>()
  readonly node: t.Function
  readonly scope: Scope
  constructor(node: t.Function, scope: Scope) {
    this.node = node
    this.scope = scope
  }
}

export type NativeImpl = (it: Interpreter, thisValue: Value, args: Value[]) => Value

export class NativeFunction {
  readonly props = new Map<string, Value>()
  readonly name: string
  readonly impl: NativeImpl
  readonly construct: ((it: Interpreter, args: Value[]) => Value) | undefined
  constructor(name: string, impl: NativeImpl, construct?: (it: Interpreter, args: Value[]) => Value) {
    this.name = name
    this.impl = impl
    this.construct = construct
  }
}

export class BufferValue {
  bytes: Uint8Array
  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }
}

export class RegExpValue {
  lastIndex = 0
  readonly regex: RegExp
  readonly check: RegExpCheck
  constructor(regex: RegExp, check: RegExpCheck) {
    this.regex = regex
    this.check = check
  }
}

export type Value = undefined | null | boolean | number | string | Value[] | ObjectValue | FunctionValue | NativeFunction | BufferValue | RegExpValue

/** A lazily evaluated top-level declaration, and a name whose value cannot be known. */
export class Lazy {
  evaluating = false
  /** Set once the initializer failed: not static in any later evaluation either. */
  failed = false
  /** Set once the initializer was evaluated without touching persistent state: its value, kept for later evaluations. */
  done = false
  value: Value = undefined
  readonly init: t.Expression
  constructor(init: t.Expression) {
    this.init = init
  }
}
export const POISON = Object.freeze({ poison: true })

/** Where the names no scope declares come from: the file's top level, the binding table, built-ins. */
export interface Root {
  resolve(name: string, it: Interpreter): Value
  assign(name: string, value: Value, it: Interpreter): void
}

export class Scope {
  readonly vars = new Map<string, Value | Lazy | typeof POISON>()
  consts: Set<string> | undefined
  /** `this` of a non-arrow function scope; undefined on other scopes. */
  hasThis = false
  thisValue: Value = undefined
  root: Root | undefined
  readonly parent: Scope | undefined
  readonly isFunction: boolean
  constructor(parent: Scope | undefined, isFunction: boolean) {
    this.parent = parent
    this.isFunction = isFunction
  }
}

type Completion = undefined | { kind: 'break' | 'continue'; label: string | undefined } | { kind: 'return'; value: Value }

const NO_LABELS: ReadonlySet<string> = new Set()

/** Property names that would reach prototypes or code: reading or writing them aborts. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', 'caller', 'callee'])

const STRING_METHODS = new Set([
  'charAt', 'charCodeAt', 'codePointAt', 'at', 'indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith', 'slice', 'substring', 'substr',
  'toUpperCase', 'toLowerCase', 'trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'padStart', 'padEnd', 'repeat', 'concat', 'split', 'replace', 'replaceAll',
  'match', 'search', 'normalize', 'toString', 'valueOf',
])
const ARRAY_METHODS = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'slice', 'concat', 'join', 'reverse', 'indexOf', 'lastIndexOf', 'includes', 'map', 'forEach', 'filter',
  'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'fill', 'sort', 'flat', 'at', 'toString',
])
const NUMBER_METHODS = new Set(['toString', 'toFixed', 'valueOf'])
const BUFFER_METHODS = new Set(['toString', 'slice', 'subarray', 'readUInt8', 'readUint8', 'readInt8', 'equals', 'indexOf', 'includes'])
const FUNCTION_METHODS = new Set(['call', 'apply', 'bind'])

/** Names of real prototype members that are not modelled: reading them aborts instead of giving `undefined`. */
const STRING_PROTO = new Set(Object.getOwnPropertyNames(String.prototype))
const ARRAY_PROTO = new Set(Object.getOwnPropertyNames(Array.prototype))
const OBJECT_PROTO = new Set(Object.getOwnPropertyNames(Object.prototype))
const FUNCTION_PROTO = new Set(Object.getOwnPropertyNames(Function.prototype))
const NUMBER_PROTO = new Set(Object.getOwnPropertyNames(Number.prototype))

export interface BudgetOptions {
  steps: number
}

/** Runs interpreted code for one file; its heap (the file's top level) persists between folds. */
export class Interpreter {
  /** Steps left for the current evaluation. */
  steps = 0
  /** Decoding operations seen in the current evaluation: char codes, base64/hex, XOR, calls of interpreted functions. */
  decodeOps = 0
  /** Operations that assemble strings from pieces in the current evaluation: concatenation, join, slicing, replacing. */
  assembleOps = 0
  private callDepth = 0
  readonly globals: Map<string, Value>
  /** Containers and scopes that outlive one evaluation: writes to them are undone after it. */
  readonly persistent = new WeakSet<object>()
  private journal: Array<() => void> | undefined
  private touched: Set<object> | undefined
  private readonly methodRefs = new Map<string, NativeFunction>()
  private readonly hoistCache = new WeakMap<t.Node, Hoisted>()

  constructor() {
    this.globals = makeGlobals()
    const holder = new Scope(undefined, true)
    for (const [k, v] of this.globals) holder.vars.set(k, v)
    this.persist(holder)
  }

  // ------------------------------------------------------------ evaluations

  /** Starts an evaluation whose writes to persistent state are undone by `end`. */
  begin(steps: number, journaled: boolean): void {
    this.steps = steps
    this.decodeOps = 0
    this.assembleOps = 0
    this.callDepth = 0
    this.journal = journaled ? [] : undefined
    this.touched = journaled ? new Set() : undefined
  }

  /** The state of the current evaluation, to run another one (the prelude) in the middle of it. */
  suspend(): unknown {
    return [this.steps, this.decodeOps, this.assembleOps, this.callDepth, this.journal, this.touched]
  }

  resume(state: unknown): void {
    const [steps, decodeOps, assembleOps, callDepth, journal, touched] = state as [number, number, number, number, Array<() => void> | undefined, Set<object> | undefined]
    this.steps = steps
    this.decodeOps = decodeOps
    this.assembleOps = assembleOps
    this.callDepth = callDepth
    this.journal = journal
    this.touched = touched
  }

  end(): void {
    const journal = this.journal
    this.journal = undefined
    this.touched = undefined
    if (journal) for (let i = journal.length - 1; i >= 0; i--) journal[i]!()
  }

  tick(): void {
    if (--this.steps < 0) throw new OutOfBudget('step budget exhausted')
  }

  /**
   * Records the state of a persistent container before its first write of the evaluation. A fold
   * may not change persistent arrays or buffers at all (that is how an impure function shows):
   * only scopes, objects and functions, under the rules of `assign` and `setProp`.
   */
  touch(target: object): void {
    if (!this.journal || !this.persistent.has(target)) return
    if (Array.isArray(target) || target instanceof BufferValue) throw new Unknown('impure: mutates an array of the file\'s top level')
    if (this.touched!.has(target)) return
    this.touched!.add(target)
    if (target instanceof Scope) {
      const copy = new Map(target.vars)
      this.journal.push(() => {
        target.vars.clear()
        for (const [k, v] of copy) target.vars.set(k, v)
      })
    } else if (target instanceof ObjectValue || target instanceof FunctionValue || target instanceof NativeFunction) {
      const copy = new Map(target.props)
      this.journal.push(() => {
        target.props.clear()
        for (const [k, v] of copy) target.props.set(k, v)
      })
    } else if (target instanceof RegExpValue) {
      const last = target.lastIndex
      this.journal.push(() => {
        target.lastIndex = last
      })
    }
  }

  /** Marks everything reachable from a scope as persistent (bounded); false when it is too large. */
  persist(root: unknown, limit = 2_000_000): boolean {
    const stack: unknown[] = [root]
    let count = 0
    while (stack.length > 0) {
      const item = stack.pop()
      if (item === null || typeof item !== 'object' || this.persistent.has(item)) continue
      if (++count > limit) return false
      this.persistent.add(item)
      if (item instanceof Scope) {
        for (const v of item.vars.values()) stack.push(v)
        if (item.parent) stack.push(item.parent)
        stack.push(item.thisValue)
      } else if (Array.isArray(item)) {
        for (const v of item) stack.push(v)
      } else if (item instanceof ObjectValue || item instanceof NativeFunction) {
        for (const v of item.props.values()) stack.push(v)
      } else if (item instanceof FunctionValue) {
        for (const v of item.props.values()) stack.push(v)
        stack.push(item.scope)
      } else if (item instanceof BufferValue || item instanceof RegExpValue) {
        // leaf
      }
    }
    return true
  }

  // ------------------------------------------------------------ names

  lookup(scope: Scope, name: string): Value {
    let s: Scope | undefined = scope
    let last: Scope = scope
    while (s) {
      const v = s.vars.get(name)
      if (v !== undefined || s.vars.has(name)) return this.unwrap(s, name, v)
      last = s
      s = s.parent
    }
    if (last.root) return last.root.resolve(name, this)
    throw new Unknown(`unbound name ${name}`)
  }

  private unwrap(scope: Scope, name: string, v: Value | Lazy | typeof POISON): Value {
    if (v === POISON) throw new Unknown(`${name} is not static`)
    if (v instanceof Lazy) {
      if (v.done) return v.value
      if (v.failed) throw new Unknown(`${name} is not static`)
      if (v.evaluating) throw new Unknown(`${name} depends on itself`)
      v.evaluating = true
      const journalLength = this.journal?.length ?? 0
      let value: Value
      try {
        value = this.evaluate(v.init, scope)
      } catch (error) {
        if (!(error instanceof OutOfBudget)) v.failed = true
        throw error instanceof Thrown ? new Unknown(`${name} throws`) : error
      } finally {
        v.evaluating = false
      }
      if (!this.journal || this.journal.length === journalLength) {
        // No persistent state changed: the value holds for every later evaluation.
        v.done = true
        v.value = value
        this.persist(value)
        return value
      }
      this.touch(scope)
      scope.vars.set(name, value)
      return value
    }
    return v as Value
  }

  /** Whether a scope of the chain declares the name (roots excluded: they never declare `undefined`). */
  private declared(scope: Scope, name: string): boolean {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return true
    return false
  }

  assign(scope: Scope, name: string, value: Value): void {
    let s: Scope | undefined = scope
    let last: Scope = scope
    while (s) {
      if (s.vars.has(name)) {
        if (s.vars.get(name) === POISON) throw new Unknown(`${name} is not static`)
        if (s.consts?.has(name)) throw new Thrown(makeError('TypeError', 'Assignment to constant variable.'))
        if (this.journal && this.persistent.has(s) && !(value instanceof FunctionValue || value instanceof NativeFunction)) {
          // Self-replacing decoders (`f = function () {…}`) are pure in effect; a counter is not.
          throw new Unknown(`impure: writes ${name} of the file's top level`)
        }
        this.touch(s)
        s.vars.set(name, value)
        return
      }
      last = s
      s = s.parent
    }
    if (last.root) return last.root.assign(name, value, this)
    throw new Unknown(`assignment to undeclared ${name}`)
  }

  declare(scope: Scope, name: string, value: Value, kind: 'var' | 'let' | 'const' | 'param'): void {
    this.touch(scope)
    scope.vars.set(name, value)
    if (kind === 'const') (scope.consts ??= new Set()).add(name)
  }

  private thisOf(scope: Scope): Value {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.hasThis) return s.thisValue
    throw new Unknown('this outside a function')
  }

  // ------------------------------------------------------------ statements

  /** Runs a function body or program statements in `scope`, hoisting `var` and function declarations first. */
  runBody(statements: readonly t.Statement[], scope: Scope, owner: t.Node): Completion {
    this.hoist(statements, scope, owner)
    return this.execList(statements, scope)
  }

  private hoist(statements: readonly t.Statement[], scope: Scope, owner: t.Node): void {
    let hoisted = this.hoistCache.get(owner)
    if (!hoisted) {
      hoisted = collectHoisted(statements)
      this.hoistCache.set(owner, hoisted)
    }
    for (const name of hoisted.vars) if (!scope.vars.has(name)) this.declare(scope, name, undefined, 'var')
    for (const fn of hoisted.functions) this.declare(scope, fn.id!.name, new FunctionValue(fn, scope), 'var')
  }

  private execList(statements: readonly t.Statement[], scope: Scope): Completion {
    for (const statement of statements) {
      const c = this.exec(statement, scope, NO_LABELS)
      if (c) return c
    }
    return undefined
  }

  private blockScope(statements: readonly t.Statement[], scope: Scope): Scope {
    // A block needs its own scope only for lexical declarations.
    for (const s of statements) {
      if ((s.type === 'VariableDeclaration' && s.kind !== 'var') || s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') {
        const inner = new Scope(scope, false)
        for (const f of statements) if (f.type === 'FunctionDeclaration' && f.id) this.declare(inner, f.id.name, new FunctionValue(f, inner), 'let')
        return inner
      }
    }
    return scope
  }

  exec(node: t.Statement, scope: Scope, labels: ReadonlySet<string>): Completion {
    this.tick()
    switch (node.type) {
      case 'ExpressionStatement':
        this.evaluate(node.expression, scope)
        return undefined
      case 'VariableDeclaration':
        this.execDeclaration(node, scope)
        return undefined
      case 'FunctionDeclaration':
      case 'EmptyStatement':
      case 'DebuggerStatement':
        return undefined
      case 'ReturnStatement':
        return { kind: 'return', value: node.argument ? this.evaluate(node.argument, scope) : undefined }
      case 'IfStatement':
        if (truthy(this.evaluate(node.test, scope))) return this.exec(node.consequent, scope, NO_LABELS)
        return node.alternate ? this.exec(node.alternate, scope, NO_LABELS) : undefined
      case 'BlockStatement':
        return this.execList(node.body, this.blockScope(node.body, scope))
      case 'ThrowStatement':
        throw new Thrown(this.evaluate(node.argument, scope))
      case 'BreakStatement':
        return { kind: 'break', label: node.label?.name }
      case 'ContinueStatement':
        return { kind: 'continue', label: node.label?.name }
      case 'LabeledStatement': {
        const inner = new Set(labels)
        inner.add(node.label.name)
        const c = this.exec(node.body, scope, inner)
        if (c?.kind === 'break' && c.label === node.label.name) return undefined
        return c
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'ForStatement':
        return this.execLoop(node, scope, labels)
      case 'ForInStatement':
      case 'ForOfStatement':
        return this.execForIn(node, scope, labels)
      case 'SwitchStatement':
        return this.execSwitch(node, scope)
      case 'TryStatement':
        return this.execTry(node, scope)
      default:
        throw new Unknown(`statement ${node.type}`)
    }
  }

  private execDeclaration(node: t.VariableDeclaration, scope: Scope): void {
    const kind = node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : node.kind === 'let' ? 'let' : undefined
    if (!kind) throw new Unknown(`${node.kind} declaration`)
    for (const d of node.declarations) {
      if (kind === 'var') {
        if (d.init) this.bindPattern(d.id, this.evaluate(d.init, scope), scope, 'assign')
      } else {
        this.bindPattern(d.id, d.init ? this.evaluate(d.init, scope) : undefined, scope, kind)
      }
    }
  }

  /** Handles a loop's completion: 'next', 'stop', or a completion to propagate. */
  private loopControl(c: Completion, labels: ReadonlySet<string>): 'next' | 'stop' | Completion {
    if (!c) return 'next'
    if (c.kind === 'break' && (c.label === undefined || labels.has(c.label))) return 'stop'
    if (c.kind === 'continue' && (c.label === undefined || labels.has(c.label))) return 'next'
    return c
  }

  private execLoop(node: t.WhileStatement | t.DoWhileStatement | t.ForStatement, scope: Scope, labels: ReadonlySet<string>): Completion {
    let loopScope = scope
    if (node.type === 'ForStatement' && node.init) {
      if (node.init.type === 'VariableDeclaration') {
        if (node.init.kind !== 'var') loopScope = new Scope(scope, false)
        this.execDeclaration(node.init, loopScope)
      } else {
        this.evaluate(node.init, loopScope)
      }
    }
    let first = true
    for (;;) {
      this.tick()
      if (node.type === 'DoWhileStatement') {
        if (!first && !truthy(this.evaluate(node.test, loopScope))) break
      } else if (node.test && !truthy(this.evaluate(node.test, loopScope))) {
        break
      }
      first = false
      const control = this.loopControl(this.exec(node.body, loopScope, NO_LABELS), labels)
      if (control === 'stop') break
      if (control !== 'next') return control
      if (node.type === 'ForStatement' && node.update) this.evaluate(node.update, loopScope)
    }
    return undefined
  }

  private execForIn(node: t.ForInStatement | t.ForOfStatement, scope: Scope, labels: ReadonlySet<string>): Completion {
    if (node.type === 'ForOfStatement' && node.await) throw new Unknown('for await')
    const subject = this.evaluate(node.right, scope)
    const items: Value[] = node.type === 'ForOfStatement' ? this.iterate(subject) : this.keysOf(subject)
    for (const item of items) {
      this.tick()
      let bodyScope = scope
      if (node.left.type === 'VariableDeclaration') {
        const declarator = node.left.declarations[0]!
        if (node.left.kind === 'var') this.bindPattern(declarator.id, item, scope, 'assign')
        else {
          bodyScope = new Scope(scope, false)
          this.bindPattern(declarator.id, item, bodyScope, node.left.kind === 'const' ? 'const' : 'let')
        }
      } else {
        this.bindPattern(node.left, item, scope, 'assign')
      }
      const control = this.loopControl(this.exec(node.body, bodyScope, NO_LABELS), labels)
      if (control === 'stop') break
      if (control !== 'next') return control
    }
    return undefined
  }

  private execSwitch(node: t.SwitchStatement, scope: Scope): Completion {
    const value = this.evaluate(node.discriminant, scope)
    const inner = new Scope(scope, false)
    let matched = -1
    for (let i = 0; i < node.cases.length && matched < 0; i++) {
      const test = node.cases[i]!.test
      if (test && strictEquals(value, this.evaluate(test, inner))) matched = i
    }
    if (matched < 0) matched = node.cases.findIndex((c) => !c.test)
    if (matched < 0) return undefined
    for (let i = matched; i < node.cases.length; i++) {
      const c = this.execList(node.cases[i]!.consequent, inner)
      if (!c) continue
      if (c.kind === 'break' && c.label === undefined) return undefined
      return c
    }
    return undefined
  }

  private execTry(node: t.TryStatement, scope: Scope): Completion {
    let completion: Completion
    try {
      completion = this.exec(node.block, scope, NO_LABELS)
    } catch (error) {
      if (!(error instanceof Thrown) || !node.handler) {
        if (node.finalizer) {
          const f = this.exec(node.finalizer, scope, NO_LABELS)
          if (f) return f
        }
        throw error
      }
      const catchScope = new Scope(scope, false)
      if (node.handler.param) this.bindPattern(node.handler.param, error.value, catchScope, 'let')
      try {
        completion = this.exec(node.handler.body, catchScope, NO_LABELS)
      } catch (inner) {
        if (node.finalizer) {
          const f = this.exec(node.finalizer, scope, NO_LABELS)
          if (f) return f
        }
        throw inner
      }
    }
    if (node.finalizer) {
      const f = this.exec(node.finalizer, scope, NO_LABELS)
      if (f) return f
    }
    return completion
  }

  // ------------------------------------------------------------ patterns

  bindPattern(pattern: t.Node, value: Value, scope: Scope, kind: 'var' | 'let' | 'const' | 'param' | 'assign'): void {
    switch (pattern.type) {
      case 'Identifier':
        if (kind === 'assign') this.assign(scope, pattern.name, value)
        else this.declare(scope, pattern.name, value, kind)
        return
      case 'MemberExpression':
        if (kind !== 'assign') throw new Unknown('member pattern in a declaration')
        this.setMember(pattern, value, scope)
        return
      case 'AssignmentPattern':
        this.bindPattern(pattern.left, value === undefined ? this.evaluate(pattern.right, scope) : value, scope, kind)
        return
      case 'ArrayPattern': {
        const items = this.iterate(value)
        pattern.elements.forEach((element, i) => {
          if (!element) return
          if (element.type === 'RestElement') this.bindPattern(element.argument, this.track(items.slice(i)), scope, kind)
          else this.bindPattern(element, items[i], scope, kind)
        })
        return
      }
      case 'ObjectPattern': {
        if (value === null || value === undefined) throw new Thrown(makeError('TypeError', 'Cannot destructure'))
        for (const prop of pattern.properties) {
          if (prop.type === 'RestElement') throw new Unknown('object rest')
          const key = prop.computed ? toPropertyKey(this.evaluate(prop.key as t.Expression, scope)) : keyName(prop.key)
          this.bindPattern(prop.value, this.getProp(value, key), scope, kind)
        }
        return
      }
      default:
        throw new Unknown(`pattern ${pattern.type}`)
    }
  }

  // ------------------------------------------------------------ expressions

  /** Evaluates an expression. Deeply nested code overflows the host stack: callers treat the RangeError as not static. */
  evaluate(node: t.Node, scope: Scope): Value {
    if (--this.steps < 0) throw new OutOfBudget('step budget exhausted')
    switch (node.type) {
      case 'StringLiteral':
      case 'NumericLiteral':
      case 'BooleanLiteral':
        return node.value
      case 'NullLiteral':
        return null
      case 'RegExpLiteral':
        return this.makeRegExp(node.pattern, node.flags)
      case 'TemplateLiteral': {
        let out = node.quasis[0]?.value.cooked ?? ''
        for (let i = 0; i < node.expressions.length; i++) {
          out = this.concat(this.concat(out, this.toStr(this.evaluate(node.expressions[i]!, scope))), node.quasis[i + 1]?.value.cooked ?? '')
        }
        return out
      }
      case 'Identifier':
        if ((node.name === 'undefined' || node.name === 'NaN' || node.name === 'Infinity') && !this.declared(scope, node.name)) {
          return node.name === 'undefined' ? undefined : node.name === 'NaN' ? NaN : Infinity
        }
        return this.lookup(scope, node.name)
      case 'ThisExpression':
        return this.thisOf(scope)
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
        return this.evaluate(node.expression, scope)
      case 'SequenceExpression': {
        let value: Value
        for (const e of node.expressions) value = this.evaluate(e, scope)
        return value
      }
      case 'ArrayExpression': {
        const out: Value[] = []
        for (const element of node.elements) {
          if (!element) out.push(undefined)
          else if (element.type === 'SpreadElement') for (const v of this.iterate(this.evaluate(element.argument, scope))) out.push(v)
          else out.push(this.evaluate(element, scope))
          if (out.length > MAX_ARRAY) throw new Unknown('array too large')
        }
        return out
      }
      case 'ObjectExpression':
        return this.evalObject(node, scope)
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return new FunctionValue(node, scope)
      case 'UnaryExpression':
        return this.evalUnary(node, scope)
      case 'UpdateExpression': {
        const old = toNumber(this.evaluate(node.argument, scope))
        const next = node.operator === '++' ? old + 1 : old - 1
        this.assignTo(node.argument, next, scope)
        return node.prefix ? next : old
      }
      case 'BinaryExpression': {
        if (node.left.type === 'PrivateName') throw new Unknown('private name')
        const left = this.evaluate(node.left, scope)
        const right = this.evaluate(node.right, scope)
        return this.binary(node.operator, left, right)
      }
      case 'LogicalExpression': {
        const left = this.evaluate(node.left, scope)
        if (node.operator === '&&') return truthy(left) ? this.evaluate(node.right, scope) : left
        if (node.operator === '||') return truthy(left) ? left : this.evaluate(node.right, scope)
        return left === null || left === undefined ? this.evaluate(node.right, scope) : left
      }
      case 'ConditionalExpression':
        return truthy(this.evaluate(node.test, scope)) ? this.evaluate(node.consequent, scope) : this.evaluate(node.alternate, scope)
      case 'AssignmentExpression':
        return this.evalAssignment(node, scope)
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        const object = this.evaluate(node.object, scope)
        if (node.type === 'OptionalMemberExpression' && node.optional && (object === null || object === undefined)) return undefined
        return this.getProp(object, this.memberKey(node, scope))
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
        return this.evalCall(node, scope)
      case 'NewExpression':
        return this.evalNew(node, scope)
      case 'TaggedTemplateExpression':
        throw new Unknown('tagged template')
      default:
        throw new Unknown(`expression ${node.type}`)
    }
  }

  private memberKey(node: t.MemberExpression | t.OptionalMemberExpression, scope: Scope): string {
    if (!node.computed) {
      if (node.property.type !== 'Identifier') throw new Unknown('private member')
      return node.property.name
    }
    return toPropertyKey(this.evaluate(node.property, scope))
  }

  private evalObject(node: t.ObjectExpression, scope: Scope): ObjectValue {
    const object = new ObjectValue()
    for (const prop of node.properties) {
      if (prop.type === 'SpreadElement') {
        const source = this.evaluate(prop.argument, scope)
        if (source instanceof ObjectValue) for (const [k, v] of source.props) object.props.set(k, v)
        else if (source !== null && source !== undefined) throw new Unknown('spread of a non-object')
        continue
      }
      const key = prop.computed ? toPropertyKey(this.evaluate(prop.key as t.Expression, scope)) : keyName(prop.key)
      if (key === '__proto__') throw new Unknown('__proto__ in an object literal')
      if (prop.type === 'ObjectMethod') {
        if (prop.kind !== 'method') throw new Unknown('accessor property')
        object.props.set(key, new FunctionValue(prop, scope))
      } else {
        object.props.set(key, this.evaluate(prop.value as t.Expression, scope))
      }
    }
    return object
  }

  private evalUnary(node: t.UnaryExpression, scope: Scope): Value {
    if (node.operator === 'typeof') return typeOf(this.evaluate(node.argument, scope))
    if (node.operator === 'delete') {
      const target = node.argument
      if (target.type !== 'MemberExpression') throw new Unknown('delete of a non-member')
      const object = this.evaluate(target.object, scope)
      const key = this.memberKey(target, scope)
      if (object instanceof ObjectValue || object instanceof FunctionValue) {
        this.touch(object)
        object.props.delete(key)
        return true
      }
      throw new Unknown('delete on this value')
    }
    const value = this.evaluate(node.argument, scope)
    switch (node.operator) {
      case '!':
        return !truthy(value)
      case '-':
        return -toNumber(this.toPrimitive(value))
      case '+':
        return toNumber(this.toPrimitive(value))
      case '~':
        return ~toNumber(this.toPrimitive(value))
      case 'void':
        return undefined
      default:
        throw new Unknown(`unary ${node.operator}`)
    }
  }

  private evalAssignment(node: t.AssignmentExpression, scope: Scope): Value {
    if (node.operator === '=') {
      const value = this.evaluate(node.right, scope)
      if (node.left.type === 'Identifier' || node.left.type === 'MemberExpression') this.assignTo(node.left, value, scope)
      else this.bindPattern(node.left, value, scope, 'assign')
      return value
    }
    const current = this.evaluate(node.left, scope)
    let value: Value
    if (node.operator === '&&=' || node.operator === '||=' || node.operator === '??=') {
      const keep = node.operator === '&&=' ? !truthy(current) : node.operator === '||=' ? truthy(current) : current !== null && current !== undefined
      if (keep) return current
      value = this.evaluate(node.right, scope)
    } else {
      value = this.binary(node.operator.slice(0, -1), current, this.evaluate(node.right, scope))
    }
    this.assignTo(node.left, value, scope)
    return value
  }

  private assignTo(target: t.Node, value: Value, scope: Scope): void {
    if (target.type === 'Identifier') this.assign(scope, target.name, value)
    else if (target.type === 'MemberExpression') this.setMember(target, value, scope)
    else throw new Unknown(`assignment to ${target.type}`)
  }

  private setMember(target: t.MemberExpression, value: Value, scope: Scope): void {
    const object = this.evaluate(target.object, scope)
    this.setProp(object, this.memberKey(target, scope), value)
  }

  private evalArgs(args: ReadonlyArray<t.Node>, scope: Scope): Value[] {
    const out: Value[] = []
    for (const arg of args) {
      if (arg.type === 'SpreadElement') for (const v of this.iterate(this.evaluate(arg.argument, scope))) out.push(v)
      else if (arg.type === 'ArgumentPlaceholder') throw new Unknown('argument placeholder')
      else out.push(this.evaluate(arg, scope))
      if (out.length > 65536) throw new Unknown('too many arguments')
    }
    return out
  }

  private evalCall(node: t.CallExpression | t.OptionalCallExpression, scope: Scope): Value {
    const callee = node.callee
    let fn: Value
    let thisValue: Value = undefined
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      thisValue = this.evaluate(callee.object, scope)
      if (callee.type === 'OptionalMemberExpression' && callee.optional && (thisValue === null || thisValue === undefined)) return undefined
      fn = this.getProp(thisValue, this.memberKey(callee, scope))
    } else if (callee.type === 'Super' || callee.type === 'V8IntrinsicIdentifier' || callee.type === 'Import') {
      throw new Unknown(`call of ${callee.type}`)
    } else {
      fn = this.evaluate(callee, scope)
    }
    if (node.type === 'OptionalCallExpression' && node.optional && (fn === null || fn === undefined)) return undefined
    return this.invoke(fn, thisValue, this.evalArgs(node.arguments, scope))
  }

  private evalNew(node: t.NewExpression, scope: Scope): Value {
    const ctor = this.evaluate(node.callee as t.Expression, scope)
    const args = this.evalArgs(node.arguments, scope)
    if (ctor instanceof NativeFunction) {
      if (!ctor.construct) throw new Unknown(`new ${ctor.name}`)
      return ctor.construct(this, args)
    }
    if (ctor instanceof FunctionValue) {
      if (ctor.node.type === 'ArrowFunctionExpression') throw new Thrown(makeError('TypeError', 'not a constructor'))
      const instance = new ObjectValue()
      const result = this.callFunction(ctor, instance, args)
      return result instanceof ObjectValue || Array.isArray(result) || result instanceof FunctionValue ? result : instance
    }
    throw new Thrown(makeError('TypeError', 'not a constructor'))
  }

  invoke(fn: Value, thisValue: Value, args: Value[]): Value {
    if (fn instanceof FunctionValue) return this.callFunction(fn, thisValue, args)
    if (fn instanceof NativeFunction) return fn.impl(this, thisValue, args)
    throw new Thrown(makeError('TypeError', `${typeOf(fn)} is not a function`))
  }

  callFunction(fn: FunctionValue, thisValue: Value, args: Value[]): Value {
    const node = fn.node
    if (node.async || node.generator) throw new Unknown('async or generator function')
    if (this.callDepth >= MAX_CALL_DEPTH) throw new Unknown('call depth limit')
    this.callDepth++
    this.decodeOps++
    try {
      const scope = new Scope(fn.scope, true)
      if (node.type !== 'ArrowFunctionExpression') {
        scope.hasThis = true
        scope.thisValue = thisValue
        if (node.type === 'FunctionExpression' && node.id) scope.vars.set(node.id.name, fn)
        if (usesArguments(node)) scope.vars.set('arguments', argumentsObject(args))
      }
      node.params.forEach((param, i) => {
        if (param.type === 'RestElement') this.bindPattern(param.argument, args.slice(i), scope, 'param')
        else if (param.type === 'TSParameterProperty') throw new Unknown('parameter property')
        else this.bindPattern(param, args[i], scope, 'param')
      })
      if (node.body.type !== 'BlockStatement') return this.evaluate(node.body, scope)
      const completion = this.runBody(node.body.body, scope, node)
      return completion?.kind === 'return' ? completion.value : undefined
    } finally {
      this.callDepth--
    }
  }

  // ------------------------------------------------------------ operators and conversions

  concat(a: string, b: string): string {
    if (a.length + b.length > MAX_STRING) throw new Unknown('string too long')
    this.assembleOps++
    return a + b
  }

  toPrimitive(value: Value): string | number | boolean | null | undefined {
    if (value === null || typeof value !== 'object') return value
    return this.toStr(value)
  }

  toStr(value: Value): string {
    if (value === undefined) return 'undefined'
    if (value === null || typeof value !== 'object') return String(value)
    if (Array.isArray(value)) return this.join(value, ',', new Set())
    if (value instanceof ObjectValue) {
      const custom = value.props.get('toString')
      if (custom !== undefined) throw new Unknown('custom toString')
      return '[object Object]'
    }
    if (value instanceof BufferValue) return Buffer.from(value.bytes).toString('utf8')
    if (value instanceof RegExpValue) return String(value.regex)
    if (value instanceof NativeFunction) return `function ${value.name}() { [native code] }`
    throw new Unknown('source text of a function')
  }

  join(array: Value[], separator: string, seen: Set<Value[]>): string {
    if (seen.has(array)) return ''
    this.assembleOps++
    seen.add(array)
    const parts: string[] = []
    let length = 0
    for (let i = 0; i < array.length; i++) {
      this.tick()
      const v = array[i]
      const s = v === null || v === undefined ? '' : Array.isArray(v) ? this.join(v, ',', seen) : this.toStr(v)
      length += s.length + (i > 0 ? separator.length : 0)
      if (length > MAX_STRING) throw new Unknown('string too long')
      parts.push(s)
    }
    seen.delete(array)
    return parts.join(separator)
  }

  binary(operator: string, left: Value, right: Value): Value {
    switch (operator) {
      case '===':
        return strictEquals(left, right)
      case '!==':
        return !strictEquals(left, right)
      case '==':
      case '!=': {
        let equal: boolean
        if (isObject(left) && isObject(right)) equal = left === right
        else if (isObject(left) || isObject(right)) {
          const a = isObject(left) ? this.toPrimitive(left) : left
          const b = isObject(right) ? this.toPrimitive(right) : right
          equal = a == b
        } else equal = (left as unknown) == (right as unknown)
        return operator === '==' ? equal : !equal
      }
      case 'in': {
        const key = toPropertyKey(left)
        if (right instanceof ObjectValue || right instanceof FunctionValue || right instanceof NativeFunction) return right.props.has(key)
        if (Array.isArray(right)) {
          const i = arrayIndex(key)
          return (i !== undefined && i < right.length) || key === 'length'
        }
        throw new Unknown('in on this value')
      }
      case 'instanceof':
        throw new Unknown('instanceof')
    }
    const a = this.toPrimitive(left)
    const b = this.toPrimitive(right)
    if (operator === '+') {
      if (typeof a === 'string' || typeof b === 'string') return this.concat(this.toStr(a), this.toStr(b))
      return (a as number) + (b as number)
    }
    const x = a as number
    const y = b as number
    switch (operator) {
      case '-':
        return x - y
      case '*':
        return x * y
      case '/':
        return x / y
      case '%':
        return x % y
      case '**':
        return x ** y
      case '|':
        return x | y
      case '&':
        return x & y
      case '^':
        this.decodeOps++
        return x ^ y
      case '<<':
        return x << y
      case '>>':
        return x >> y
      case '>>>':
        return x >>> y
      case '<':
        return x < y
      case '>':
        return x > y
      case '<=':
        return x <= y
      case '>=':
        return x >= y
      default:
        throw new Unknown(`operator ${operator}`)
    }
  }

  /** The values `for…of`, spread and array destructuring see. */
  iterate(value: Value): Value[] {
    if (Array.isArray(value)) return value.slice()
    if (typeof value === 'string') {
      const out: string[] = []
      for (const ch of value) out.push(ch)
      return out
    }
    if (value instanceof BufferValue) return Array.from(value.bytes)
    throw new Thrown(makeError('TypeError', `${typeOf(value)} is not iterable`))
  }

  private keysOf(value: Value): string[] {
    if (value instanceof ObjectValue) return [...value.props.keys()]
    if (Array.isArray(value) || typeof value === 'string') return Array.from({ length: value.length }, (_, i) => String(i))
    if (value === null || value === undefined) return []
    throw new Unknown('for-in over this value')
  }

  track<T extends Value[]>(array: T): T {
    if (array.length > MAX_ARRAY) throw new Unknown('array too large')
    return array
  }

  // ------------------------------------------------------------ properties

  getProp(object: Value, key: string): Value {
    if (object === null || object === undefined) throw new Thrown(makeError('TypeError', `Cannot read properties of ${object} (reading '${key.slice(0, 40)}')`))
    if (FORBIDDEN_KEYS.has(key)) throw new Unknown(`property ${key}`)
    if (typeof object === 'string') {
      if (key === 'length') return object.length
      const i = arrayIndex(key)
      if (i !== undefined) return i < object.length ? object[i] : undefined
      if (STRING_METHODS.has(key)) return this.methodRef(key)
      if (STRING_PROTO.has(key) || OBJECT_PROTO.has(key)) throw new Unknown(`string method ${key}`)
      return undefined
    }
    if (typeof object === 'number' || typeof object === 'boolean') {
      if (NUMBER_METHODS.has(key)) return this.methodRef(key)
      if (NUMBER_PROTO.has(key) || OBJECT_PROTO.has(key)) throw new Unknown(`number method ${key}`)
      return undefined
    }
    if (Array.isArray(object)) {
      if (key === 'length') return object.length
      const i = arrayIndex(key)
      if (i !== undefined) return object[i]
      if (ARRAY_METHODS.has(key)) return this.methodRef(key)
      if (ARRAY_PROTO.has(key) || OBJECT_PROTO.has(key)) throw new Unknown(`array method ${key}`)
      return undefined
    }
    if (object instanceof ObjectValue) {
      const v = object.props.get(key)
      if (v !== undefined || object.props.has(key)) return v
      if (key === 'hasOwnProperty') return this.methodRef(key)
      if (OBJECT_PROTO.has(key)) throw new Unknown(`object method ${key}`)
      return undefined
    }
    if (object instanceof FunctionValue || object instanceof NativeFunction) {
      const v = object.props.get(key)
      if (v !== undefined || object.props.has(key)) return v
      if (FUNCTION_METHODS.has(key)) return this.methodRef(key)
      if (key === 'length') return object instanceof FunctionValue ? object.node.params.length : 1
      if (key === 'name') return object instanceof FunctionValue ? functionName(object.node) : object.name
      if (FUNCTION_PROTO.has(key) || OBJECT_PROTO.has(key)) throw new Unknown(`function property ${key}`)
      return undefined
    }
    if (object instanceof BufferValue) {
      if (key === 'length') return object.bytes.length
      const i = arrayIndex(key)
      if (i !== undefined) return object.bytes[i]
      if (BUFFER_METHODS.has(key)) return this.methodRef(key)
      throw new Unknown(`buffer property ${key}`)
    }
    if (object instanceof RegExpValue) {
      if (key === 'lastIndex') return object.lastIndex
      if (key === 'source') return object.regex.source
      if (key === 'flags') return object.regex.flags
      if (key === 'global') return object.regex.global
      if (key === 'test' || key === 'exec') return this.methodRef(key)
      throw new Unknown(`regexp property ${key}`)
    }
    throw new Unknown('property of this value')
  }

  setProp(object: Value, key: string, value: Value): void {
    if (FORBIDDEN_KEYS.has(key)) throw new Unknown(`property ${key}`)
    if (Array.isArray(object)) {
      const i = arrayIndex(key)
      if (key === 'length') {
        const n = toNumber(value)
        if (!Number.isInteger(n) || n < 0 || n > MAX_ARRAY) throw new Unknown('array length')
        this.touch(object)
        const old = object.length
        object.length = n
        for (let j = old; j < n; j++) object[j] = undefined
        return
      }
      if (i === undefined || i > MAX_ARRAY) throw new Unknown('array property')
      this.touch(object)
      for (let j = object.length; j < i; j++) object.push(undefined)
      object[i] = value
      return
    }
    if (object instanceof ObjectValue || object instanceof FunctionValue || object instanceof NativeFunction) {
      if (this.journal && this.persistent.has(object) && object.props.has(key) && object.props.get(key) !== value) {
        // Caches only add keys (obfuscator.io's decoded-string cache); changing one is state.
        throw new Unknown(`impure: changes ${key.slice(0, 40)} of an object of the file's top level`)
      }
      this.touch(object)
      object.props.set(key, value)
      return
    }
    if (object instanceof BufferValue) {
      const i = arrayIndex(key)
      if (i === undefined) throw new Unknown('buffer property')
      this.touch(object)
      if (i < object.bytes.length) object.bytes[i] = toNumber(value) & 0xff
      return
    }
    if (object instanceof RegExpValue && key === 'lastIndex') {
      this.touch(object)
      object.lastIndex = toNumber(value)
      return
    }
    if (object === null || object === undefined) throw new Thrown(makeError('TypeError', `Cannot set properties of ${object}`))
    throw new Unknown('property write on this value')
  }

  private methodRef(name: string): NativeFunction {
    let fn = this.methodRefs.get(name)
    if (!fn) {
      fn = new NativeFunction(name, (it, thisValue, args) => it.callMethod(thisValue, name, args))
      this.methodRefs.set(name, fn)
      this.persistent.add(fn)
    }
    return fn
  }

  callMethod(target: Value, name: string, args: Value[]): Value {
    if (typeof target === 'string') return stringMethod(this, target, name, args)
    if (Array.isArray(target)) return arrayMethod(this, target, name, args)
    if (typeof target === 'number' || typeof target === 'boolean') return numberMethod(target, name, args)
    if (target instanceof FunctionValue || target instanceof NativeFunction) {
      if (name === 'call') return this.invoke(target, args[0], args.slice(1))
      if (name === 'apply') return this.invoke(target, args[0], args[1] === undefined || args[1] === null ? [] : this.iterate(args[1]))
      if (name === 'bind') {
        const bound = args.slice(1)
        const self = args[0]
        return new NativeFunction('bound', (it, _this, more) => it.invoke(target, self, [...bound, ...more]))
      }
    }
    if (target instanceof ObjectValue && name === 'hasOwnProperty') return target.props.has(toPropertyKey(args[0]))
    if (target instanceof BufferValue) return bufferMethod(this, target, name, args)
    if (target instanceof RegExpValue) return regexpMethod(this, target, name, args)
    throw new Unknown(`method ${name} on this value`)
  }

  makeRegExp(pattern: string, flags: string): RegExpValue {
    const check = checkRegExp(pattern, flags)
    if (!check) throw new Unknown('regular expression outside the safe subset')
    let regex: RegExp
    try {
      regex = new RegExp(pattern, flags)
    } catch (error) {
      throw new Thrown(makeError('SyntaxError', error instanceof Error ? error.message : 'invalid regular expression'))
    }
    return new RegExpValue(regex, check)
  }

  /** Throws Unknown unless a regular expression can run on a subject of this length within bounds. */
  regexBudget(re: RegExpValue, subject: string): void {
    const cost = regExpCost(re.check, subject.length)
    if (cost > MAX_REGEXP_COST) throw new Unknown('regular expression too costly for this input')
    this.steps -= Math.ceil(cost / 1000)
    this.tick()
  }
}

// ---------------------------------------------------------------- hoisting

interface Hoisted {
  vars: string[]
  functions: t.FunctionDeclaration[]
}

function collectHoisted(statements: readonly t.Statement[]): Hoisted {
  const vars = new Set<string>()
  const functions: t.FunctionDeclaration[] = []
  for (const s of statements) if (s.type === 'FunctionDeclaration' && s.id) functions.push(s)
  const stack: t.Node[] = [...statements]
  let budget = 200_000
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop()!
    switch (node.type) {
      case 'VariableDeclaration':
        if (node.kind === 'var') for (const d of node.declarations) patternNames(d.id, (name) => vars.add(name))
        for (const d of node.declarations) if (d.init) stack.push(d.init)
        break
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ObjectMethod':
      case 'ClassMethod':
      case 'ClassPrivateMethod':
        break
      default:
        for (const child of childNodes(node)) stack.push(child)
    }
  }
  return { vars: [...vars], functions }
}

/** Calls `out` with each identifier a binding pattern declares, in source order. */
export function patternIdentifiers(pattern: t.Node | null | undefined, out: (id: t.Identifier) => void): void {
  if (!pattern) return
  switch (pattern.type) {
    case 'Identifier':
      out(pattern)
      break
    case 'AssignmentPattern':
      patternIdentifiers(pattern.left, out)
      break
    case 'RestElement':
      patternIdentifiers(pattern.argument, out)
      break
    case 'ArrayPattern':
      for (const e of pattern.elements) patternIdentifiers(e, out)
      break
    case 'ObjectPattern':
      for (const p of pattern.properties) patternIdentifiers(p.type === 'RestElement' ? p.argument : p.value, out)
      break
  }
}

/** Calls `out` with each name a binding pattern declares. */
export function patternNames(pattern: t.Node | null | undefined, out: (name: string) => void): void {
  patternIdentifiers(pattern, (id) => out(id.name))
}

/** Child nodes of a node (not comments or locations). */
export function childNodes(node: t.Node): t.Node[] {
  const out: t.Node[] = []
  for (const key in node) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'extra') continue
    const value = (node as unknown as Record<string, unknown>)[key]
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v === 'object' && typeof (v as t.Node).type === 'string') out.push(v as t.Node)
    } else if (value && typeof value === 'object' && typeof (value as t.Node).type === 'string') {
      out.push(value as t.Node)
    }
  }
  return out
}

const argumentsCache = new WeakMap<t.Node, boolean>()

function usesArguments(fn: t.Function): boolean {
  const cached = argumentsCache.get(fn)
  if (cached !== undefined) return cached
  let found = false
  const stack: t.Node[] = [fn.body]
  let budget = 200_000
  while (stack.length > 0 && !found && budget-- > 0) {
    const node = stack.pop()!
    if (node.type === 'Identifier' && node.name === 'arguments') found = true
    else if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ObjectMethod' || node.type === 'ClassMethod') continue
    else for (const child of childNodes(node)) stack.push(child)
  }
  argumentsCache.set(fn, found)
  return found
}

function argumentsObject(args: Value[]): ObjectValue {
  const object = new ObjectValue()
  args.forEach((v, i) => object.props.set(String(i), v))
  object.props.set('length', args.length)
  return object
}

function functionName(node: t.Function): string {
  return 'id' in node && node.id ? node.id.name : ''
}

// ---------------------------------------------------------------- value helpers

function isObject(v: Value): v is Exclude<Value, string | number | boolean | null | undefined> {
  return v !== null && typeof v === 'object'
}

export function truthy(v: Value): boolean {
  if (isObject(v)) return true
  return Boolean(v)
}

export function typeOf(v: Value): string {
  if (v === null) return 'object'
  if (v instanceof FunctionValue || v instanceof NativeFunction) return 'function'
  if (isObject(v)) return 'object'
  return typeof v
}

export function toNumber(v: Value): number {
  if (isObject(v)) {
    if (Array.isArray(v)) return v.length === 0 ? 0 : v.length === 1 && !isObject(v[0]) ? Number(v[0] ?? '') : NaN
    return NaN
  }
  return Number(v)
}

export function toPropertyKey(v: Value): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  if (v === null || v === undefined || typeof v === 'boolean') return String(v)
  if (Array.isArray(v) && v.every((e) => !isObject(e))) return v.map((e) => (e === null || e === undefined ? '' : String(e))).join(',')
  throw new Unknown('object used as a property key')
}

function strictEquals(a: Value, b: Value): boolean {
  return a === b
}

function arrayIndex(key: string): number | undefined {
  if (key.length === 0 || key.length > 10) return undefined
  const c = key.charCodeAt(0)
  if (c < 48 || c > 57 || (c === 48 && key.length > 1)) return undefined
  const n = Number(key)
  return Number.isInteger(n) && n < 4294967295 ? n : undefined
}

function keyName(key: t.Node): string {
  if (key.type === 'Identifier') return key.name
  if (key.type === 'StringLiteral') return key.value
  if (key.type === 'NumericLiteral') return String(key.value)
  throw new Unknown(`key ${key.type}`)
}

export function makeError(name: string, message: string): ObjectValue {
  const error = new ObjectValue()
  error.props.set('name', name)
  error.props.set('message', message)
  return error
}

/** Runs a host operation that may throw a JavaScript error, turning the error into an interpreted exception. */
function host<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof Unknown || error instanceof Thrown) throw error
    const e = error as Error
    throw new Thrown(makeError(e?.name ?? 'Error', e?.message ?? String(error)))
  }
}

function num(v: Value): number {
  return toNumber(v)
}

function intArg(v: Value, fallback: number): number {
  if (v === undefined) return fallback
  const n = Math.trunc(toNumber(v))
  return Number.isNaN(n) ? 0 : n
}

// ---------------------------------------------------------------- methods

function stringMethod(it: Interpreter, s: string, name: string, args: Value[]): string | number | boolean | Value[] | null | undefined {
  const str = (i: number) => it.toStr(args[i])
  switch (name) {
    case 'charAt':
      return s.charAt(intArg(args[0], 0))
    case 'charCodeAt':
      it.decodeOps++
      return s.charCodeAt(intArg(args[0], 0))
    case 'codePointAt':
      it.decodeOps++
      return s.codePointAt(intArg(args[0], 0))
    case 'at':
      return s.at(intArg(args[0], 0))
    case 'indexOf':
      return s.indexOf(str(0), args[1] === undefined ? undefined : num(args[1]))
    case 'lastIndexOf':
      return s.lastIndexOf(str(0), args[1] === undefined ? undefined : num(args[1]))
    case 'includes':
      if (args[0] instanceof RegExpValue) throw new Thrown(makeError('TypeError', 'includes with a regular expression'))
      return s.includes(str(0), args[1] === undefined ? undefined : num(args[1]))
    case 'startsWith':
      return s.startsWith(str(0), args[1] === undefined ? undefined : num(args[1]))
    case 'endsWith':
      return s.endsWith(str(0), args[1] === undefined ? undefined : num(args[1]))
    case 'slice':
      it.assembleOps++
      return s.slice(args[0] === undefined ? undefined : num(args[0]), args[1] === undefined ? undefined : num(args[1]))
    case 'substring':
      it.assembleOps++
      return s.substring(num(args[0]), args[1] === undefined ? undefined : num(args[1]))
    case 'substr':
      it.assembleOps++
      return s.substr(num(args[0]), args[1] === undefined ? undefined : num(args[1]))
    case 'toUpperCase':
      return s.toUpperCase()
    case 'toLowerCase':
      return s.toLowerCase()
    case 'trim':
      return s.trim()
    case 'trimStart':
    case 'trimLeft':
      return s.trimStart()
    case 'trimEnd':
    case 'trimRight':
      return s.trimEnd()
    case 'padStart':
    case 'padEnd': {
      const length = intArg(args[0], 0)
      if (length > MAX_STRING) throw new Unknown('string too long')
      const fill = args[1] === undefined ? ' ' : str(1)
      return name === 'padStart' ? s.padStart(length, fill) : s.padEnd(length, fill)
    }
    case 'repeat': {
      const n = intArg(args[0], 0)
      if (n * s.length > MAX_STRING) throw new Unknown('string too long')
      return host(() => s.repeat(n))
    }
    case 'concat': {
      let out = s
      for (const a of args) out = it.concat(out, it.toStr(a))
      return out
    }
    case 'split': {
      const limit = args[1] === undefined ? undefined : num(args[1])
      if (args[0] === undefined) return [s]
      if (args[0] instanceof RegExpValue) {
        it.regexBudget(args[0], s)
        return it.track(s.split(args[0].regex, limit))
      }
      const sep = str(0)
      if (sep === '') it.steps -= s.length >> 4
      return it.track(s.split(sep, limit))
    }
    case 'replace':
    case 'replaceAll':
      it.assembleOps++
      return replace(it, s, args[0], args[1], name === 'replaceAll')
    case 'match': {
      const re = args[0] instanceof RegExpValue ? args[0] : it.makeRegExp(escapeRegExp(str(0)), '')
      it.regexBudget(re, s)
      re.regex.lastIndex = 0
      const m = s.match(re.regex)
      return m ? it.track(Array.from(m, (v) => v)) : null
    }
    case 'search': {
      const re = args[0] instanceof RegExpValue ? args[0] : it.makeRegExp(escapeRegExp(str(0)), '')
      it.regexBudget(re, s)
      return s.search(re.regex)
    }
    case 'normalize':
      return host(() => s.normalize(args[0] === undefined ? undefined : str(0)))
    case 'toString':
    case 'valueOf':
      return s
    default:
      throw new Unknown(`string method ${name}`)
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

function replace(it: Interpreter, s: string, pattern: Value, replacement: Value, all: boolean): string {
  const callback = replacement instanceof FunctionValue || replacement instanceof NativeFunction ? replacement : undefined
  const text = callback ? '' : it.toStr(replacement)
  if (!(pattern instanceof RegExpValue)) {
    const needle = it.toStr(pattern)
    if (!callback) {
      const out = all ? s.replaceAll(needle, text) : s.replace(needle, text)
      if (out.length > MAX_STRING) throw new Unknown('string too long')
      return out
    }
    let out = ''
    let from = 0
    for (;;) {
      it.tick()
      const at = s.indexOf(needle, from)
      if (at < 0) break
      out = it.concat(it.concat(out, s.slice(from, at)), it.toStr(it.invoke(callback, undefined, [needle, at, s])))
      from = at + needle.length
      if (!all) break
      if (needle.length === 0) {
        if (at >= s.length) break
        out = it.concat(out, s[at]!)
        from = at + 1
      }
    }
    return it.concat(out, s.slice(from))
  }
  const re = pattern.regex
  if (all && !re.global) throw new Thrown(makeError('TypeError', 'replaceAll must be called with a global RegExp'))
  it.regexBudget(pattern, s)
  if (!callback) {
    re.lastIndex = 0
    const out = s.replace(re, text)
    if (out.length > MAX_STRING) throw new Unknown('string too long')
    return out
  }
  let out = ''
  let last = 0
  re.lastIndex = 0
  for (;;) {
    it.tick()
    const m = re.exec(s)
    if (!m) break
    const args: Value[] = [...m.map((v) => v as Value), m.index, s]
    out = it.concat(it.concat(out, s.slice(last, m.index)), it.toStr(it.invoke(callback, undefined, args)))
    last = m.index + m[0].length
    if (!re.global) break
    if (m[0].length === 0) re.lastIndex++
  }
  re.lastIndex = 0
  return it.concat(out, s.slice(last))
}

function arrayMethod(it: Interpreter, a: Value[], name: string, args: Value[]): Value {
  const fn = () => {
    const f = args[0]
    if (!(f instanceof FunctionValue || f instanceof NativeFunction)) throw new Thrown(makeError('TypeError', `${typeOf(f)} is not a function`))
    return f
  }
  switch (name) {
    case 'push':
      if (a.length + args.length > MAX_ARRAY) throw new Unknown('array too large')
      it.touch(a)
      a.push(...args)
      return a.length
    case 'pop':
      it.touch(a)
      return a.pop()
    case 'shift':
      it.touch(a)
      it.steps -= a.length >> 6
      return a.shift()
    case 'unshift':
      if (a.length + args.length > MAX_ARRAY) throw new Unknown('array too large')
      it.touch(a)
      it.steps -= a.length >> 6
      a.unshift(...args)
      return a.length
    case 'splice': {
      it.touch(a)
      const start = intArg(args[0], 0)
      const removed = args.length < 2 ? a.splice(start) : a.splice(start, intArg(args[1], 0), ...args.slice(2))
      if (a.length > MAX_ARRAY) throw new Unknown('array too large')
      return removed
    }
    case 'slice':
      return a.slice(args[0] === undefined ? undefined : num(args[0]), args[1] === undefined ? undefined : num(args[1]))
    case 'concat': {
      const out = a.slice()
      for (const arg of args) {
        if (Array.isArray(arg)) out.push(...arg)
        else out.push(arg)
        if (out.length > MAX_ARRAY) throw new Unknown('array too large')
      }
      return out
    }
    case 'join':
      return it.join(a, args[0] === undefined ? ',' : it.toStr(args[0]), new Set())
    case 'toString':
      return it.join(a, ',', new Set())
    case 'reverse':
      it.touch(a)
      a.reverse()
      it.decodeOps++
      return a
    case 'indexOf':
      return a.indexOf(args[0], args[1] === undefined ? undefined : num(args[1]))
    case 'lastIndexOf':
      return args[1] === undefined ? a.lastIndexOf(args[0]) : a.lastIndexOf(args[0], num(args[1]))
    case 'includes':
      return a.includes(args[0])
    case 'at':
      return a.at(intArg(args[0], 0))
    case 'map': {
      const f = fn()
      const out: Value[] = []
      for (let i = 0; i < a.length; i++) out.push(it.invoke(f, args[1], [a[i], i, a]))
      return out
    }
    case 'forEach': {
      const f = fn()
      for (let i = 0; i < a.length; i++) it.invoke(f, args[1], [a[i], i, a])
      return undefined
    }
    case 'filter': {
      const f = fn()
      const out: Value[] = []
      for (let i = 0; i < a.length; i++) if (truthy(it.invoke(f, args[1], [a[i], i, a]))) out.push(a[i])
      return out
    }
    case 'some':
    case 'every':
    case 'find':
    case 'findIndex':
    case 'findLast':
    case 'findLastIndex': {
      const f = fn()
      const backwards = name === 'findLast' || name === 'findLastIndex'
      for (let k = 0; k < a.length; k++) {
        const i = backwards ? a.length - 1 - k : k
        const hit = truthy(it.invoke(f, args[1], [a[i], i, a]))
        if (name === 'every') {
          if (!hit) return false
        } else if (hit) {
          return name === 'some' ? true : name === 'find' || name === 'findLast' ? a[i] : i
        }
      }
      return name === 'every' ? true : name === 'some' ? false : name === 'find' || name === 'findLast' ? undefined : -1
    }
    case 'reduce':
    case 'reduceRight': {
      const f = fn()
      const order = name === 'reduce' ? a.map((_, i) => i) : a.map((_, i) => a.length - 1 - i)
      let k = 0
      let acc: Value
      if (args.length >= 2) acc = args[1]
      else {
        if (a.length === 0) throw new Thrown(makeError('TypeError', 'Reduce of empty array with no initial value'))
        acc = a[order[0]!]
        k = 1
      }
      for (; k < order.length; k++) acc = it.invoke(f, undefined, [acc, a[order[k]!], order[k]!, a])
      return acc
    }
    case 'fill': {
      it.touch(a)
      const start = args[1] === undefined ? 0 : intArg(args[1], 0)
      const end = args[2] === undefined ? a.length : intArg(args[2], a.length)
      a.fill(args[0], start, end)
      return a
    }
    case 'sort': {
      const cmp = args[0]
      it.touch(a)
      it.steps -= a.length
      if (cmp === undefined) {
        const keyed = a.map((v) => [v === undefined ? undefined : it.toStr(v), v] as const)
        keyed.sort((x, y) => (x[0] === undefined ? 1 : y[0] === undefined ? -1 : x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
        keyed.forEach((k, i) => (a[i] = k[1]))
        return a
      }
      if (!(cmp instanceof FunctionValue || cmp instanceof NativeFunction)) throw new Thrown(makeError('TypeError', 'comparator is not a function'))
      a.sort((x, y) => {
        if (x === undefined) return 1
        if (y === undefined) return -1
        const r = toNumber(it.invoke(cmp, undefined, [x, y]))
        return Number.isNaN(r) ? 0 : r
      })
      return a
    }
    case 'flat': {
      const out: Value[] = []
      for (const v of a) {
        if (Array.isArray(v)) out.push(...v)
        else out.push(v)
        if (out.length > MAX_ARRAY) throw new Unknown('array too large')
      }
      return out
    }
    default:
      throw new Unknown(`array method ${name}`)
  }
}

function numberMethod(n: number | boolean, name: string, args: Value[]): Value {
  if (typeof n === 'boolean') {
    if (name === 'toString' || name === 'valueOf') return name === 'toString' ? String(n) : n
    throw new Unknown(`boolean method ${name}`)
  }
  switch (name) {
    case 'toString':
      return host(() => n.toString(args[0] === undefined ? undefined : toNumber(args[0])))
    case 'toFixed':
      return host(() => n.toFixed(args[0] === undefined ? undefined : toNumber(args[0])))
    case 'valueOf':
      return n
    default:
      throw new Unknown(`number method ${name}`)
  }
}

const BUFFER_ENCODINGS = new Set(['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le'])

function encodingArg(it: Interpreter, v: Value): BufferEncoding {
  if (v === undefined) return 'utf8'
  const enc = it.toStr(v).toLowerCase()
  if (!BUFFER_ENCODINGS.has(enc)) throw new Thrown(makeError('TypeError', `Unknown encoding: ${enc.slice(0, 20)}`))
  return enc as BufferEncoding
}

function bufferMethod(it: Interpreter, b: BufferValue, name: string, args: Value[]): Value {
  switch (name) {
    case 'toString': {
      const enc = encodingArg(it, args[0])
      const start = args[1] === undefined ? 0 : intArg(args[1], 0)
      const end = args[2] === undefined ? b.bytes.length : intArg(args[2], b.bytes.length)
      const out = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength).toString(enc, start, end)
      if (out.length > MAX_STRING) throw new Unknown('string too long')
      it.decodeOps++
      return out
    }
    case 'slice':
    case 'subarray':
      return new BufferValue(Buffer.from(Buffer.from(b.bytes).subarray(args[0] === undefined ? undefined : intArg(args[0], 0), args[1] === undefined ? undefined : intArg(args[1], 0))))
    case 'readUInt8':
    case 'readUint8':
    case 'readInt8': {
      const i = intArg(args[0], 0)
      if (i < 0 || i >= b.bytes.length) throw new Thrown(makeError('RangeError', 'out of range'))
      const v = b.bytes[i]!
      return name === 'readInt8' && v > 127 ? v - 256 : v
    }
    case 'equals':
      return args[0] instanceof BufferValue && Buffer.from(b.bytes).equals(Buffer.from(args[0].bytes))
    case 'indexOf':
    case 'includes': {
      const needle = args[0] instanceof BufferValue ? Buffer.from(args[0].bytes) : typeof args[0] === 'number' ? args[0] : it.toStr(args[0])
      const at = Buffer.from(b.bytes).indexOf(needle)
      return name === 'includes' ? at >= 0 : at
    }
    default:
      throw new Unknown(`buffer method ${name}`)
  }
}

function regexpMethod(it: Interpreter, re: RegExpValue, name: string, args: Value[]): Value {
  const subject = it.toStr(args[0])
  it.regexBudget(re, subject)
  const sticky = re.regex.global || re.regex.sticky
  re.regex.lastIndex = sticky ? re.lastIndex : 0
  const m = re.regex.exec(subject)
  if (sticky) {
    it.touch(re)
    re.lastIndex = m ? re.regex.lastIndex : 0
  }
  if (name === 'test') return m !== null
  if (name === 'exec') return m ? it.track(Array.from(m, (v) => v)) : null
  throw new Unknown(`regexp method ${name}`)
}

// ---------------------------------------------------------------- built-ins

function native(name: string, impl: NativeImpl, construct?: (it: Interpreter, args: Value[]) => Value): NativeFunction {
  return new NativeFunction(name, impl, construct)
}

function object(entries: Record<string, Value>): ObjectValue {
  const o = new ObjectValue()
  for (const [k, v] of Object.entries(entries)) o.props.set(k, v)
  return o
}

function bufferFrom(it: Interpreter, args: Value[]): BufferValue {
  const [data, encoding] = args
  it.decodeOps++
  if (typeof data === 'string') {
    const enc = encodingArg(it, encoding)
    if ((enc === 'hex' || enc === 'base64' || enc === 'base64url') && data.length > MAX_STRING) throw new Unknown('input too long')
    // Node decodes leniently, dropping what is not base64 or hex; text that is not encoded at all
    // decodes to noise, which is not worth a value.
    if ((enc === 'base64' || enc === 'base64url') && !/^[A-Za-z0-9+/_\s-]*={0,2}$/.test(data.trimEnd())) throw new Unknown('not base64')
    if (enc === 'hex' && !/^(?:[0-9a-fA-F]{2})*$/.test(data)) throw new Unknown('not hex')
    return new BufferValue(new Uint8Array(Buffer.from(data, enc)))
  }
  if (Array.isArray(data)) {
    if (data.length > MAX_STRING) throw new Unknown('input too long')
    return new BufferValue(Uint8Array.from(data, (v) => toNumber(v) & 0xff))
  }
  if (data instanceof BufferValue) return new BufferValue(data.bytes.slice())
  throw new Unknown('Buffer.from of this value')
}

function toPlain(it: Interpreter, v: Value, depth: number): unknown {
  if (depth > 20) throw new Unknown('structure too deep')
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map((e) => toPlain(it, e, depth + 1))
  if (v instanceof ObjectValue) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [k, e] of v.props) if (!(e instanceof FunctionValue || e instanceof NativeFunction) && e !== undefined) out[k] = toPlain(it, e, depth + 1)
    return out
  }
  if (v instanceof BufferValue) return { type: 'Buffer', data: Array.from(v.bytes) }
  return undefined
}

function fromPlain(v: unknown, depth: number): Value {
  if (depth > 50) throw new Unknown('structure too deep')
  if (v === null || typeof v !== 'object') return v as Value
  if (Array.isArray(v)) return v.map((e) => fromPlain(e, depth + 1))
  const out = new ObjectValue()
  for (const [k, e] of Object.entries(v as Record<string, unknown>)) out.props.set(k, fromPlain(e, depth + 1))
  return out
}

function errorConstructor(name: string): NativeFunction {
  const make = (it: Interpreter, args: Value[]) => makeError(name, args[0] === undefined ? '' : it.toStr(args[0]))
  return native(name, (it, _this, args) => make(it, args), make)
}

function makeGlobals(): Map<string, Value> {
  const g = new Map<string, Value>()
  const decode = (fn: (s: string) => string) => native('decode', (it, _this, args) => {
    it.decodeOps++
    return host(() => fn(it.toStr(args[0])))
  })

  const StringFn = native('String', (it, _this, args) => (args.length === 0 ? '' : it.toStr(args[0])))
  StringFn.props.set('fromCharCode', native('fromCharCode', (it, _this, args) => {
    it.decodeOps++
    if (args.length > MAX_STRING) throw new Unknown('too many char codes')
    if (!args.every((a) => typeof a === 'number')) throw new Unknown('char codes that are not numbers')
    let out = ''
    for (let i = 0; i < args.length; i += 4096) out += String.fromCharCode(...(args.slice(i, i + 4096) as number[]))
    return out
  }))
  StringFn.props.set('fromCodePoint', native('fromCodePoint', (it, _this, args) => {
    it.decodeOps++
    return host(() => String.fromCodePoint(...args.slice(0, 65536).map((a) => toNumber(a))))
  }))
  g.set('String', StringFn)

  const parseIntFn = native('parseInt', (it, _this, args) => {
    if (args[1] !== undefined) it.decodeOps++
    return parseInt(it.toStr(args[0]), args[1] === undefined ? undefined : toNumber(args[1]))
  })
  const parseFloatFn = native('parseFloat', (it, _this, args) => parseFloat(it.toStr(args[0])))
  const NumberFn = native('Number', (it, _this, args) => (args.length === 0 ? 0 : toNumber(it.toPrimitive(args[0]))))
  NumberFn.props.set('parseInt', parseIntFn)
  NumberFn.props.set('parseFloat', parseFloatFn)
  NumberFn.props.set('isInteger', native('isInteger', (_it, _this, args) => Number.isInteger(args[0])))
  NumberFn.props.set('isNaN', native('isNaN', (_it, _this, args) => Number.isNaN(args[0])))
  NumberFn.props.set('MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER)
  g.set('Number', NumberFn)
  g.set('parseInt', parseIntFn)
  g.set('parseFloat', parseFloatFn)
  g.set('isNaN', native('isNaN', (it, _this, args) => Number.isNaN(toNumber(it.toPrimitive(args[0])))))
  g.set('isFinite', native('isFinite', (it, _this, args) => Number.isFinite(toNumber(it.toPrimitive(args[0])))))
  g.set('Boolean', native('Boolean', (_it, _this, args) => truthy(args[0])))

  const math = new ObjectValue()
  const mathFns: Record<string, (...xs: number[]) => number> = {
    floor: Math.floor, ceil: Math.ceil, round: Math.round, abs: Math.abs, trunc: Math.trunc, sign: Math.sign, sqrt: Math.sqrt, cbrt: Math.cbrt,
    min: Math.min, max: Math.max, pow: Math.pow, imul: Math.imul, log: Math.log, log2: Math.log2, log10: Math.log10, exp: Math.exp, hypot: Math.hypot,
  }
  for (const [name, fn] of Object.entries(mathFns)) math.props.set(name, native(name, (_it, _this, args) => fn(...args.slice(0, 1000).map((a) => toNumber(a)))))
  math.props.set('PI', Math.PI)
  math.props.set('E', Math.E)
  g.set('Math', math)

  g.set('decodeURIComponent', decode(decodeURIComponent))
  g.set('decodeURI', decode(decodeURI))
  g.set('unescape', decode(unescape))
  g.set('encodeURIComponent', native('encodeURIComponent', (it, _this, args) => host(() => encodeURIComponent(it.toStr(args[0])))))
  g.set('encodeURI', native('encodeURI', (it, _this, args) => host(() => encodeURI(it.toStr(args[0])))))
  g.set('escape', native('escape', (it, _this, args) => escape(it.toStr(args[0]))))
  g.set('atob', decode((s) => atob(s)))
  g.set('btoa', native('btoa', (it, _this, args) => host(() => btoa(it.toStr(args[0])))))

  const ArrayFn = native(
    'Array',
    (it, _this, args) => makeArray(it, args),
    (it, args) => makeArray(it, args),
  )
  ArrayFn.props.set('isArray', native('isArray', (_it, _this, args) => Array.isArray(args[0])))
  ArrayFn.props.set('of', native('of', (_it, _this, args) => args.slice()))
  ArrayFn.props.set('from', native('from', (it, _this, args) => {
    const [source, mapFn] = args
    let items: Value[]
    if (source instanceof ObjectValue) {
      const n = toNumber(source.props.get('length'))
      if (!Number.isInteger(n) || n < 0 || n > MAX_ARRAY) throw new Unknown('Array.from length')
      items = Array.from({ length: n }, (_, i) => source.props.get(String(i)))
    } else items = it.iterate(source)
    if (mapFn === undefined) return items
    return items.map((v, i) => it.invoke(mapFn, undefined, [v, i]))
  }))
  g.set('Array', ArrayFn)

  const ObjectFn = native('Object', () => new ObjectValue(), () => new ObjectValue())
  const ownEntries = (v: Value): Array<[string, Value]> => {
    if (v instanceof ObjectValue) return [...v.props]
    if (Array.isArray(v)) return v.map((e, i) => [String(i), e])
    if (typeof v === 'string') return [...v].map((e, i) => [String(i), e])
    throw new Unknown('Object.keys of this value')
  }
  ObjectFn.props.set('keys', native('keys', (_it, _this, args) => ownEntries(args[0]).map(([k]) => k)))
  ObjectFn.props.set('values', native('values', (_it, _this, args) => ownEntries(args[0]).map(([, v]) => v)))
  ObjectFn.props.set('entries', native('entries', (_it, _this, args) => ownEntries(args[0]).map(([k, v]) => [k, v])))
  ObjectFn.props.set('create', native('create', (_it, _this, args) => {
    if (args[0] !== null) throw new Unknown('Object.create with a prototype')
    return new ObjectValue()
  }))
  ObjectFn.props.set('assign', native('assign', (it, _this, args) => {
    const target = args[0]
    for (const source of args.slice(1)) if (source instanceof ObjectValue) for (const [k, v] of source.props) it.setProp(target, k, v)
    return target
  }))
  g.set('Object', ObjectFn)

  g.set('JSON', object({
    parse: native('parse', (it, _this, args) => {
      const text = it.toStr(args[0])
      it.steps -= text.length >> 4
      return fromPlain(host(() => JSON.parse(text) as unknown), 0)
    }),
    stringify: native('stringify', (it, _this, args) => {
      if (args.length > 1 && args[1] !== undefined && args[1] !== null) throw new Unknown('JSON.stringify replacer')
      const out = JSON.stringify(toPlain(it, args[0], 0), null, args[2] === undefined ? undefined : (toNumber(args[2]) || it.toStr(args[2])))
      if (out !== undefined && out.length > MAX_STRING) throw new Unknown('string too long')
      return out
    }),
  }))

  const BufferFn = native('Buffer', (it, _this, args) => bufferFrom(it, args), (it, args) => bufferFrom(it, args))
  BufferFn.props.set('from', native('from', (it, _this, args) => bufferFrom(it, args)))
  BufferFn.props.set('isBuffer', native('isBuffer', (_it, _this, args) => args[0] instanceof BufferValue))
  BufferFn.props.set('alloc', native('alloc', (_it, _this, args) => {
    const n = toNumber(args[0])
    if (!Number.isInteger(n) || n < 0 || n > MAX_STRING) throw new Unknown('Buffer.alloc size')
    return new BufferValue(new Uint8Array(n).fill(args[1] === undefined ? 0 : toNumber(args[1]) & 0xff))
  }))
  BufferFn.props.set('concat', native('concat', (it, _this, args) => {
    const parts = it.iterate(args[0])
    if (!parts.every((p) => p instanceof BufferValue)) throw new Unknown('Buffer.concat of non-buffers')
    const out = Buffer.concat(parts.map((p) => (p as BufferValue).bytes))
    if (out.length > MAX_STRING) throw new Unknown('buffer too large')
    return new BufferValue(new Uint8Array(out))
  }))
  g.set('Buffer', BufferFn)

  const RegExpFn = native(
    'RegExp',
    (it, _this, args) => it.makeRegExp(args[0] instanceof RegExpValue ? args[0].regex.source : it.toStr(args[0] ?? ''), args[1] === undefined ? '' : it.toStr(args[1])),
    (it, args) => it.makeRegExp(args[0] instanceof RegExpValue ? args[0].regex.source : it.toStr(args[0] ?? ''), args[1] === undefined ? '' : it.toStr(args[1])),
  )
  g.set('RegExp', RegExpFn)
  for (const name of ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'URIError']) g.set(name, errorConstructor(name))
  return g
}

function makeArray(it: Interpreter, args: Value[]): Value[] {
  if (args.length === 1 && typeof args[0] === 'number') {
    const n = args[0]
    if (!Number.isInteger(n) || n < 0 || n > MAX_ARRAY) {
      if (Number.isInteger(n) && n >= 0) throw new Unknown('array too large')
      throw new Thrown(makeError('RangeError', 'Invalid array length'))
    }
    it.steps -= n >> 6
    return Array.from({ length: n }, () => undefined)
  }
  return args.slice()
}
