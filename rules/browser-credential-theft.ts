import { flowOf, L } from '../src/analyze/flow.ts'
import { classifyPath } from '../src/analyze/sensitive-paths.ts'
import { destinationOf, locate, whenRuns, type Location } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

/**
 * Reads of browser credential stores: Chromium `Login Data`, `Local State` (the key that decrypts
 * them), `Cookies`, `Web Data`; Firefox `key4.db`, `logins.json`, `cookies.sqlite`; optionally
 * across every profile (`Default`, `Profile N`).
 */
export default defineRule({
  meta: {
    id: 'browser-credential-theft',
    severity: 'high',
    description: 'Browser password, cookie or key stores are read (and sent)',
    docs: 'rules/browser-credential-theft.md',
  },
  create(context) {
    const reads: Array<{ where: Location; targets: string[] }> = []
    const sends: Array<{ where: Location; destination: string }> = []
    let networkFiles = 0
    let profileLoop = false
    return {
      StringLiteral(node) {
        if (node.value === 'Profile ' || node.value === 'Profile' || /^Profile \d{1,3}$/.test(node.value)) profileLoop = true
      },
      'Program:exit'(program, ctx) {
        const file = ctx.file
        if (!file) return
        const flow = flowOf(program, ctx)
        if (flow.network.length > 0) networkFiles++
        for (const event of flow.files) {
          if (event.kind !== 'read' || (event.pathTaint & L.P_BROWSER) === 0) continue
          const targets = classifyPath(event.pathText).filter((x) => x.kind === 'browser-store').map((x) => x.target)
          reads.push({ where: locate(file, event.node), targets: targets.length > 0 ? targets : ['a browser credential store'] })
        }
        for (const event of flow.network) {
          if (event.taint & L.BROWSER) sends.push({ where: locate(file, event.node), destination: destinationOf(event.url).detail })
        }
      },
      'Package:exit'() {
        if (reads.length === 0 && sends.length === 0) return
        const targets = [...new Set(reads.flatMap((r) => r.targets))]
        const list = targets.join(', ')
        const first = sends[0]?.where ?? reads[0]!.where
        let severity: Severity
        let message: string
        if (sends.length > 0) {
          severity = 'critical'
          message = `Browser credential stores (${list || 'browser data'}) are read and sent to ${sends[0]!.destination}.`
        } else if (networkFiles > 0 && (targets.length >= 2 || profileLoop)) {
          severity = 'critical'
          message = `Reads ${targets.length} browser credential stores (${list})${profileLoop ? ' across browser profiles' : ''} in a package that also sends data over the network: an infostealer's shape.`
        } else if (networkFiles > 0 || targets.length >= 2) {
          severity = 'high'
          message = `Reads browser credential stores (${list})${networkFiles > 0 ? ' in a package that also uses the network' : ''}.`
        } else {
          severity = 'medium'
          message = `Reads a browser credential store (${list}).`
        }
        context.report({ file: first.file, line: first.line, column: first.column, snippet: first.snippet, entryKind: first.entryKind, severity, message: message + whenRuns(first) })
      },
    }
  },
})
