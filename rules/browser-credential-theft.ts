import { L } from '../src/analyze/flow.ts'
import { onFileFlow, TheftEvidence } from '../src/analyze/flow-rules.ts'
import { classifyPath } from '../src/analyze/sensitive-paths.ts'
import { defineRule } from '../src/types.ts'

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
    const evidence = new TheftEvidence()
    let profileLoop = false
    return {
      StringLiteral(node) {
        if (node.value === 'Profile ' || node.value === 'Profile' || /^Profile \d{1,3}$/.test(node.value)) profileLoop = true
      },
      'Program:exit': onFileFlow((flow, file) => {
        evidence.collect(flow, file, {
          pathLabel: L.P_BROWSER,
          contentLabel: L.BROWSER,
          targetsOf: (event) => {
            const targets = classifyPath(event.pathText).filter((x) => x.kind === 'browser-store').map((x) => x.target)
            return targets.length > 0 ? targets : ['a browser credential store']
          },
        })
      }),
      'Package:exit'() {
        if (evidence.empty) return
        const targets = evidence.targets()
        const list = targets.join(', ')
        const network = evidence.networkFiles > 0
        const sent = evidence.sentFinding(`Browser credential stores (${list || 'browser data'}) are`)
        if (sent) {
          evidence.report(context, sent.severity, sent.message, sent.where)
        } else if (network && (targets.length >= 2 || profileLoop)) {
          evidence.report(context, 'critical', `Reads ${targets.length} browser credential stores (${list})${profileLoop ? ' across browser profiles' : ''} in a package that also sends data over the network: an infostealer's shape.`)
        } else if (network || targets.length >= 2) {
          evidence.report(context, 'high', `Reads browser credential stores (${list})${network ? ' in a package that also uses the network' : ''}.`)
        } else {
          evidence.report(context, 'medium', `Reads a browser credential store (${list}).`)
        }
      },
    }
  },
})
