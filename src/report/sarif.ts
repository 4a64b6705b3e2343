import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, parse as parsePath, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describeTrigger } from '../analyze/project/triggers.ts'
import { findLockfiles } from '../resolve/resolve-target.ts'
import type { Finding, PackageResult, ScanReport, Severity } from '../types.ts'
import { ruleCatalog, type CatalogRule } from './rule-catalog.ts'

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
/** GitHub code scanning keeps at most this many results of a run. */
const MAX_RESULTS = 25_000
const SNIPPET_CHARS = 200
const SRCROOT = '%SRCROOT%'

/** GitHub maps a rule's security-severity to its own levels: > 9 critical, 7–8.9 high, 4–6.9 medium, below low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' }
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }

export interface SarifOptions {
  /** Directory that result paths are relative to (default: the git work tree around the target). */
  repoRoot?: string
  /** Base URL of the rule doc pages, e.g. `https://github.com/o/tarsier/blob/v1/`; without it rules get no helpUri. */
  docsBaseUrl?: string
}

/**
 * SARIF 2.1.0 for code scanning. Every rule is in `tool.driver.rules`. A dependency's finding is
 * located at the lockfile line that brings the package in (GitHub shows alerts only on files of the
 * repository, and only the first location), with the file and line inside the package as a related
 * location and in the message; a finding in the project's own code is located in that file.
 * Fingerprints hash the rule, package, version, file and normalised evidence, never line numbers,
 * so an alert stays one alert across runs. Suppressed findings are left out: code scanning would
 * open them as alerts.
 */
export function formatSarif(report: ScanReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(report, options), null, 2)}\n`
}

export function buildSarif(report: ScanReport, options: SarifOptions = {}): object {
  const catalog = effectiveCatalog(report)
  const index = new Map(catalog.map((rule, i) => [rule.id, i]))
  const anchor = anchorFileOf(report)
  const root = resolve(options.repoRoot ?? repoRootOf(anchor ?? (isAbsolute(report.target) ? report.target : process.cwd())))
  const seen = new Map<string, number>()
  const results: object[] = []
  let omitted = 0
  for (const pkg of report.packages) {
    for (const finding of pkg.findings) {
      if (!index.has(finding.ruleId)) {
        index.set(finding.ruleId, catalog.length)
        catalog.push({ id: finding.ruleId, severity: finding.severity, description: finding.ruleId, docs: '', kind: 'package' })
      }
      if (results.length >= MAX_RESULTS) {
        omitted++
        continue
      }
      results.push(resultOf(pkg, finding, { ruleIndex: index.get(finding.ruleId)!, root, anchor, projectDir: projectDirOf(report), seen }))
    }
  }

  const notifications = [
    ...report.packages.filter((p) => p.status !== 'scanned').map((p) => notification('error', `${p.name}@${p.version} was not scanned: ${p.error ?? p.status}`)),
    ...report.warnings.map((w) => notification('warning', w)),
    ...(omitted > 0 ? [notification('warning', `${omitted} results left out: code scanning keeps ${MAX_RESULTS} per run`)] : []),
  ]
  const suppressed = report.packages.reduce((n, p) => n + (p.suppressed?.length ?? 0), 0)
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Tarsier',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.docsBaseUrl && { informationUri: options.docsBaseUrl.replace(/\/blob\/[^/]+\/?$/, '') }),
            rules: catalog.map((rule) => ruleDescriptor(rule, report.config?.rules[rule.id], options.docsBaseUrl)),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(root) } },
        invocations: [
          {
            executionSuccessful: !report.incomplete,
            startTimeUtc: report.startedAt,
            ...(notifications.length > 0 && { toolExecutionNotifications: notifications }),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          target: report.target,
          targetKind: report.targetKind,
          ...(report.diff && { diffBase: report.diff.base }),
          summary: report.summary,
          ...(report.config && { configuration: report.config }),
          suppressedFindings: suppressed,
        },
      },
    ],
  }
}

/** The rule catalog with the configuration's severities and switches applied. */
function effectiveCatalog(report: ScanReport): CatalogRule[] {
  const settings = report.config?.rules ?? {}
  return ruleCatalog().map((rule) => {
    const setting = settings[rule.id]
    return setting && setting !== 'off' ? { ...rule, severity: setting } : rule
  })
}

function ruleDescriptor(rule: CatalogRule, setting: string | undefined, docsBaseUrl: string | undefined): object {
  const helpUri = docsBaseUrl && rule.docs ? new URL(rule.docs, docsBaseUrl.endsWith('/') ? docsBaseUrl : `${docsBaseUrl}/`).href : undefined
  const where = helpUri ?? (rule.docs || undefined)
  return {
    id: rule.id,
    name: rule.id.replace(/(?:^|-)([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    ...(helpUri && { helpUri }),
    help: {
      text: `${rule.description}.${where ? ` Documentation: ${where}` : ''}`,
      markdown: `${rule.description}.${helpUri ? `\n\n[Documentation](${helpUri})` : where ? `\n\nDocumentation: \`${where}\`` : ''}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity], enabled: setting !== 'off' },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      tags: ['security', 'supply-chain', 'npm', rule.kind === 'tree' ? 'lockfile' : 'package-code'],
      precision: 'high',
      severity: rule.severity,
    },
  }
}

