import { join, relative, sep } from 'node:path'
import { severityRank, type Finding, type PackageResult, type ScanReport } from '../types.ts'

/** GitHub shows at most 10 annotations of a kind per step. */
export const MAX_ANNOTATIONS = 10

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  title: string
  file?: string
  startLine?: number
}

/**
 * Annotations for the worst findings (at most `max`, critical first): a dependency's at the
 * lockfile line of its entry, the project's own at the file and line. Paths are relative to the
 * workspace, as GitHub expects them.
 */
export function worstFindingAnnotations(report: ScanReport, places: { lockfile?: string; projectDir?: string }, workspace: string, max = MAX_ANNOTATIONS): { annotations: Annotation[]; omitted: number } {
  const all = report.packages.flatMap((pkg) => pkg.findings.map((finding) => ({ pkg, finding })))
  all.sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || verdictRank(a.pkg) - verdictRank(b.pkg))
  const annotations = all.slice(0, max).map(({ pkg, finding }) => annotationOf(pkg, finding, places, workspace))
  return { annotations, omitted: Math.max(0, all.length - max) }
}

function annotationOf(pkg: PackageResult, finding: Finding, places: { lockfile?: string; projectDir?: string }, workspace: string): Annotation {
  const fromWorkspace = (path: string) => relative(workspace, path).split(sep).join('/')
  const lockfile = places.lockfile
  const level = severityRank(finding.severity) >= severityRank('high') ? 'error' : finding.severity === 'medium' ? 'warning' : 'notice'
  const where = finding.file ? ` (${finding.file}${finding.line ? `:${finding.line}` : ''})` : ''
  if (pkg.source === 'root') {
    const file = finding.file && places.projectDir ? fromWorkspace(join(places.projectDir, finding.file)) : finding.file
    return { level, title: `Tarsier: ${finding.ruleId}`, message: finding.message, ...(file && { file }), ...(finding.line && { startLine: finding.line }) }
  }
  const line = pkg.lockfileLine ?? (finding.file === undefined ? finding.line : undefined)
  return {
    level,
    title: `Tarsier: ${finding.ruleId} in ${pkg.name}@${pkg.version} (${pkg.verdict})`,
    message: `${finding.message}${where}`,
    ...(lockfile && { file: fromWorkspace(lockfile) }),
    ...(lockfile && line && { startLine: line }),
  }
}

function verdictRank(pkg: PackageResult): number {
  return pkg.verdict === 'malicious' ? 0 : pkg.verdict === 'suspicious' ? 1 : 2
}
