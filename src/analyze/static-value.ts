import type * as t from '@babel/types'
import type { BindingTable } from './bindings.ts'
import { evaluatorOf, type FoldTrace } from './evaluator.ts'

export type { FoldTrace } from './evaluator.ts'

/** A value an expression is known to have without running it. */
export type StaticValue = string | number | boolean | null | StaticValue[]

const MAX_DEPTH = 40
const MAX_STRING = 1 << 20

/**
 * Folds an expression to the value it always has, looking through the idioms that obfuscated
 * npm malware uses to hide module names, hosts and commands: concatenation, templates,
 * `[..].join()`, `split/reverse/join`, `String.fromCharCode`, `Buffer.from(.., 'base64'|'hex')`,
 * `atob`, and names bound to such values — directly, and, where that fails, with the bounded
 * interpreter of interpret.ts: pure decoder functions called with literal arguments, callbacks
 * (`.map(c => c ^ k)`, `.replace(/../g, h => …)`), obfuscator.io string arrays with their
 * rotation IIFE, object literals. Returns undefined for anything not static. `trace`, when
 * given, records whether the value was computed and whether decoding was involved.
 */
export function staticValue(node: t.Node | null | undefined, bindings: BindingTable, depth = 0, seen = new Set<string>(), trace?: FoldTrace): StaticValue | undefined {
  const value = plainValue(node, bindings, depth, seen, trace)
  if (value !== undefined || depth > 0 || !node || !INTERPRETED.has(node.type)) return value
  // What the direct folding cannot see through (decoder functions, `.map(c => c ^ k)`, string
  // arrays, object literals, `parseInt(x, 16)` chains) the bounded interpreter may — when every
  // name the expression uses is bound in the file or is one of the interpreter's built-ins.
  if (!namesAreKnown(node, bindings)) return undefined
  return evaluatorOf(bindings).fold(node, trace)
}

/** Names the interpreter provides; any other unbound name (a parameter, `process`, `window`) makes an expression non-static. */
const BUILTIN_NAMES = new Set([
  'undefined', 'NaN', 'Infinity', 'String', 'Number', 'Boolean', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'Math', 'JSON', 'Array', 'Object',
  'Buffer', 'RegExp', 'atob', 'btoa', 'escape', 'unescape', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'Error', 'TypeError',
  'RangeError', 'SyntaxError', 'URIError',
])

/**
 * A quick, bounded look at the identifiers an expression refers to (outside nested functions):
 * false as soon as one is neither bound in the table nor a built-in, so that the interpreter is
 * not started for expressions that cannot be static.
 */
