import type * as t from '@babel/types'
import type { ModuleRef } from '../types.ts'

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

  get(name: string): Binding | undefined {
    return this.#bindings.get(name)
  }

  bind(name: string, binding: Binding): void {
    const existing = this.#bindings.get(name)
    if (!existing) this.#bindings.set(name, binding)
    else if (!sameBinding(existing, binding)) this.#bindings.set(name, { kind: 'ambiguous' })
  }

  /** Records the names a node declares, if it is a declaration. */
  collect(node: t.Node): void {
    switch (node.type) {
      case 'VariableDeclarator':
        if (node.init) this.#bindPattern(node.id, node.init)
        break
      case 'AssignmentExpression':
        if (node.operator === '=' && node.left.type === 'Identifier') this.bind(node.left.name, { kind: 'value', init: node.right })
        break
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
