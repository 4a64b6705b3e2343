import type * as t from '@babel/types'
import type { ModuleRef } from '../types.ts'
import { GLOBAL_OBJECTS, stripNodePrefix, type BindingTable } from './bindings.ts'
import { staticValue } from './static-value.ts'

const MAX_DEPTH = 20

/**
 * The module (and member path below it) an expression refers to, following aliases:
 * `require('x')`, `require('node:x')`, `const r = require; r('x')`, `module.require('x')`,
 * `process.mainModule.require('x')`, `module.constructor._load('x')`, `global.r = require`,
 * `eval('require')`, `require.call(null, 'x')`, destructuring, `import` bindings, and module
 * names and computed member names that fold to strings (through decoders too, see static-value.ts).
 */
export function moduleOf(node: t.Node | null | undefined, bindings: BindingTable, depth = 0): ModuleRef | undefined {
  if (!node || depth > MAX_DEPTH) return undefined
  switch (node.type) {
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSNonNullExpression':
      return moduleOf(node.expression, bindings, depth + 1)
    case 'AwaitExpression':
      return moduleOf(node.argument, bindings, depth + 1)
    case 'SequenceExpression':
      return moduleOf(node.expressions[node.expressions.length - 1], bindings, depth + 1)
    case 'ImportExpression': {
      const name = staticValue(node.source, bindings)
      return typeof name === 'string' ? { module: stripNodePrefix(name), member: '' } : undefined
    }
    case 'CallExpression':
    case 'OptionalCallExpression': {
      const callee = node.callee
      // require.call(this, 'x'), require.apply(null, ['x']), Module.prototype.require.call(module, 'x')
      if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && isRequireFunction(callee.object, bindings, depth + 1)) {
        const how = memberName(callee, bindings)
        if (how === 'call') return moduleNamed(staticValue(node.arguments[1], bindings))
        if (how === 'apply') {
          const list = staticValue(node.arguments[1], bindings)
          return Array.isArray(list) ? moduleNamed(list[0]) : undefined
        }
      }
      if (!isRequireFunction(callee, bindings, depth)) return undefined
      return moduleNamed(staticValue(node.arguments[0], bindings))
    }
    case 'Identifier': {
      const binding = bindings.get(node.name)
      if (binding?.kind === 'module') return binding.ref
      if (binding?.kind === 'value') return moduleOf(binding.init, bindings, depth + 1)
      return undefined
    }
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const key = memberName(node, bindings)
      if (key === undefined) return undefined
      // global.cp after global.cp = require('child_process')
      if (isGlobalObject(node.object, bindings)) {
        const binding = bindings.get(key)
        if (binding?.kind === 'module') return binding.ref
        if (binding?.kind === 'value') return moduleOf(binding.init, bindings, depth + 1)
        return undefined
      }
      const base = moduleOf(node.object, bindings, depth + 1)
      if (!base) return undefined
      if (key === 'default' && base.member === '') return base
      return { module: base.module, member: base.member ? `${base.member}.${key}` : key }
    }
    default:
      return undefined
  }
}

function moduleNamed(name: unknown): ModuleRef | undefined {
  return typeof name === 'string' && name.length > 0 ? { module: stripNodePrefix(name), member: '' } : undefined
}

/** `global`, `globalThis`, `window`, `self` (not shadowed by a binding of the file). */
function isGlobalObject(node: t.Node, bindings: BindingTable): boolean {
  return node.type === 'Identifier' && GLOBAL_OBJECTS.has(node.name) && bindings.get(node.name) === undefined
}

/** The static name of a member access: `a.b` → `b`, `a['b' + 'c']` → `bc`. */
export function memberName(node: t.MemberExpression | t.OptionalMemberExpression, bindings: BindingTable): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined
  const value = staticValue(node.property, bindings)
  return typeof value === 'string' ? value : undefined
}

/** Whether a callee loads a module: `require`, an alias of it, or one of the indirect loaders. */
export function isRequireFunction(callee: t.Node, bindings: BindingTable, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false
  if (callee.type === 'Identifier') {
    if (callee.name === 'require' || callee.name === '__non_webpack_require__') return true
    const binding = bindings.get(callee.name)
    return binding?.kind === 'value' && isRequireFunction(binding.init, bindings, depth + 1)
  }
  if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
    const name = memberName(callee, bindings)
    if (name === 'require') return true // module.require, process.mainModule.require, global.require
    if (name === '_load') return true // module.constructor._load, Module._load
    if (name !== undefined && isGlobalObject(callee.object, bindings)) {
      // global.r after global['r'] = require
      const binding = bindings.get(name)
      return binding?.kind === 'value' && isRequireFunction(binding.init, bindings, depth + 1)
    }
    return false
  }
  if (callee.type === 'CallExpression') {
    // createRequire(import.meta.url)('x') and module.createRequire(...)('x')
    const inner = callee.callee
    const name = inner.type === 'Identifier' ? inner.name : inner.type === 'MemberExpression' ? memberName(inner, bindings) : undefined
    if (name === 'createRequire') return true
    // eval('require')('x'), eval('req' + 'uire'), (0, eval)('require'), Function('return require')()('x')
    if (isEvalCallee(inner) && staticValue(callee.arguments[0], bindings) === 'require') return true
    if (inner.type === 'CallExpression' && inner.callee.type === 'Identifier' && inner.callee.name === 'Function' && bindings.get('Function') === undefined) {
      const body = staticValue(inner.arguments[inner.arguments.length - 1], bindings)
      if (typeof body !== 'string') return false
      const trimmed = body.trim()
      return /^return\s+require$/.test(trimmed.endsWith(';') ? trimmed.slice(0, -1).trimEnd() : trimmed)
    }
    return false
  }
  // global.require || require, typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : require
  if (callee.type === 'LogicalExpression') return isRequireFunction(callee.left, bindings, depth + 1) || isRequireFunction(callee.right, bindings, depth + 1)
  if (callee.type === 'ConditionalExpression') return isRequireFunction(callee.consequent, bindings, depth + 1) && isRequireFunction(callee.alternate, bindings, depth + 1)
  if (callee.type === 'ParenthesizedExpression' || callee.type === 'SequenceExpression') {
    return isRequireFunction(callee.type === 'ParenthesizedExpression' ? callee.expression : callee.expressions[callee.expressions.length - 1], bindings, depth + 1)
  }
  return false
}

function isEvalCallee(node: t.Node): boolean {
  if (node.type === 'Identifier') return node.name === 'eval'
  if (node.type === 'SequenceExpression' || node.type === 'ParenthesizedExpression') {
    const last = node.type === 'SequenceExpression' ? node.expressions[node.expressions.length - 1] : node.expression
    return !!last && isEvalCallee(last)
  }
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    return node.property.name === 'eval' && node.object.type === 'Identifier' && GLOBAL_OBJECTS.has(node.object.name)
  }
  return false
}
