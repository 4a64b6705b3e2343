import { isAbsolute, relative } from 'node:path'
import { describeTrigger } from '../analyze/project/triggers.ts'
import { severityRank, type DependencyChange, type Finding, type PackageResult, type ScanReport, type Severity } from '../types.ts'
import { htmlText, mdBlock, mdCode, mdText } from './markdown-text.ts'

/** GitHub refuses comments longer than 65,536 characters. */
export const COMMENT_MAX_CHARS = 65_000

export interface MarkdownOptions {
  /** The whole document stays within this many characters (evidence is cut first, with a note). */
  maxChars?: number
  /** Findings below this severity are counted, not shown (default: low). */
  minSeverity?: Severity
  /** Paths are shown relative to this directory (default: the working directory). */
  displayRoot?: string
  /** Where the full report is, for the note when evidence is cut (e.g. "the job summary"). */
  fullReportHint?: string
}

const VERDICT: Record<PackageResult['verdict'], string> = { malicious: '🔴 **malicious**', suspicious: '🟠 **suspicious**', clean: '🟢 clean' }
const CHANGE: Record<DependencyChange['kind'], string> = {
  'integrity-changed': '**integrity changed**',
  'resolved-host-changed': 'download host changed',
  'version-changed': 'version changed',
  added: 'added',
  removed: 'removed',
}
const MAX_TABLE_ROWS = 300
/** Room kept for the closing sections (not scanned, suppressed, warnings) when evidence is cut. */
const TAIL_RESERVE = 6_000

/**
 * The report as GitHub Markdown: a headline, a table of the (changed) packages with their
 * verdicts, then the evidence of each finding, what could not be scanned, suppressed findings and
 * warnings. Every string from a package is escaped (see markdown-text.ts).
 */
export function formatMarkdown(report: ScanReport, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? 1_000_000
  const minRank = severityRank(options.minSeverity ?? 'low')
  const root = options.displayRoot ?? process.cwd()
  const shown = (p: PackageResult) => p.findings.filter((f) => severityRank(f.severity) >= minRank)
  const ordered = [...report.packages].sort((a, b) => rank(a) - rank(b) || worst(b) - worst(a) || a.name.localeCompare(b.name))

  const head: string[] = [`## Tarsier: ${headline(report)}`, '', summaryLine(report, root), '']
  if (report.diff) head.push(changeLine(report), '')

  // The table: every changed package in a diff; in a full scan, the packages with findings.
  const rows = report.diff ? ordered : ordered.filter((p) => p.findings.length > 0 || p.status !== 'scanned')
  const removed = report.diff ? report.diff.changes.filter((c) => c.kind === 'removed') : []
  if (rows.length + removed.length > 0) {
    head.push(report.diff ? '| Package | Change | Verdict | Findings |' : '| Package | Verdict | Findings |', report.diff ? '| --- | --- | --- | --- |' : '| --- | --- | --- |')
    for (const pkg of rows.slice(0, MAX_TABLE_ROWS)) {
      const cells = [mdCode(label(pkg)), ...(report.diff ? [pkg.change ? changeCell(pkg.change) : '—'] : []), verdictCell(pkg), countsOf(pkg.findings)]
      head.push(`| ${cells.join(' | ')} |`)
    }
    if (report.diff) for (const change of removed.slice(0, Math.max(0, MAX_TABLE_ROWS - rows.length))) head.push(`| ${mdCode(`${change.name}@${change.version}`)} | removed | — | not scanned |`)
    const cut = rows.length + removed.length - MAX_TABLE_ROWS
    if (cut > 0) head.push('', `_…and ${cut} more packages (the JSON and SARIF reports list every one)._`)
    head.push('')
  } else if (!report.diff) {
    head.push(`No findings in ${report.summary.scanned} scanned packages.`, '')
  }

  const tail = tailSections(report)
  const evidence: string[] = []
  const flagged = ordered.filter((p) => shown(p).length > 0)
  let used = head.join('\n').length + tail.length + 200
  let cutFindings = 0
  let cutPackages = 0
  if (flagged.length > 0) evidence.push('### Evidence', '')
  for (const pkg of flagged) {
    const section = packageEvidence(pkg, shown(pkg), root, report)
    if (used + section.length + 1 > maxChars - TAIL_RESERVE) {
      cutPackages++
      cutFindings += shown(pkg).length
      continue
    }
    evidence.push(section)
    used += section.length + 1
  }
  if (cutPackages > 0) {
    evidence.push(`> [!NOTE]\n> Evidence of ${cutFindings} findings in ${cutPackages} packages is left out to stay within GitHub's size limit${options.fullReportHint ? `: see ${options.fullReportHint}` : ''}.`, '')
  }
  const hidden = report.packages.reduce((n, p) => n + p.findings.length - shown(p).length, 0)
  if (hidden > 0) evidence.push(`_${hidden} findings below ${options.minSeverity ?? 'low'} severity are counted above but not shown._`, '')

  let text = [...head, ...evidence, tail].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n'
  if (text.length > maxChars) text = `${text.slice(0, maxChars - 120)}\n\n_…the report is cut here to stay within GitHub's size limit._\n`
  return text
}

function headline(report: ScanReport): string {
  const s = report.summary
  const scope = report.diff ? `${s.packages} added or changed packages` : `${s.packages} packages`
  if (s.malicious + s.suspicious === 0) {
    const rest = report.incomplete ? `, but ${s.notScanned} could not be scanned` : ''
    return `no malicious or suspicious package in ${scope}${rest}`
  }
  const parts = [s.malicious > 0 && `${s.malicious} malicious`, s.suspicious > 0 && `${s.suspicious} suspicious`].filter(Boolean)
  return `${parts.join(', ')} in ${scope}`
}

