import { severityRank, type ScanReport, type Severity } from '../types.ts'

export const EXIT = { clean: 0, findings: 1, usage: 2, incomplete: 3 } as const

/**
 * 1 when a finding is at or above `failOn` (findings come first: they are what a reviewer must
 * act on), else 3 when a package could not be fetched or read, else 0.
 */
export function exitCodeOf(report: ScanReport, failOn: Severity): number {
  const threshold = severityRank(failOn)
  const blocking = report.packages.some((p) => p.findings.some((f) => severityRank(f.severity) >= threshold))
  if (blocking) return EXIT.findings
  if (report.incomplete) return EXIT.incomplete
  return EXIT.clean
}
