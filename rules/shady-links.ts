import type * as t from '@babel/types'
import { flowOf } from '../src/analyze/flow.ts'
import { ownText } from '../src/analyze/flow-rules.ts'
import { parseUrl } from '../src/analyze/sensitive-paths.ts'
import { destinationOf } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

const URL_IN_TEXT = /\b(?:https?|wss?|ftp):\/\/[^\s"'`<>]{3,300}/gi
/** A host name given to a lookup or probe tool, which contacts it (by DNS at least). */
const LOOKUP_COMMAND = /\b(?:nslookup|dig|host|ping|ping6|curl|wget|nc|ncat)\s/g
const OPTION = /^-{1,2}[\w=.]{1,40}$/
const HOST_PREFIX = /^[A-Za-z0-9_*][A-Za-z0-9_.*-]{2,252}/

/**
 * The host a lookup or download command names: its first argument after at most six options.
 * Read token by token, where one regular expression over the options and the host would backtrack.
 */
function lookupHost(words: string): string | undefined {
  for (const match of words.matchAll(LOOKUP_COMMAND)) {
    const tokens = words.slice(match.index + match[0].length, match.index + match[0].length + 2_000).trimStart().split(/\s+/, 8)
    let i = 0
    while (i < 6 && i < tokens.length && OPTION.test(tokens[i]!)) i++
    const host = tokens[i] !== undefined ? HOST_PREFIX.exec(tokens[i]!)?.[0] : undefined
    if (host) return host
  }
  return undefined
}

/**
 * URLs that legitimate packages rarely contain: raw public IP addresses, out-of-band interaction /
 * request-capture / tunnel / paste services, hosts that imitate npm or crypto-price services, and
 * public indicators of the campaigns in data/iocs.json. Requests to them weigh more than mentions.
 */
export default defineRule({
  meta: {
    id: 'shady-links',
    severity: 'medium',
    description: 'Raw-IP, out-of-band, lookalike or known-bad hosts in code or install scripts',
    docs: 'rules/shady-links.md',
  },
  create(context) {
    let seen = new Set<string>()
    let mentions: Array<[string, t.Node]> = []
    const consider = (text: string, node: t.Node | undefined, ctx: RuleContext | undefined, requestedHere: boolean) => {
      const url = parseUrl(text)
      if (!url) return
      const destination = destinationOf(url)
      let severity: Severity
      switch (destination.kind) {
        case 'ioc':
        case 'lookalike':
          severity = 'high'
          break
        case 'oob':
          severity = requestedHere || ctx?.file?.entryKind === 'install' ? 'high' : 'medium'
          break
        case 'raw-ip':
          severity = requestedHere ? (ctx?.file?.entryKind === 'install' ? 'high' : 'medium') : 'low'
          break
        default:
          return
      }
      if (seen.has(url.host)) return
      seen.add(url.host)
      context.report({
        ...(node ? { node } : { file: 'package.json' }),
        severity,
        message: `${requestedHere ? 'Sends a request to' : 'Mentions'} ${destination.detail}${destination.kind === 'ioc' ? ' (public indicator of a developer-targeting campaign)' : ''}.`,
      })
    }
    return {
      manifest() {
        const scripts = context.pkg.manifest?.scripts
        if (!scripts || typeof scripts !== 'object') return
        for (const command of Object.values(scripts)) {
          if (typeof command !== 'string') continue
          for (const m of command.slice(0, 10_000).matchAll(URL_IN_TEXT)) consider(m[0], undefined, undefined, true)
        }
        seen = new Set()
      },
      Program() {
        seen = new Set()
        mentions = []
      },
      'Program:exit'(program, ctx) {
        // Requests first, so that a URL both written and requested is reported once, as a request.
        const flow = flowOf(program, ctx)
        // (a call into another file's request function is that file's request, unless it passes the URL)
        for (const event of flow.network) if (event.url && ownText(event)) consider(event.urlText, event.node, ctx, true)
        // Commands handed to a child process: `curl http://…`, `nslookup host.oast.site`, `ping -c1 …`
        for (const event of flow.exec) {
          if (event.family !== 'process' || !ownText(event)) continue
          const words = [event.text, ...(event.args ?? []).map((a) => ctx.staticString(a) ?? '*')].join(' ').slice(0, 10_000)
          for (const m of words.matchAll(URL_IN_TEXT)) consider(m[0], event.node, ctx, true)
          // `*` marks a part computed at run time (often the stolen data itself, as a subdomain)
          const host = lookupHost(words)?.replace(/^.*\*\.?/, '')
          if (host && /\.[A-Za-z]{2,63}$/.test(host)) consider(`dns://${host}`, event.node, ctx, true)
        }
        for (const [text, node] of mentions) consider(text, node, ctx, false)
      },
      StringLiteral(node) {
        if (node.value.length < 10 || node.value.length > 5000 || !node.value.includes('://')) return
        for (const m of node.value.matchAll(URL_IN_TEXT)) if (mentions.length < 200) mentions.push([m[0], node])
      },
    }
  },
})
