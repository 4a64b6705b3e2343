import type * as t from '@babel/types'
import type { ModuleRef, RuleContext } from '../types.ts'

/** Modules whose calls send data off the machine. */
export const NETWORK_MODULES = new Set([
  'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'dns/promises',
  'axios', 'got', 'request', 'node-fetch', 'undici', 'superagent', 'needle', 'sync-request', 'then-request',
  'phin', 'ws', 'socket.io-client', 'form-data', 'cross-fetch', 'isomorphic-fetch', 'make-fetch-happen',
  'minipass-fetch', 'request-promise', 'request-promise-native', 'ky', 'wretch', 'httpie', 'bent', 'xmlhttprequest',
])

export const CHILD_PROCESS_FUNCTIONS = new Set(['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork'])

const GLOBAL_FETCHERS = new Set(['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'])

/** The module a call's callee belongs to, e.g. `https.request` → { module: 'https', member: 'request' }. */
export function calleeModule(node: t.CallExpression | t.NewExpression | t.OptionalCallExpression, context: RuleContext): ModuleRef | undefined {
  return context.moduleOf(node.callee)
}

/** Whether a call sends a request: a network module's function, or a global like `fetch`. */
export function isNetworkCall(node: t.CallExpression | t.NewExpression | t.OptionalCallExpression, context: RuleContext): boolean {
  const ref = calleeModule(node, context)
  if (ref && NETWORK_MODULES.has(ref.module)) return true
  const callee = node.callee
  if (callee.type === 'Identifier') return GLOBAL_FETCHERS.has(callee.name)
  if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && GLOBAL_FETCHERS.has(callee.property.name)) {
    return callee.object.type === 'Identifier' && ['globalThis', 'window', 'global', 'self'].includes(callee.object.name)
  }
  return false
}

/** `process.env` used as a whole (not `process.env.X`), e.g. in `JSON.stringify(process.env)`. */
export function isWholeProcessEnv(node: t.Node, parent: t.Node | undefined): boolean {
  if (node.type !== 'MemberExpression' || node.computed) return false
  if (node.object.type !== 'Identifier' || node.object.name !== 'process') return false
  if (node.property.type !== 'Identifier' || node.property.name !== 'env') return false
  if (!parent) return true
  // process.env.X, process.env[x], and assignment targets read one variable or write, not the whole.
  if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === node) return false
  if (parent.type === 'AssignmentExpression' && parent.left === node) return false
  return true
}

/** Visits every node below `root` (bounded), calling `visit` with the node and its parent. */
export function someDescendant(root: t.Node, visit: (node: t.Node, parent: t.Node | undefined) => boolean, limit = 5000): boolean {
  const stack: Array<[t.Node, t.Node | undefined]> = [[root, undefined]]
  let count = 0
  while (stack.length > 0 && count++ < limit) {
    const [node, parent] = stack.pop()!
    if (visit(node, parent)) return true
    for (const key of Object.keys(node) as Array<keyof t.Node>) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue
      const value = node[key] as unknown
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child === 'object' && typeof (child as t.Node).type === 'string') stack.push([child as t.Node, node])
      } else if (value && typeof value === 'object' && typeof (value as t.Node).type === 'string') {
        stack.push([value as t.Node, node])
      }
    }
  }
  return false
}
