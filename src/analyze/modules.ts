import type * as t from '@babel/types'
import type { ModuleRef } from '../types.ts'
import { stripNodePrefix, type BindingTable } from './bindings.ts'
import { staticValue } from './static-value.ts'

const MAX_DEPTH = 20

/**
 * The module (and member path below it) an expression refers to, following aliases:
 * `require('x')`, `require('node:x')`, `const r = require; r('x')`, `module.require('x')`,
 * `process.mainModule.require('x')`, `module.constructor._load('x')`, destructuring,
 * `import` bindings, and computed member names that fold to strings.
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
    case 'CallExpression': {
      if (!isRequireFunction(node.callee, bindings, depth)) return undefined
      const name = staticValue(node.arguments[0], bindings)
      return typeof name === 'string' ? { module: stripNodePrefix(name), member: '' } : undefined
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
      const base = moduleOf(node.object, bindings, depth + 1)
      if (!base) return undefined
      if (key === 'default' && base.member === '') return base
      return { module: base.module, member: base.member ? `${base.member}.${key}` : key }
    }
    default:
      return undefined
  }
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
    return false
  }
  if (callee.type === 'CallExpression') {
    // createRequire(import.meta.url)('x') and module.createRequire(...)('x')
    const inner = callee.callee
    const name = inner.type === 'Identifier' ? inner.name : inner.type === 'MemberExpression' ? memberName(inner, bindings) : undefined
    return name === 'createRequire'
  }
  if (callee.type === 'ParenthesizedExpression' || callee.type === 'SequenceExpression') {
    return isRequireFunction(callee.type === 'ParenthesizedExpression' ? callee.expression : callee.expressions[callee.expressions.length - 1], bindings, depth + 1)
  }
  return false
}
