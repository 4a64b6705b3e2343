import { styleText } from 'node:util'
import Table from 'cli-table3'
import { describeTrigger } from '../analyze/project/triggers.ts'
import { changeLines } from './changes.ts'
import type { PackageResult, ScanReport, Severity } from '../types.ts'

type Style = Parameters<typeof styleText>[0]
const SEVERITY_STYLE: Record<Severity, Style> = { critical: ['bold', 'red'], high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' }

export interface TableOptions {
  color: boolean
  width: number
  /** Show packages whose only findings are below this severity? `low` shows everything above info. */
  minSeverity: Severity
}

/**
 * The human report: the scanned repository's own code first (with when each finding would run),
 * then one table per dependency with findings, then what could not be scanned, then totals.
 */
export function formatTable(report: ScanReport, options: TableOptions): string {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text, { validateStream: false }) : text)
  const out: string[] = []
  const order: Severity[] = ['critical', 'high', 'medium', 'low', 'info']
  const shown = (p: PackageResult) => p.findings.filter((f) => order.indexOf(f.severity) <= order.indexOf(options.minSeverity))
  const flagged = report.packages.filter((p) => shown(p).length > 0)
  flagged.sort((a, b) => rank(a) - rank(b))
  const own = flagged.filter((p) => p.source === 'root')
  const dependencies = flagged.filter((p) => p.source !== 'root')
  const root = report.packages.find((p) => p.source === 'root')

  // A diff lists what changed in the lockfile before what was found in it.
  out.push(...changeLines(report))
  // The project itself first: its scripts, hooks, editor tasks and code, and when each would run.
  if (root) {
    out.push(paint('bold', "This repository's own code"))
    if (own.length === 0) out.push(paint('gray', `  nothing to report in ${root.stats.files} files${root.status !== 'scanned' ? ` (${root.error ?? root.status})` : ''}`), '')
  }
  for (const pkg of [...own, ...dependencies]) {
    if (root && pkg === dependencies[0]) out.push(paint('bold', 'Dependencies'))
    const verdict = pkg.verdict === 'malicious' ? paint(['bold', 'red'], 'MALICIOUS') : pkg.verdict === 'suspicious' ? paint('yellow', 'SUSPICIOUS') : paint('gray', 'no verdict')
    const flags = [pkg.dev && 'dev', pkg.optional && 'optional', pkg.source !== 'registry' && pkg.source].filter(Boolean).join(', ')
    out.push(`${paint('bold', `${pkg.name}${pkg.version ? `@${pkg.version}` : ''}`)}  ${verdict}${flags ? `  (${flags})` : ''}${pkg.location ? paint('gray', `  ${pkg.location}`) : ''}`)
    const project = pkg.source === 'root'
    const whenWidth = project ? 24 : 0
    const evidenceWidth = Math.max(30, options.width - 10 - 30 - 28 - whenWidth - 10)
    const table = new Table({
      head: project ? ['Severity', 'Rule', 'Where', 'When it runs', 'Evidence'] : ['Severity', 'Rule', 'Where', 'Evidence'],
      colWidths: project ? [10, 30, 28, whenWidth, evidenceWidth] : [10, 30, 28, evidenceWidth],
      wordWrap: true,
      wrapOnWordBoundary: true,
      style: { head: options.color ? ['bold'] : [], border: options.color ? ['gray'] : [] },
    })
    for (const f of shown(pkg)) {
      const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}` : ''
      const evidence = f.snippet ? `${f.message}\n${paint('gray', `› ${f.snippet}`)}` : f.message
      const severity = paint(SEVERITY_STYLE[f.severity], f.severity)
      table.push(project ? [severity, f.ruleId, where, f.runs ? describeTrigger(f.runs) : '—', evidence] : [severity, f.ruleId, where + (f.entryKind === 'install' ? ' [install-time]' : ''), evidence])
    }
    out.push(table.toString(), '')
  }

  const missing = report.packages.filter((p) => p.status !== 'scanned')
  if (missing.length > 0) {
    out.push(paint('bold', `Not scanned (${missing.length}):`))
    for (const p of missing) out.push(`  ${p.name}@${p.version}  ${paint('gray', p.error ?? p.status)}`)
    out.push('')
  }
  const suppressed = report.packages.flatMap((p) => (p.suppressed ?? []).map((f) => ({ p, f })))
  if (suppressed.length > 0) {
    out.push(paint('bold', `Suppressed by ${report.config?.path ?? 'the configuration'} (${suppressed.length}):`))
    for (const { p, f } of suppressed) out.push(`  ${f.ruleId} in ${p.name}@${p.version}  ${paint('gray', `${f.suppression.reason}${f.suppression.expires ? ` (until ${f.suppression.expires})` : ''}`)}`)
    out.push('')
  }
  for (const w of report.warnings) out.push(paint('yellow', `warning: ${w}`))

  const s = report.summary
  const counts = (['critical', 'high', 'medium', 'low'] as const).map((sev) => `${s.findings[sev]} ${sev}`).join(', ')
  out.push(
    `${paint('bold', 'Tarsier')}: ${s.packages} packages (${s.scanned} scanned${s.notScanned ? `, ${paint('red', `${s.notScanned} not scanned`)}` : ''}) in ${(report.durationMs / 1000).toFixed(1)} s — ` +
      `${s.malicious ? paint(['bold', 'red'], `${s.malicious} malicious`) : '0 malicious'}, ${s.suspicious ? paint('yellow', `${s.suspicious} suspicious`) : '0 suspicious'}; findings: ${counts}`,
  )
  return `${out.join('\n')}\n`
}

function rank(p: PackageResult): number {
  return p.verdict === 'malicious' ? 0 : p.verdict === 'suspicious' ? 1 : 2
}
