import type * as t from '@babel/types'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

// Whole-string matches, bounded lengths: linear.
const ADDRESS: Array<[RegExp, string]> = [
  [/^0x[a-fA-F0-9]{40}$/, 'Ethereum/EVM'],
  [/^(?:bc1|tb1)[a-z0-9]{25,62}$/, 'Bitcoin'],
  [/^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$/, 'Bitcoin'],
  [/^T[1-9A-HJ-NP-Za-km-z]{33}$/, 'Tron'],
  [/^(?:ltc1[a-z0-9]{25,62}|[LM][a-km-zA-HJ-NP-Z1-9]{26,33})$/, 'Litecoin'],
  [/^(?:bitcoincash:)?q[a-z0-9]{41}$/, 'Bitcoin Cash'],
]

/** Properties whose replacement intercepts what a web page or wallet sends. */
const HOOK_TARGETS: Array<[RegExp, string]> = [
  [/^(?:window|globalThis|self|global)\.fetch$/, 'fetch'],
  [/^XMLHttpRequest\.prototype\.(?:open|send|setRequestHeader)$/, 'XMLHttpRequest'],
  [/(?:^|\.)ethereum\.(?:request|send|sendAsync)$/, 'window.ethereum'],
  [/(?:^|\.)solana\.(?:signTransaction|signAndSendTransaction|signAllTransactions|request)$/, 'window.solana'],
  [/^navigator\.clipboard\.(?:writeText|readText)$/, 'the clipboard'],
]

function dotted(node: t.Node, ctx: RuleContext, depth = 0): string | undefined {
  if (depth > 6) return undefined
  if (node.type === 'Identifier') return node.name
  if (node.type !== 'MemberExpression') return undefined
  const key = node.computed ? ctx.staticString(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined
  const base = dotted(node.object, ctx, depth + 1)
  return key && base ? `${base}.${key}` : undefined
}

/**
 * A crypto clipper / drainer in a library: hard-coded wallet addresses of several chains together
 * with code that intercepts what the page or the wallet sends (`window.fetch`,
 * `XMLHttpRequest.prototype`, `window.ethereum.request`, the clipboard), so that the victim's
 * payments go to the attacker's address — the shape of the September 2025 compromise of popular
 * npm packages.
 */
export default defineRule({
  meta: {
    id: 'wallet-address-swap',
    severity: 'critical',
    description: 'Hard-coded crypto addresses with hooks on fetch / XMLHttpRequest / the wallet provider (a clipper)',
    docs: 'rules/wallet-address-swap.md',
  },
  create(context) {
    let addresses = new Map<string, string>()
    let hooks = new Map<string, t.Node>()
    const consider = (target: t.Node, ctx: RuleContext, node: t.Node) => {
      const path = dotted(target, ctx)
      if (!path) return
      for (const [pattern, what] of HOOK_TARGETS) if (pattern.test(path) && !hooks.has(what)) hooks.set(what, node)
    }
    return {
      Program() {
        addresses = new Map()
        hooks = new Map()
      },
      StringLiteral(node) {
        const v = node.value
        if (v.length < 26 || v.length > 70 || addresses.size >= 2000) return
        for (const [pattern, chain] of ADDRESS) {
          if (pattern.test(v)) {
            addresses.set(v, chain)
            break
          }
        }
      },
      AssignmentExpression(node, ctx) {
        consider(node.left, ctx, node)
      },
      CallExpression(node, ctx) {
        // Object.defineProperty(window, 'ethereum', …) / Object.defineProperty(XMLHttpRequest.prototype, 'open', …)
        const c = node.callee
        if (c.type !== 'MemberExpression' || c.object.type !== 'Identifier' || c.object.name !== 'Object') return
        const name = c.property.type === 'Identifier' ? c.property.name : ''
        if (name !== 'defineProperty' || node.arguments.length < 2) return
        const base = dotted(node.arguments[0] as t.Node, ctx)
        const key = ctx.staticString(node.arguments[1] as t.Node)
        if (base && key) {
          const path = `${base}.${key}`
          for (const [pattern, what] of HOOK_TARGETS) if (pattern.test(path) && !hooks.has(what)) hooks.set(what, node)
          if (/^(?:window|globalThis)\.(?:ethereum|solana|phantom)$/.test(path) && !hooks.has('window.ethereum')) hooks.set('window.ethereum', node)
        }
      },
      'Program:exit'() {
        const chains = new Set(addresses.values())
        if (addresses.size < 5) return
        const hooked = [...hooks.keys()]
        let severity: Severity
        if (hooked.length > 0 && (addresses.size >= 10 || chains.size >= 2)) severity = 'critical'
        else if (hooked.length > 0) severity = 'high'
        else if (addresses.size >= 20 && chains.size >= 3) severity = 'medium'
        else return
        const node = hooks.values().next().value
        context.report({
          ...(node ? { node } : { line: 1 }),
          severity,
          message: `${addresses.size} hard-coded crypto addresses (${[...chains].join(', ')})${hooked.length ? ` next to code that replaces ${hooked.join(', ')}` : ''}: a clipper that swaps the victim's payment address for the attacker's.`,
        })
      },
    }
  },
})
