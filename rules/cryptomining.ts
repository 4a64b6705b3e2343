import { flowOf } from '../src/analyze/flow.ts'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'
import type * as t from '@babel/types'

// Mining-pool protocol URLs, miner binaries and their tell-tale options; linear-time.
const MINER = /\bstratum\+(?:tcp|ssl|tls):\/\/|\bxmrig\b|\bxmr-stak\b|--donate-level\b|\bcpuminer\b|\bnanominer\b|\bphoenixminer\b/i
const TREX = /\bt-rex\b/gi
const ALGORITHM_OPTION = /-a\s+\w/
const POOL = /(?:^|[./])(?:supportxmr\.com|minexmr\.com|moneroocean\.stream|nanopool\.org|2miners\.com|f2pool\.com|hashvault\.pro|herominers\.com|c3pool\.com|unmineable\.com|xmrpool\.eu|nicehash\.com)\b/i

/**
 * A cryptocurrency miner shipped or started by a package: mining-pool URLs (`stratum+tcp://`, known
 * pools), miner binaries and options (xmrig, `--donate-level`) in code or scripts (GuardDog
 * threat-process-cryptomining). Critical when the package also starts processes or downloads.
 */
export default defineRule({
  meta: {
    id: 'cryptomining',
    severity: 'high',
    description: 'A cryptocurrency miner: mining pools, miner binaries or their options',
    docs: 'rules/cryptomining.md',
  },
  create(context) {
    let hit: { node?: t.Node; file: string; text: string } | undefined
    let runs = false
    const check = (text: string, node: t.Node | undefined, ctx: RuleContext | undefined) => {
      if (hit || text.length > 10_000) return
      const m = MINER.exec(text)?.[0] ?? trexWithAlgorithm(text) ?? POOL.exec(text)?.[0]
      if (m) hit = { ...(node && { node }), file: ctx?.file?.path ?? 'package.json', text: m }
    }
    return {
      manifest() {
        const scripts = context.pkg.manifest?.scripts
        if (scripts && typeof scripts === 'object') for (const c of Object.values(scripts)) if (typeof c === 'string') check(c, undefined, undefined)
        if (hit) runs = true
      },
      StringLiteral(node, ctx) {
        if (node.value.length >= 5) check(node.value, node, ctx)
      },
      'Program:exit'(program, ctx) {
        const flow = flowOf(program, ctx)
        if (flow.exec.some((e) => e.family === 'process') || flow.network.length > 0) runs = true
        if (hit && hit.node && !reported.has(hit)) {
          reported.add(hit)
          report(hit, runs ? 'critical' : 'high')
        }
      },
      'Package:exit'() {
        if (hit && !hit.node) report(hit, 'critical')
      },
    }
    function report(h: NonNullable<typeof hit>, severity: Severity) {
      context.report({ ...(h.node ? { node: h.node } : { file: h.file }), severity, message: `Cryptocurrency mining: ${JSON.stringify(h.text.slice(0, 60))}${severity === 'critical' ? ' in a package that starts processes or downloads' : ''}.` })
    }
  },
})

const reported = new WeakSet<object>()

/**
 * T-Rex is also a common word: only with its algorithm option on the same line (`t-rex -a ethash`),
 * within 40 characters. Read per occurrence, where one regular expression over the gap backtracks.
 */
function trexWithAlgorithm(text: string): string | undefined {
  for (const match of text.matchAll(TREX)) {
    const start = match.index + match[0].length
    const window = text.slice(start, start + 60)
    const lineEnd = window.indexOf('\n')
    const option = ALGORITHM_OPTION.exec(window)
    if (option && option.index <= 40 && (lineEnd === -1 || option.index < lineEnd)) return text.slice(match.index, start + option.index + option[0].length)
  }
  return undefined
}
