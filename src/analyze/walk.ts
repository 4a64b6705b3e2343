import { VISITOR_KEYS } from '@babel/types'
import type * as t from '@babel/types'

export interface WalkHandlers {
  enter(node: t.Node, ancestors: readonly t.Node[]): void
  exit?(node: t.Node, ancestors: readonly t.Node[]): void
}

/**
 * Depth-first walk over Babel's node keys with an explicit stack, so that pathologically deep
 * ASTs (attacker-chosen nesting) cannot overflow the call stack. Much cheaper than
 * `@babel/traverse`, which builds a path object and scope for every node.
 *
 * The stack holds nodes; a node is pushed a second time, with its flag set, below its children so
 * that popping it again means "exit". Two parallel arrays instead of a marker object per node: the
 * walk runs over every node of every file, and a marker object each was a large part of the
 * garbage the analysis made.
 */
export function walk(root: t.Node, handlers: WalkHandlers): void {
  const ancestors: t.Node[] = []
  const nodes: t.Node[] = [root]
  const exits: boolean[] = [false]
  const exit = handlers.exit
  while (nodes.length > 0) {
    const node = nodes.pop()!
    if (exits.pop()) {
      ancestors.pop()
      exit?.(node, ancestors)
      continue
    }
    handlers.enter(node, ancestors)
    ancestors.push(node)
    nodes.push(node)
    exits.push(true)
    const keys = VISITOR_KEYS[node.type]
    if (!keys) continue
    // Push children in reverse so that they are visited in source order.
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!]
      if (child === null || typeof child !== 'object') continue
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i]
          if (c !== null && typeof c === 'object' && typeof (c as t.Node).type === 'string') {
            nodes.push(c as t.Node)
            exits.push(false)
          }
        }
      } else if (typeof (child as t.Node).type === 'string') {
        nodes.push(child as t.Node)
        exits.push(false)
      }
    }
  }
}