function namesAreKnown(root: t.Node, bindings: BindingTable): boolean {
  const stack: t.Node[] = [root]
  let budget = 400
  while (stack.length > 0) {
    if (--budget < 0) return true
    const node = stack.pop()!
    switch (node.type) {
      case 'Identifier': {
        if (BUILTIN_NAMES.has(node.name)) break
        const binding = bindings.get(node.name)
        if (!binding || binding.kind === 'module') return false
        break
      }
      case 'ThisExpression':
      case 'Super':
      case 'MetaProperty':
      case 'Import':
      case 'AwaitExpression':
      case 'YieldExpression':
        return false
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ClassExpression':
        break // its own names are its business; its free names are checked when it runs
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        stack.push(node.object)
        if (node.computed) stack.push(node.property)
        break
      case 'ObjectProperty':
        if (node.computed) stack.push(node.key)
        stack.push(node.value)
        break
      case 'ObjectMethod':
        break
      default:
        for (const key in node) {
          if (key === 'loc' || key === 'extra' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue
          const child = (node as unknown as Record<string, unknown>)[key]
          if (Array.isArray(child)) {
            for (const c of child) if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string') stack.push(c as t.Node)
          } else if (child && typeof child === 'object' && typeof (child as t.Node).type === 'string') {
            stack.push(child as t.Node)
          }
        }
    }
  }
  return true
}

/** Node types worth handing to the interpreter when direct folding fails. */
const INTERPRETED = new Set([
  'CallExpression', 'OptionalCallExpression', 'NewExpression', 'MemberExpression', 'OptionalMemberExpression', 'Identifier', 'BinaryExpression',
  'LogicalExpression', 'ConditionalExpression', 'UnaryExpression', 'TemplateLiteral', 'SequenceExpression', 'ArrayExpression', 'ParenthesizedExpression',
])

function plainValue(node: t.Node | null | undefined, bindings: BindingTable, depth: number, seen: Set<string>, trace: FoldTrace | undefined): StaticValue | undefined {
  if (!node || depth > MAX_DEPTH) return undefined
  // Literals first, before the closures below are made: most folds end at one.
  if (node.type === 'StringLiteral' || node.type === 'NumericLiteral' || node.type === 'BooleanLiteral') return node.value
  if (node.type === 'NullLiteral') return null
  const fold = (n: t.Node | null | undefined) => plainValue(n, bindings, depth + 1, seen, trace)
  const computed = () => {
    if (trace) trace.computed = true
  }
  const decoded = () => {
    if (trace) trace.computed = trace.decoded = true
  }
  switch (node.type) {
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSNonNullExpression':
      return fold(node.expression)
    case 'SequenceExpression':
      return fold(node.expressions[node.expressions.length - 1])
    case 'TemplateLiteral': {
      if (node.expressions.length > 0) computed()
      let out = node.quasis[0]?.value.cooked ?? ''
      for (let i = 0; i < node.expressions.length; i++) {
        const value = fold(node.expressions[i])
        if (value === undefined || Array.isArray(value)) return undefined
        out += String(value) + (node.quasis[i + 1]?.value.cooked ?? '')
      }
      return capped(out)
    }
    case 'BinaryExpression': {
      if (node.operator !== '+' && node.operator !== '^' && node.operator !== '-') return undefined
      const left = fold(node.left)
      const right = fold(node.right)
      if (left === undefined || right === undefined || Array.isArray(left) || Array.isArray(right)) return undefined
      if (node.operator === '^') decoded()
      else computed()
      if (node.operator === '+') {
        if (typeof left === 'number' && typeof right === 'number') return left + right
        return capped(String(left) + String(right))
      }
      if (typeof left !== 'number' || typeof right !== 'number') return undefined
      return node.operator === '^' ? left ^ right : left - right
    }
    case 'ArrayExpression': {
      const out: StaticValue[] = []
      for (const element of node.elements) {
        const value = element && element.type !== 'SpreadElement' ? fold(element) : undefined
        if (value === undefined) return undefined
        out.push(value)
      }
      return out
    }
    case 'Identifier': {
      if (seen.has(node.name)) return undefined
      const binding = bindings.get(node.name)
      if (binding?.kind !== 'value') return undefined
      seen.add(node.name)
      try {
        return fold(binding.init)
      } finally {
        seen.delete(node.name)
      }
    }
    case 'MemberExpression': {
      const object = fold(node.object)
      if (object === undefined) return undefined
      const key = node.computed ? fold(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined
      if (key === 'length' && (typeof object === 'string' || Array.isArray(object))) return object.length
      if (typeof key === 'number' && (typeof object === 'string' || Array.isArray(object))) return object[key]
      return undefined
    }
    case 'CallExpression': {
      const value = foldCall(node, fold, decoded)
      if (value !== undefined) computed()
      return value
    }
    default:
      return undefined
  }
}

type Fold = (n: t.Node | null | undefined) => StaticValue | undefined

function foldCall(node: t.CallExpression, fold: Fold, decoded: () => void): StaticValue | undefined {
  const callee = node.callee
  const maybeArgs = node.arguments.map((a) => (a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder' ? undefined : fold(a)))
  if (maybeArgs.some((a) => a === undefined)) return undefined
  const args = maybeArgs as StaticValue[]

  if (callee.type === 'Identifier') {
    const [first] = args
    if (typeof first !== 'string') return undefined
    if (callee.name === 'atob') {
      decoded()
      return decodeBase64(first)
    }
    if (callee.name === 'decodeURIComponent' || callee.name === 'unescape') {
      decoded()
      try {
        return callee.name === 'unescape' ? unescape(first) : decodeURIComponent(first)
      } catch {
        return undefined
      }
    }
    return undefined
  }
  if (callee.type !== 'MemberExpression') return undefined
  const method = callee.computed ? fold(callee.property) : callee.property.type === 'Identifier' ? callee.property.name : undefined
  if (typeof method !== 'string') return undefined

  // String.fromCharCode(104, 116, ...) and Buffer.from(x, enc)
  if (callee.object.type === 'Identifier') {
    if (callee.object.name === 'String' && method === 'fromCharCode') {
      if (!args.every((a) => typeof a === 'number')) return undefined
      decoded()
      return String.fromCharCode(...(args as number[]))
    }
    if (callee.object.name === 'Buffer' && method === 'from') {
      decoded()
      return bufferFrom(args)
    }
  }

  // Buffer.from(x, 'base64').toString() / .toString('utf8'); other encodings are the interpreter's
  if (method === 'toString' && callee.object.type === 'CallExpression' && (args.length === 0 || args[0] === 'utf8' || args[0] === 'utf-8')) {
    const inner = callee.object
    if (inner.callee.type === 'MemberExpression' && inner.callee.object.type === 'Identifier' && inner.callee.object.name === 'Buffer') {
      const decoded = fold(inner)
      if (typeof decoded === 'string') return decoded
    }
  }

  const target = fold(callee.object)
  if (target === undefined || target === null) return undefined
  if (method === 'reverse' || method === 'charCodeAt') decoded()
  return applyMethod(target, method, args)
}

function applyMethod(target: StaticValue, method: string, args: StaticValue[]): StaticValue | undefined {
  if (Array.isArray(target)) {
    switch (method) {
      case 'join':
        return capped(target.map((v) => (v === null ? '' : String(v))).join(args[0] === undefined ? ',' : String(args[0])))
      case 'reverse':
        return [...target].reverse()
      case 'concat':
        return target.concat(...args)
      case 'slice':
        return target.slice(args[0] as number, args[1] as number)
      default:
        return undefined
    }
  }
  if (typeof target !== 'string') return undefined
  switch (method) {
    case 'split':
      return typeof args[0] === 'string' ? target.split(args[0]) : undefined
    case 'concat':
      return capped(target + args.map(String).join(''))
    case 'toString':
    case 'valueOf':
    case 'trim':
      if (method === 'toString' && args.length > 0) return undefined // Buffer's toString(encoding): the interpreter's
      return method === 'trim' ? target.trim() : target
    case 'toLowerCase':
      return target.toLowerCase()
    case 'toUpperCase':
      return target.toUpperCase()
    case 'replace':
    case 'replaceAll':
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? (method === 'replace' ? target.replace(args[0], () => args[1] as string) : target.replaceAll(args[0], () => args[1] as string)) : undefined
    case 'slice':
    case 'substring':
    case 'substr':
      if (!args.every((a) => typeof a === 'number')) return undefined
      return (target[method] as (a?: number, b?: number) => string)(args[0] as number, args[1] as number)
    case 'charAt':
      return typeof args[0] === 'number' ? target.charAt(args[0]) : undefined
    case 'charCodeAt':
      return typeof args[0] === 'number' ? target.charCodeAt(args[0]) : undefined
    case 'repeat':
      return typeof args[0] === 'number' && args[0] * target.length <= MAX_STRING ? target.repeat(args[0]) : undefined
    default:
      return undefined
  }
}

function bufferFrom(args: StaticValue[]): StaticValue | undefined {
  const [data, encoding] = args
  if (Array.isArray(data) && data.every((b) => typeof b === 'number')) return Buffer.from(data as number[]).toString('utf8')
  if (typeof data !== 'string') return undefined
  if (encoding === 'base64' || encoding === 'base64url') return decodeBase64(data)
  if (encoding === 'hex') return /^(?:[0-9a-fA-F]{2})*$/.test(data) ? Buffer.from(data, 'hex').toString('utf8') : undefined
  if (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8' || encoding === 'latin1' || encoding === 'binary') return data
  return undefined
}

function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return undefined
  return Buffer.from(text, 'base64').toString('utf8')
}

function capped(value: string): string | undefined {
  return value.length > MAX_STRING ? undefined : value
}
