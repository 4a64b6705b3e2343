import type { Finding, Verdict } from '../types.ts'

/**
 * A package's verdict from its findings: a critical finding (a malicious shape such as an install
 * script piping a download into a shell, or the environment sent over the network) makes it
 * malicious; a high one (a dangerous capability where it runs unasked, e.g. a process spawned at
 * install time) makes it suspicious. Lower findings are context for a reviewer.
 */
export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'critical')) return 'malicious'
  if (findings.some((f) => f.severity === 'high')) return 'suspicious'
  return 'clean'
}
