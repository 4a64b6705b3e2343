import type * as t from '@babel/types'
import { BindingTable } from '../../src/analyze/bindings.ts'
import { parseSource } from '../../src/analyze/parse.ts'
import { walk } from '../../src/analyze/walk.ts'

/** Parses a snippet (must parse) and fills a binding table the way the engine does during its walk. */
export function parseWithBindings(code: string, path = 'index.js'): { ast: t.File; bindings: BindingTable } {
  const parsed = parseSource(path, code)
  if (!parsed.ok) throw new Error(`test snippet does not parse: ${parsed.error}`)
  const bindings = new BindingTable()
  walk(parsed.ast.program, { enter: (node) => bindings.collect(node) })
  return { ast: parsed.ast, bindings }
}

/** The expression of the snippet's last statement, with the bindings of the whole snippet. */
export function lastExpression(code: string, path?: string): { node: t.Expression; bindings: BindingTable } {
  const { ast, bindings } = parseWithBindings(code, path)
  const last = ast.program.body[ast.program.body.length - 1]
  if (last?.type !== 'ExpressionStatement') throw new Error('the last statement of the snippet must be an expression')
  return { node: last.expression, bindings }
}
