import type * as t from '@babel/types'
import { describe, expect, it } from 'vitest'
import { parseSource } from '../../src/analyze/parse.ts'
import { walk } from '../../src/analyze/walk.ts'

function program(code: string): t.Program {
  const parsed = parseSource('index.js', code)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.ast.program
}

const label = (n: t.Node): string => (n.type === 'Identifier' ? n.name : n.type === 'StringLiteral' ? JSON.stringify(n.value) : n.type)

describe('walk', () => {
  it('enters nodes depth-first in source order', () => {
    const entered: string[] = []
    walk(program('a(b, "c"); d = e + f'), { enter: (n) => entered.push(label(n)) })
    expect(entered).toEqual([
      'Program',
      'ExpressionStatement', 'CallExpression', 'a', 'b', '"c"',
      'ExpressionStatement', 'AssignmentExpression', 'd', 'BinaryExpression', 'e', 'f',
    ])
  })

  it('exits each node after its children, innermost first', () => {
    const events: string[] = []
    walk(program('f(x)'), { enter: (n) => events.push(`>${label(n)}`), exit: (n) => events.push(`<${label(n)}`) })
    expect(events).toEqual(['>Program', '>ExpressionStatement', '>CallExpression', '>f', '<f', '>x', '<x', '<CallExpression', '<ExpressionStatement', '<Program'])
  })

  it('passes the ancestors of each node, nearest last', () => {
    const seen = new Map<string, string[]>()
    const record = (n: t.Node, ancestors: readonly t.Node[]) => {
      if (n.type === 'Identifier') seen.set(n.name, ancestors.map((a) => a.type))
    }
    walk(program('function g() { return h }'), { enter: record, exit: record })
    expect(seen.get('h')).toEqual(['Program', 'FunctionDeclaration', 'BlockStatement', 'ReturnStatement'])
    expect(seen.get('g')).toEqual(['Program', 'FunctionDeclaration'])
  })

  it('skips holes and non-node values (sparse arrays, null test of a for loop)', () => {
    const entered: string[] = []
    walk(program('[a, , b]; for (;;) break'), { enter: (n) => entered.push(label(n)) })
    expect(entered).toEqual(['Program', 'ExpressionStatement', 'ArrayExpression', 'a', 'b', 'ForStatement', 'BreakStatement'])
  })

  it('walks a 100,000-deep expression without recursion', () => {
    // Built by hand: the parser itself gives up long before this depth.
    const depth = 100_000
    let expression: t.Expression = { type: 'Identifier', name: 'leaf' } as t.Identifier
    for (let i = 0; i < depth; i++) expression = { type: 'UnaryExpression', operator: '!', prefix: true, argument: expression } as t.UnaryExpression
    const root = { type: 'Program', body: [{ type: 'ExpressionStatement', expression }], directives: [], sourceType: 'script' } as unknown as t.Program
    let entered = 0
    let exited = 0
    let deepest = 0
    walk(root, {
      enter(n, ancestors) {
        entered++
        if (n.type === 'Identifier') deepest = ancestors.length
      },
      exit: () => exited++,
    })
    expect(entered).toBe(depth + 3)
    expect(exited).toBe(depth + 3)
    expect(deepest).toBe(depth + 2)
  })
})
