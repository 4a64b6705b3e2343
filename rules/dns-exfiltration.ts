import { HOST_IDS, L, STOLEN } from '../src/analyze/flow.ts'
import { crossFileNote, onFileFlow, ownText, placeOf } from '../src/analyze/flow-rules.ts'
import { INSTALL_SCRIPTS } from '../src/analyze/entry-kinds.ts'
import { oobServiceOf } from '../src/analyze/sensitive-paths.ts'
import { whenRuns } from '../src/analyze/sinks.ts'
import { defineRule } from '../src/types.ts'

const DNS_TOOL = /\b(?:nslookup|dig|host|ping|Resolve-DnsName)\b/i
// Host data spliced into a command: $(whoami), `hostname`, $USER, %USERNAME%, ${npm_package_name}
const SUBSTITUTION = /\$\(\s*[a-z]|`\s*[a-z]|\$\{?(?:HOME|USER|USERNAME|HOSTNAME|PWD|LOGNAME|npm_[a-z_]+)\b|%(?:USERNAME|COMPUTERNAME|USERDOMAIN)%/i
const HOST_PATTERN = /\b[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}\b/gi

/**
 * Data smuggled out in DNS queries: `dns.lookup/resolve*` with a host name built from host data,
 * secrets or encoded chunks, and `nslookup`/`dig` of `$(whoami).<domain>` in install scripts or
 * commands; out-of-band interaction domains (oastify, interact.sh, burpcollaborator …) in them.
 */
export default defineRule({
  meta: {
    id: 'dns-exfiltration',
    severity: 'critical',
    description: 'Host data or secrets are encoded into DNS queries',
    docs: 'rules/dns-exfiltration.md',
  },
  create(context) {
    return {
      manifest() {
        const scripts = context.pkg.manifest?.scripts
        if (!scripts || typeof scripts !== 'object') return
        for (const name of INSTALL_SCRIPTS) {
          const command = scripts[name]
          if (typeof command !== 'string') continue
          const text = command.slice(0, 10_000)
          if (!DNS_TOOL.test(text)) continue
          const oob = [...text.matchAll(HOST_PATTERN)].map((m) => oobServiceOf(m[0])).find(Boolean)
          if (!SUBSTITUTION.test(text) && !oob) continue
          context.report({
            file: 'package.json',
            snippet: `"${name}": ${JSON.stringify(command).slice(0, 300)}`,
            message: `The ${name} script resolves a host name ${SUBSTITUTION.test(text) ? 'built from host data ($(whoami), $(hostname) …)' : `under ${oob}`}: data leaves through DNS on every install.`,
          })
        }
      },
      'Program:exit': onFileFlow((flow, file) => {
        const carried = HOST_IDS | STOLEN | L.ENVKEY | L.PKG
        for (const event of flow.network) {
          if (!event.dns) continue
          // The host name argument; through another file's function, what this call hands it.
          const taint = event.cross?.sink ? event.taint : flow.taintOf(event.node.arguments[0] as never)
          if ((taint & carried) === 0) continue
          context.report({
            ...placeOf(file, event),
            message: `${event.api}(${JSON.stringify(event.urlText.slice(0, 80))}) queries a host name built from ${describe(taint)}: DNS exfiltration.${crossFileNote(file, event, carried)}${whenRuns(file)}`,
          })
        }
        for (const event of flow.exec) {
          if (event.family !== 'process' || !DNS_TOOL.test(event.text)) continue
          if ((event.taint & (HOST_IDS | STOLEN | L.ENVKEY)) === 0 && !(ownText(event) && SUBSTITUTION.test(event.text))) continue
          context.report({ ...placeOf(file, event), message: `${event.api}(${JSON.stringify(event.text.slice(0, 100))}) resolves a host name carrying host data: DNS exfiltration.${crossFileNote(file, event, carried)}${whenRuns(file)}` })
        }
      }),
    }
  },
})

function describe(taint: number): string {
  const parts: string[] = []
  if (taint & L.HOSTNAME) parts.push('the host name')
  if (taint & L.USER) parts.push('the user name')
  if (taint & L.NETIF) parts.push('network addresses')
  if (taint & (L.HOMEDIR | L.CWD)) parts.push('local paths')
  if (taint & (L.ENV | L.ENVKEY)) parts.push('environment variables')
  if (taint & (L.WALLET | L.BROWSER | L.CRED)) parts.push('stolen file content')
  if (taint & L.PKG) parts.push('the package name')
  if (taint & L.CMDOUT) parts.push('command output')
  return parts.join(', ') || 'encoded data'
}
