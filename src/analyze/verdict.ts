import { severityRank, type Finding, type Severity, type Verdict } from '../types.ts'

/** Rules whose findings are a data-theft capability: what is taken. */
const THEFT = new Set(['wallet-harvesting', 'browser-credential-theft', 'credential-file-theft', 'clipboard-access', 'env-exfiltration'])
/** Rules whose findings show a channel out: where it goes. */
const CHANNEL = new Set(['webhook-exfiltration', 'shady-links', 'dns-exfiltration', 'host-fingerprint-exfiltration'])
/** Rules whose findings show code being run that nobody reviewed. */
const EXECUTION = new Set(['remote-code-execution', 'dynamic-code-execution', 'steganography', 'silent-process-execution', 'install-time-child-process'])
/** Amplifiers: evasion or staging that make a capability more likely to be an attack. */
const AMPLIFIER = new Set(['tls-verification-disabled', 'staged-payload-file', 'unparsed-file', 'shady-links'])

function atLeast(f: Finding, s: Severity): boolean {
  return severityRank(f.severity) >= severityRank(s)
}

/** Obfuscation findings (rules owned elsewhere): matched by id so that new obfuscation rules count too. */
function isObfuscation(f: Finding): boolean {
  return /obfusc|packer|encoded|hidden-code|invisible|unicode/.test(f.ruleId)
}

/**
 * A package's verdict from its findings.
 *
 * - A critical finding (a malicious shape: an install script piping a download into a shell, the
 *   environment or wallet files sent over the network, downloaded code executed) makes it malicious.
 * - So do combinations of high findings that together form an attack chain, none of which is
 *   conclusive alone: data theft + an exfiltration channel; unreviewed execution + obfuscation or
 *   a shady channel; install-time staging of a download + an evasion amplifier; three or more
 *   independent high findings.
 * - Any other high finding (a dangerous capability where it runs unasked) makes it suspicious.
 *   Lower findings are context for a reviewer.
 */
export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'critical')) return 'malicious'
  const high = findings.filter((f) => atLeast(f, 'high'))
  if (high.length === 0) return 'clean'
  const medium = findings.filter((f) => atLeast(f, 'medium'))
  const has = (set: ReadonlySet<string>, list: readonly Finding[]) => list.some((f) => set.has(f.ruleId))
  const highRules = new Set(high.map((f) => f.ruleId))

  // Theft + a way out (each at least high, or theft high + channel medium from a different rule).
  if (has(THEFT, high) && medium.some((f) => CHANNEL.has(f.ruleId) && !THEFT.has(f.ruleId))) return 'malicious'
  if (has(CHANNEL, high) && medium.some((f) => THEFT.has(f.ruleId))) return 'malicious'
  // Unreviewed execution + obfuscation or a shady channel.
  if (has(EXECUTION, high) && (medium.some(isObfuscation) || has(CHANNEL, medium.filter((f) => !EXECUTION.has(f.ruleId))))) return 'malicious'
  if (high.some(isObfuscation) && (has(EXECUTION, high) || has(THEFT, medium) || has(CHANNEL, medium.filter((f) => f.ruleId !== 'shady-links')))) return 'malicious'
  // Install-time staging of downloaded data + an evasion amplifier (TLS off, lookalike host …).
  const installStaging = high.some((f) => f.ruleId === 'staged-payload-file')
  if (installStaging && medium.some((f) => f.ruleId !== 'staged-payload-file' && (AMPLIFIER.has(f.ruleId) || EXECUTION.has(f.ruleId)))) return 'malicious'
  // Three independent high findings.
  if (highRules.size >= 3) return 'malicious'
  return 'suspicious'
}
