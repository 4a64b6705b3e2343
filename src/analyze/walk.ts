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
 */
export function walk(root: t.Node, handlers: WalkHandlers): void {
  const ancestors: t.Node[] = []
  // Each stack item is a node to enter, or a marker to exit the node it wraps.
  const stack: Array<t.Node | { exit: t.Node }> = [root]
  while (stack.length > 0) {
    const item = stack.pop()!
    if ('exit' in item && !('type' in item)) {
      ancestors.pop()
      handlers.exit?.(item.exit, ancestors)
      continue
    }
    const node = item as t.Node
    handlers.enter(node, ancestors)
    ancestors.push(node)
    stack.push({ exit: node })
    const keys = VISITOR_KEYS[node.type]
    if (!keys) continue
    // Push children in reverse so that they are visited in source order.
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!]
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i]
          if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string') stack.push(c as t.Node)
        }
      } else if (child && typeof child === 'object' && typeof (child as t.Node).type === 'string') {
        stack.push(child as t.Node)
      }
    }
  }
}