interface ResultContext {
  ruleIndex: number
  root: string
  /** The lockfile (or manifest, or tarball) that the tree was read from, when there is one. */
  anchor: string | undefined
  projectDir: string | undefined
  /** Fingerprints given so far, to number identical ones. */
  seen: Map<string, number>
}

function resultOf(pkg: PackageResult, finding: Finding, context: ResultContext): object {
  const id = pkg.source === 'root' ? 'the project' : `${pkg.name}@${pkg.version}`
  const inPackage = finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}${finding.column ? `:${finding.column}` : ''}` : undefined
  const snippet = finding.snippet ? truncate(finding.snippet.replace(/\s+/g, ' ').trim(), SNIPPET_CHARS) : undefined
  const change = pkg.change ? ` (${pkg.change.kind})` : ''
  const text =
    pkg.source === 'root'
      ? `${finding.message}${finding.runs ? ` (runs ${describeTrigger(finding.runs)})` : ''}`
      : `${id}${change}: ${finding.message}${inPackage ? ` [in the package: ${inPackage}${finding.entryKind === 'install' ? ', runs at install time' : ''}]` : ''}${snippet ? ` Evidence: ${snippet}` : ''}`

  const fingerprint = fingerprintOf(pkg, finding)
  const ordinal = (context.seen.get(fingerprint) ?? 0) + 1
  context.seen.set(fingerprint, ordinal)
  const hash = `${fingerprint}:${ordinal}`

  const related = pkg.source !== 'root' && finding.file ? [relatedLocation(pkg, finding, id, context)] : []
  return {
    ruleId: finding.ruleId,
    ruleIndex: context.ruleIndex,
    level: LEVEL[finding.severity],
    message: { text },
    locations: [primaryLocation(pkg, finding, id, context)],
    ...(related.length > 0 && { relatedLocations: related }),
    partialFingerprints: { primaryLocationLineHash: hash, 'tarsierFinding/v1': hash },
    properties: {
      severity: finding.severity,
      package: pkg.name,
      version: pkg.version,
      verdict: pkg.verdict,
      ...(pkg.change && { change: pkg.change.kind }),
      ...(pkg.path && { dependencyPath: pkg.path }),
      ...(finding.file && { file: finding.file }),
      ...(finding.entryKind && { entryKind: finding.entryKind }),
      ...(finding.runs && { runs: finding.runs }),
    },
  }
}

/** The project's own file for root findings; else the lockfile line of the package's entry. */
function primaryLocation(pkg: PackageResult, finding: Finding, id: string, context: ResultContext): object {
  if (pkg.source === 'root' && finding.file && context.projectDir) {
    return {
      physicalLocation: { artifactLocation: artifactOf(join(context.projectDir, finding.file), context.root), ...(regionOf(finding) && { region: regionOf(finding) }) },
      message: { text: `${finding.file} of the project` },
    }
  }
  // Tree rules report the lockfile line of an entry as the finding's line, without a file.
  const line = positive(pkg.lockfileLine) ?? (finding.file === undefined ? positive(finding.line) : undefined) ?? 1
  if (context.anchor) {
    return {
      physicalLocation: { artifactLocation: artifactOf(context.anchor, context.root), region: { startLine: line } },
      message: { text: `the lockfile entry of ${id}` },
      logicalLocations: [{ fullyQualifiedName: id, kind: 'module' }],
    }
  }
  // A registry spec: nothing of the repository names the package; point into the package itself.
  return {
    physicalLocation: { artifactLocation: { uri: packageUri(pkg, finding.file ?? 'package.json'), uriBaseId: SRCROOT }, ...(regionOf(finding) && { region: regionOf(finding) }) },
    logicalLocations: [{ fullyQualifiedName: id, kind: 'module' }],
  }
}

/** Where the evidence is inside the package: the path npm would install the file at. */
function relatedLocation(pkg: PackageResult, finding: Finding, id: string, context: ResultContext): object {
  const projectPrefix = context.projectDir ? relativeUri(context.projectDir, context.root) : ''
  const uri = `${projectPrefix && projectPrefix !== '.' ? `${projectPrefix}/` : ''}${packageUri(pkg, finding.file!)}`
  const region = regionOf(finding)
  return {
    id: 1,
    physicalLocation: { artifactLocation: { uri, uriBaseId: SRCROOT }, ...(region && { region }) },
    message: { text: `${finding.file}${finding.line ? `:${finding.line}` : ''} inside ${id} (not a file of the repository)` },
  }
}

function regionOf(finding: Finding): object | undefined {
  const startLine = positive(finding.line)
  if (startLine === undefined) return undefined
  const startColumn = positive(finding.column)
  return { startLine, ...(startColumn && { startColumn }), ...(finding.snippet && { snippet: { text: truncate(finding.snippet, SNIPPET_CHARS) } }) }
}

/** `node_modules/<name>/<file>` (the package's lockfile location when it has one), percent-encoded. */
function packageUri(pkg: PackageResult, file: string): string {
  const base = pkg.location && pkg.location.startsWith('node_modules/') ? pkg.location : `node_modules/${pkg.name}`
  return `${base}/${file}`.split('/').map(encodeSegment).join('/')
}

function encodeSegment(segment: string): string {
  // `.` and `..` segments of a hostile path must not climb out of the package.
  if (segment === '.' || segment === '..') return segment.replace(/\./g, '%2E')
  return encodeURIComponent(segment).replace(/%40/g, '@')
}

function artifactOf(file: string, root: string): { uri: string; uriBaseId?: string } {
  const uri = relativeUri(file, root)
  return uri.startsWith('../') ? { uri: pathToFileURL(file).href } : { uri, uriBaseId: SRCROOT }
}

function relativeUri(file: string, root: string): string {
  const rel = relative(root, file)
  if (rel === '') return '.'
  return rel.split(sep).map((s) => (s === '..' ? s : encodeSegment(s))).join('/')
}

/** Hash of what identifies a finding whatever moves around it: rule, package, version, file, evidence. */
function fingerprintOf(pkg: PackageResult, finding: Finding): string {
  const evidence = (finding.snippet ?? finding.message.replace(/\d+/g, '#')).replace(/\s+/g, ' ').trim()
  const parts = [finding.ruleId, pkg.source === 'root' ? '(project)' : pkg.name, pkg.source === 'root' ? '' : pkg.version, finding.file ?? '', evidence]
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)
}

/** The file the tree was read from, if it is a file on disk. */
export function anchorFileOf(report: ScanReport): string | undefined {
  if (report.diff) return report.diff.lockfile
  const target = isAbsolute(report.target) ? report.target : undefined
  if (!target || !existsSync(target)) return undefined
  const isDir = statSync(target).isDirectory()
  switch (report.targetKind) {
    case 'lockfile':
      return isDir ? findLockfiles(target)[0] : target
    case 'package.json':
    case 'node_modules':
      return isDir ? join(target, 'package.json') : target
    case 'tarball':
      return target
    default:
      return undefined
  }
}

export function projectDirOf(report: ScanReport): string | undefined {
  const anchor = anchorFileOf(report)
  if (anchor && report.targetKind !== 'tarball') return dirname(anchor)
  if (isAbsolute(report.target) && existsSync(report.target) && statSync(report.target).isDirectory()) return report.target
  return undefined
}

/** The nearest directory above `path` holding `.git` (a work tree), else the path's own directory. */
export function repoRootOf(path: string): string {
  const start = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path)
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir
    if (dir === parsePath(dir).root) return resolve(start)
  }
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href
  return href.endsWith('/') ? href : `${href}/`
}

function notification(level: 'error' | 'warning', text: string): object {
  return { level, message: { text } }
}

function positive(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
