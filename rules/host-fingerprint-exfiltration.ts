import { HOST_IDS, L } from '../src/analyze/flow.ts'
import { crossFileNote, eventLocation, onFileFlow, ownText, placeOf } from '../src/analyze/flow-rules.ts'
import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { oobServiceOf, parseUrl } from '../src/analyze/sensitive-paths.ts'
import { destinationOf, isShadyDestination, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

const IDS: Array<[number, string]> = [
  [L.HOSTNAME, 'host name'],
  [L.USER, 'user name'],
  [L.NETIF, 'network interfaces (MAC/IP addresses)'],
  [L.HOMEDIR, 'home directory'],
  [L.CWD, 'working / install directory'],
]

/**
 * Host identifiers (host name, user name, MAC addresses, home and install directory) sent over
 * HTTP(S), sockets or DNS: the reconnaissance beacon of dependency-confusion probes and of loaders
 * that register victims. First-party telemetry that sends only platform, versions and a hashed id
 * does not match: hashing removes the label.
 */
export default defineRule({
  meta: {
    id: 'host-fingerprint-exfiltration',
    severity: 'high',
    description: 'Host name, user name, MAC addresses or directories are sent over the network',
    docs: 'rules/host-fingerprint-exfiltration.md',
  },
  create(context) {
    return {
      'Program:exit': onFileFlow((flow, file) => {
        let reported = 0
        // curl -d "$(hostname)|$(whoami)" https://…: the shell does the collecting (install scripts
        // themselves are install-script's; this is the same shape run from code)
        for (const event of flow.exec) {
          if (event.family !== 'process' || reported >= 3) continue
          const shell = inspectShellCommand(event.text)
          const carries = (event.taint & (L.HOSTNAME | L.USER | L.NETIF)) !== 0 && /\b(?:curl|wget|nc|Invoke-WebRequest|iwr|irm)\b/i.test(event.text)
          if ((shell?.kind !== 'exfiltration' || !ownText(event)) && !carries) continue
          const url = parseUrl(/\b(?:https?):\/\/[^\s"'`]{3,300}/i.exec(event.text)?.[0] ?? '')
          const shady = url ? isShadyDestination(destinationOf(url).kind) || !!oobServiceOf(url.host) : false
          reported++
          const where = eventLocation(file, event)
          context.report({
            ...placeOf(file, event),
            severity: file.entryKind === 'install' || shady ? 'critical' : 'high',
            message: `${event.api}(${JSON.stringify(event.text.slice(0, 100))}) sends host data (user, host name, directory) with a shell command: a host-fingerprint beacon.${crossFileNote(file, event, HOST_IDS)}${whenRuns(where)}`,
          })
        }
        for (const event of flow.network) {
          const ids = IDS.filter(([bit]) => event.taint & bit).map(([, name]) => name)
          if (ids.length === 0 || reported >= 3) continue
          const destination = destinationOf(event.url)
          if (destination.kind === 'local') continue
          const strongIds = ids.filter((n) => n !== 'working / install directory').length
          const withEnv = (event.taint & L.ENV) !== 0
          const withPkg = (event.taint & L.PKG) !== 0
          const install = file.entryKind === 'install'
          let severity: Severity
          if (withEnv) severity = 'critical'
          else if (install && (strongIds >= 1 || withPkg)) severity = 'critical'
          else if (isShadyDestination(destination.kind) && (strongIds >= 1 || withPkg)) severity = 'critical'
          else if (event.dns && strongIds >= 1) severity = 'critical'
          else if (destination.kind === 'dynamic') severity = strongIds >= 2 ? 'medium' : 'low'
          else if (strongIds >= 2 || (strongIds >= 1 && withPkg)) severity = 'high'
          else severity = install ? 'high' : 'medium'
          reported++
          const extra = [withEnv ? 'the whole environment' : '', withPkg ? 'the package name' : '', event.taint & L.PLATFORM ? 'OS details' : ''].filter(Boolean)
          const where = eventLocation(file, event)
          context.report({
            ...placeOf(file, event),
            severity,
            message: `Sends the ${ids.join(', ')}${extra.length ? ` with ${extra.join(', ')}` : ''} to ${destination.detail}${event.dns ? ' in a DNS query' : ''}: a host-fingerprint beacon.${crossFileNote(file, event, HOST_IDS | L.ENV)}${whenRuns(where)}`,
          })
        }
      }),
    }
  },
})