function summaryLine(report: ScanReport, root: string): string {
  const s = report.summary
  const counts = (['critical', 'high', 'medium', 'low'] as const).filter((sev) => s.findings[sev] > 0).map((sev) => `${s.findings[sev]} ${sev}`)
  const target = report.diff ? report.diff.lockfile : report.target
  const incomplete = report.incomplete ? ` — ⚠️ **${s.notScanned} not scanned**: the result is incomplete` : ''
  return `Scanned ${s.scanned} of ${s.packages} packages of ${mdCode(display(target, root))} in ${(report.durationMs / 1000).toFixed(1)} s; findings: ${counts.length > 0 ? counts.join(', ') : 'none'}${incomplete}.`
}

function changeLine(report: ScanReport): string {
  const changes = report.diff!.changes
  const byKind = new Map<string, number>()
  for (const c of changes) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1)
  const list = [...byKind].map(([kind, n]) => `${n} ${kind.replace(/-/g, ' ')}`).join(', ')
  return `Compared with ${mdCode(report.diff!.base)}: ${changes.length === 0 ? 'the lockfiles name the same packages' : list}. Only added and changed packages are scanned.`
}

function packageEvidence(pkg: PackageResult, findings: Finding[], root: string, report: ScanReport): string {
  const lines = [`#### ${mdCode(label(pkg))} — ${VERDICT[pkg.verdict]}`, '']
  const facts: string[] = []
  if (pkg.change) facts.push(changeCell(pkg.change))
  if (pkg.lockfileLine !== undefined) facts.push(`lockfile line ${pkg.lockfileLine}${report.diff ? ` of ${mdCode(display(report.diff.lockfile, root))}` : ''}`)
  if (pkg.path && pkg.path.length > 1) facts.push(`brought in by ${pkg.path.slice(0, -1).slice(0, 6).map((n) => mdCode(n, 80)).join(' → ')}`)
  if (pkg.dev) facts.push('dev dependency')
  if (facts.length > 0) lines.push(facts.join(' · '), '')
  for (const f of findings) {
    const where = f.file ? ` · ${mdCode(`${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}`)}` : ''
    const when = f.runs ? ` · runs ${mdText(describeTrigger(f.runs))}` : f.entryKind === 'install' ? ' · runs at install time' : ''
    lines.push(`- **${f.severity}** · ${mdCode(f.ruleId)}${where}${when}  `, `  ${mdText(f.message)}`)
    if (f.snippet) lines.push(mdBlock(f.snippet, '  '))
  }
  lines.push('')
  return lines.join('\n')
}

function tailSections(report: ScanReport): string {
  const out: string[] = []
  const missing = report.packages.filter((p) => p.status !== 'scanned')
  if (missing.length > 0) {
    out.push(`### Not scanned (${missing.length})`, '')
    for (const p of missing.slice(0, 50)) out.push(`- ${mdCode(label(p))}: ${mdText(p.error ?? p.status)}`)
    if (missing.length > 50) out.push(`- …and ${missing.length - 50} more`)
    out.push('')
  }
  const suppressed = report.packages.flatMap((p) => (p.suppressed ?? []).map((f) => ({ p, f })))
  if (suppressed.length > 0 || report.config) {
    const from = report.config ? ` by ${htmlText(report.config.path)} (read from ${htmlText(report.config.readFrom)})` : ''
    out.push(`<details><summary>${suppressed.length} suppressed findings${from}</summary>`, '')
    for (const { p, f } of suppressed.slice(0, 100)) out.push(`- ${mdCode(f.ruleId)} in ${mdCode(label(p))}: ${mdText(f.suppression.reason)}${f.suppression.expires ? ` (until ${mdText(f.suppression.expires)})` : ''}`)
    if (suppressed.length > 100) out.push(`- …and ${suppressed.length - 100} more`)
    if (suppressed.length === 0) out.push('None.')
    out.push('', '</details>', '')
  }
  if (report.warnings.length > 0) {
    out.push('### Warnings', '')
    for (const w of report.warnings.slice(0, 50)) out.push(`- ${mdText(w)}`)
    if (report.warnings.length > 50) out.push(`- …and ${report.warnings.length - 50} more`)
    out.push('')
  }
  out.push(`<sub>Tarsier ${mdText(report.tool.version)} reads package code and never runs it.</sub>`, '')
  return out.join('\n')
}

function label(pkg: PackageResult): string {
  if (pkg.source === 'root') return `${pkg.name || 'the project'} (this repository)`
  return `${pkg.name}@${pkg.version}`
}

function changeCell(change: DependencyChange): string {
  if (change.kind === 'version-changed' && change.previousVersions?.length) return `${CHANGE[change.kind]} from ${change.previousVersions.slice(0, 3).map((v) => mdCode(v, 40)).join(', ')}`
  return CHANGE[change.kind]
}

function verdictCell(pkg: PackageResult): string {
  if (pkg.status !== 'scanned') return `⚠️ not scanned`
  return VERDICT[pkg.verdict]
}

function countsOf(findings: readonly Finding[]): string {
  if (findings.length === 0) return '—'
  const counts = new Map<Severity, number>()
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1)
  return (['critical', 'high', 'medium', 'low', 'info'] as const).filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ')
}

function rank(p: PackageResult): number {
  return p.verdict === 'malicious' ? 0 : p.verdict === 'suspicious' ? 1 : p.status !== 'scanned' ? 2 : p.findings.length > 0 ? 3 : 4
}

function worst(p: PackageResult): number {
  return p.findings.reduce((m, f) => Math.max(m, severityRank(f.severity)), -1)
}

function display(path: string, root: string): string {
  if (!isAbsolute(path)) return path
  const rel = relative(root, path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}
