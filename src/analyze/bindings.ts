import type * as t from '@babel/types'
import type { ModuleRef } from '../types.ts'
import { staticValue } from './static-value.ts'

export type Binding =
  | { kind: 'value'; init: t.Node }
  | { kind: 'module'; ref: ModuleRef }
  | { kind: 'ambiguous' }

/**
 * A file-wide, scope-less table of what names are bound to, filled during the single traversal.
 * Obfuscated and minified code rarely relies on shadowing to hide a `require`; a name bound twice
 * to different values becomes ambiguous and folds to nothing, so the table never invents a value.
 */
export class BindingTable {
  readonly #bindings = new Map<string, Binding>()
  /** The program of the file, recorded when the walk enters it; the interpreter's index and prelude read it. */
  program: t.Program | undefined
  /** Incremented whenever a binding changes, so that cached folds can tell they are stale. */
  version = 0

  get(name: string): Binding | undefined {
    return this.#bindings.get(name)
  }

  bind(name: string, binding: Binding): void {
    const existing = this.#bindings.get(name)
    if (!existing) {
      this.#bindings.set(name, binding)
      this.version++
    } else if (!sameBinding(existing, binding) && existing.kind !== 'ambiguous') {
      this.#bindings.set(name, { kind: 'ambiguous' })
      this.version++
    }
  }

  /** A name whose value changes (`x += …`, `x++`, `x.push(…)`, a loop variable) folds to nothing. */
  markAmbiguous(name: string): void {
    if (this.#bindings.get(name)?.kind === 'ambiguous') return
    this.#bindings.set(name, { kind: 'ambiguous' })
    this.version++
  }

  /** Records the names a node declares, if it is a declaration. */
  collect(node: t.Node): void {
    switch (node.type) {
      case 'Program':
        if (this.program) break
        this.program = node
        // Function declarations are hoisted: decoders are often declared below their first use.
        for (const statement of node.body) {
          const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement
          if (declaration?.type === 'FunctionDeclaration' && declaration.id) this.bind(declaration.id.name, { kind: 'value', init: declaration })
        }
        break
      case 'FunctionDeclaration':
        // nested ones are bound when the walk reaches them (top-level ones were bound with the program)
        if (node.id) this.bind(node.id.name, { kind: 'value', init: node })
        break
      case 'VariableDeclarator':
        if (node.init) this.#bindPattern(node.id, node.init)
        break
      case 'AssignmentExpression':
        if (node.left.type === 'Identifier') {
          if (node.operator === '=') this.bind(node.left.name, { kind: 'value', init: node.right })
          else this.markAmbiguous(node.left.name)
        } else if (node.operator === '=' && node.left.type === 'MemberExpression') {
          // global.r = require, globalThis['x'] = … create global names
          const name = globalPropertyName(node.left, this)
          if (name) this.bind(name, { kind: 'value', init: node.right })
        }
        break
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') this.markAmbiguous(node.argument.name)
        break
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.left.type === 'Identifier') this.markAmbiguous(node.left.name)
        else if (node.left.type === 'VariableDeclaration') for (const d of node.left.declarations) if (d.id.type === 'Identifier') this.markAmbiguous(d.id.name)
        break
      case 'CallExpression': {
        // arr.push(…), arr['shift']() and the like change what a name holds
        const callee = node.callee
        if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier') {
          const method = !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : callee.property.type === 'StringLiteral' ? callee.property.value : undefined
          if (method && MUTATING_METHODS.has(method)) this.markAmbiguous(callee.object.name)
        }
        break
      }
      case 'ExpressionStatement': {
        // (function (arr, n) { … arr.push(arr.shift()) … })(list, 0x1a3) may rotate what it receives
        const call = iifeCall(node)
        if (call) for (const arg of call.arguments) if (arg.type === 'Identifier') this.markAmbiguous(arg.name)
        break
      }
      case 'ImportDeclaration': {
        const module = stripNodePrefix(node.source.value)
        for (const spec of node.specifiers) {
          if (spec.type === 'ImportSpecifier') {
            const imported = spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value
            this.bind(spec.local.name, { kind: 'module', ref: { module, member: imported === 'default' ? '' : imported } })
          } else {
            this.bind(spec.local.name, { kind: 'module', ref: { module, member: '' } })
          }
        }
        break
      }
    }
  }

  #bindPattern(id: t.Node, init: t.Node): void {
    if (id.type === 'Identifier') {
      this.bind(id.name, { kind: 'value', init })
    } else if (id.type === 'ObjectPattern') {
      // const { exec: run } = require('child_process') binds `run` to the member `exec` of init
      for (const prop of id.properties) {
        if (prop.type !== 'ObjectProperty') continue
        const key = prop.key.type === 'Identifier' && !prop.computed ? prop.key.name : prop.key.type === 'StringLiteral' ? prop.key.value : undefined
        const value = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value
        if (key && (value.type === 'Identifier' || value.type === 'ObjectPattern')) {
          // const { promises: { readFile } } = require('fs') binds `readFile` to `….promises.readFile`
          this.#bindPattern(value, syntheticMember(init, key))
        }
      }
    }
  }
}

const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'reverse', 'sort', 'fill', 'copyWithin'])

/** Objects whose properties are global names. */
export const GLOBAL_OBJECTS = new Set(['global', 'globalThis', 'window', 'self'])

/** `global.x` / `globalThis['x']` / `window[<static>]`: the global name a member expression writes. */
export function globalPropertyName(node: t.MemberExpression, bindings: BindingTable): string | undefined {
  if (node.object.type !== 'Identifier' || !GLOBAL_OBJECTS.has(node.object.name)) return undefined
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined
  if (node.property.type === 'StringLiteral') return node.property.value
  if (node.property.type === 'TemplateLiteral' && node.property.expressions.length === 0) return node.property.quasis[0]?.value.cooked ?? undefined
  if (node.property.type === 'BinaryExpression' || node.property.type === 'CallExpression' || node.property.type === 'Identifier') {
    const value = staticValue(node.property, bindings)
    return typeof value === 'string' ? value : undefined
  }
  return undefined
}

/** `(function (…) {…})(…)`-shaped statements: their call. */
function iifeCall(statement: t.ExpressionStatement): t.CallExpression | undefined {
  let e: t.Node = statement.expression
  while (e.type === 'UnaryExpression' || e.type === 'ParenthesizedExpression') e = e.type === 'UnaryExpression' ? e.argument : e.expression
  if (e.type !== 'CallExpression' || e.arguments.length === 0) return undefined
  let callee: t.Node = e.callee
  while (callee.type === 'ParenthesizedExpression') callee = callee.expression
  return callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression' ? e : undefined
}

function sameBinding(a: Binding, b: Binding): boolean {
  if (a.kind === 'value' && b.kind === 'value') return a.init === b.init
  if (a.kind === 'module' && b.kind === 'module') return a.ref.module === b.ref.module && a.ref.member === b.ref.member
  return false
}

/** A member-expression node that is not in the AST, so destructured names resolve like `obj.key`. */
function syntheticMember(object: t.Node, key: string): t.MemberExpression {
  return {
    type: 'MemberExpression',
    object: object as t.Expression,
    property: { type: 'Identifier', name: key } as t.Identifier,
    computed: false,
    loc: object.loc,
    start: object.start,
    end: object.end,
  } as t.MemberExpression
}

export function stripNodePrefix(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name
}
