import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import pLimit from 'p-limit'
import { treeRules } from '../rules/tree/index.ts'
import { correlatePackages } from './analyze/correlate.ts'
import { applyConfig } from './config/apply-config.ts'
import { configForScan } from './config/find-config.ts'
import { runTreeRules } from './analyze/tree-rule.ts'
import type { AnalysisPool, Budget } from './analyze/worker/pool.ts'
import type { AnalysisOutcome } from './analyze/worker/task.ts'
import { verdictOf } from './analyze/verdict.ts'
import { defaultCacheDir } from './fetch/cache-dir.ts'
import { largestCachedFirst } from './fetch/cached-sizes.ts'
import type { FetchOptions, FetchOutcome } from './fetch/fetch-package.ts'
import type { PackageSourceData } from './fetch/package-source.ts'
import type { ReadLimits } from './fetch/limits.ts'
import type { TarballContents } from './fetch/tarball-reader.ts'
import { authFailureReason, loadRegistryConfig, networkSettings, pacoteNetworkOptions, registryOf, type NetworkSettings, type RegistryConfig } from './fetch/npm-config.ts'
import { projectRootRef, resolveTarget, type ResolvedTarget } from './resolve/resolve-target.ts'
import { isReusable, ResultCache } from './result-cache.ts'
import { TOOL_VERSION } from './version.ts'
import { SEVERITIES, type Finding, type PackageRef, type PackageResult, type Rule, type ScanReport, type Severity } from './types.ts'

export interface ScanOptions {
  target: string
  cacheDir?: string
  /** Overrides the registry of the npm configuration. */
  registry?: string
  omit?: ReadonlySet<'dev' | 'optional'>
  allowNonRegistry?: boolean
  offline?: boolean
  concurrency?: number
  limits?: ReadLimits
  rules?: readonly Rule[]
  /** Scan only the project's own files (a directory target), not its dependency tree. */
  rootOnly?: boolean
  /** Worker threads for analysis (default: the number of cores, at most 8). */
  threads?: number
  /** Time and memory per file and per worker. */
  budget?: Partial<Budget>
  /** Retries and timeout of registry requests, over npm's `fetch-*` settings and the defaults. */
  network?: Partial<NetworkSettings>
  /** Reuse analysis results of unchanged registry packages (default true). */
  resultCache?: boolean
  /**
   * Apply a configuration file (rules, suppressions): `explicit`, else `tarsier.config.json` of the
   * project. Without this option none is read.
   */
  config?: { explicit?: string }
  onProgress?: (event: ProgressEvent) => void
}

/** Options for scanning packages that are already resolved. */
export type ScanRefsOptions = Omit<ScanOptions, 'target' | 'omit' | 'rootOnly'> & { projectDir?: string }

export type ProgressEvent = { phase: 'resolve' } | { phase: 'scan'; done: number; total: number; current?: string }

/** resolve → fetch → analyze → report, for one target. */
export async function scan(options: ScanOptions): Promise<ScanReport> {
  const started = Date.now()
  options.onProgress?.({ phase: 'resolve' })
  const analysis = analysisOf(options)
  const results = resultCacheOf(options)
  try {
    // A project's own files need no resolution: their scan starts now, so that its worker
    // thread (when their result is not cached) loads the rules while arborist loads and reads the lockfile.
    const root = projectRootRef(options.target)
    const early = root && { ref: root, result: scanPackage(root, analysis.analyze, fetchOptionsOf(options, root.directory), results) }
    const resolved = await resolveScanTarget(options.target, options)
    const loaded = options.config ? await configForScan(options.target, options.config.explicit) : undefined
    const packages = await scanWith(analysis, resolved.packages, { ...options, ...(resolved.projectDir && { projectDir: resolved.projectDir }) }, results, early)
    judgeTree(packages, resolved, options)
    const applied = loaded ? applyConfig(packages, loaded, { scope: 'scan' }) : undefined
    const report = buildReport(resolved.target, resolved.kind, [...resolved.warnings, ...(applied?.warnings ?? [])], packages, started)
    if (applied) report.config = applied.report
    return report
  } finally {
    await analysis.close()
  }
}

/** The packages of a target, resolved with the user's registry configuration. */
export async function resolveScanTarget(target: string, options: Omit<ScanOptions, 'target'>): Promise<ResolvedTarget> {
  const cacheDir = options.cacheDir ?? defaultCacheDir()
  const registryConfig = registryConfigFor(undefined, options.registry)
  const npmOptions = { ...registryConfig, ...pacoteNetworkOptions(networkSettings(registryConfig, options.network)), cache: join(cacheDir, '_cacache') }
  return resolveTarget(target, { npmOptions, omit: options.omit ?? new Set(), rootOnly: options.rootOnly ?? false }).catch((error: unknown) => {
    throw explainResolveError(error, registryConfig)
  })
}

/** Checks across the packages of one tree, after each was analysed on its own. */
export function judgeTree(packages: PackageResult[], resolved: Pick<ResolvedTarget, 'projectDir' | 'kind'>, options: Pick<ScanOptions, 'registry'>): void {
  // Hand-offs between packages of the same tree (one stages a file, another reads and runs it).
  correlatePackages(packages)
  runTreeRules(treeRules, packages, registryConfigFor(resolved.projectDir, options.registry), resolved.kind)
}

/** fetch → analyze for packages already resolved, at most `concurrency` fetches at once. */
export async function scanRefs(refs: readonly PackageRef[], options: ScanRefsOptions = {}): Promise<PackageResult[]> {
  const analysis = analysisOf(options)
  try {
    return await scanWith(analysis, refs, options, resultCacheOf(options))
  } finally {
    await analysis.close()
  }
}

/** Analysis results are reused unless turned off, or unless the caller brings its own rules. */
function resultCacheOf(options: ScanRefsOptions): ResultCache | undefined {
  return options.resultCache === false || options.rules ? undefined : new ResultCache(options.cacheDir ?? defaultCacheDir())
}

/** scanRefs with the given analysis; `early` is a package of `refs` whose scan has already started. */
async function scanWith(
  analysis: Analysis,
  refs: readonly PackageRef[],
  options: ScanRefsOptions,
  results: ResultCache | undefined,
  early?: { ref: PackageRef; result: Promise<PackageResult> },
): Promise<PackageResult[]> {
  const limit = pLimit(options.concurrency ?? 8)
  const fetchOptions = fetchOptionsOf(options, options.projectDir)
  let done = 0
  const scanned = new Array<PackageResult>(refs.length)
  const finish = (index: number, result: PackageResult) => {
    done++
    options.onProgress?.({ phase: 'scan', done, total: refs.length, current: `${result.name}${result.version ? `@${result.version}` : ''}` })
    scanned[index] = result
  }
  const cached = results ? await results.getAll(refs) : []
  const uncached: number[] = []
  refs.forEach((ref, index) => {
    const outcome = cached[index]
    if (outcome) finish(index, scannedResult(baseOf(ref), outcome))
    else uncached.push(index)
  })
  const pending = (await largestCachedFirst(uncached.map((index) => refs[index]!), fetchOptions.cacheDir)).map((k) => uncached[k]!)
  await Promise.all(
    pending.map((index) =>
      limit(async () => {
        const ref = refs[index]!
        const started = early && ref.source === early.ref.source && isDeepStrictEqual(ref, early.ref) ? early.result : undefined
        finish(index, await (started ?? scanPackage(ref, analysis.analyze, fetchOptions, results)))
      }),
    ),
  )
  await results?.saveTree()
  return scanned
}

function fetchOptionsOf(options: ScanRefsOptions, projectDir: string | undefined): FetchOptions {
  const registryConfig = registryConfigFor(projectDir, options.registry)
  return {
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    registryConfig,
    allowNonRegistry: options.allowNonRegistry ?? false,
    offline: options.offline ?? false,
    network: networkSettings(registryConfig, options.network),
    ...(options.limits && { limits: options.limits }),
  }
}

/** A registry that refuses the resolution: say which registry and which `.npmrc` key to set. */
function explainResolveError(error: unknown, config: RegistryConfig): unknown {
  const e = error as Error & { code?: string; statusCode?: number; pkgid?: string; uri?: string }
  if (e?.code !== 'E401' && e?.code !== 'E403') return error
  const at = e.pkgid ? e.pkgid.lastIndexOf('@') : -1
  const name = e.pkgid ? (at > 0 ? e.pkgid.slice(0, at) : e.pkgid) : ''
  const registry = name ? registryOf(name, config) : (config.registry ?? '')
  const explained = new Error(authFailureReason(registry, e.pkgid ? `the package document of ${name}` : 'the request', config, e.statusCode ?? Number(e.code.slice(1))))
  return Object.assign(explained, { code: e.code })
}

function registryConfigFor(projectDir: string | undefined, registry: string | undefined): RegistryConfig {
  const config = loadRegistryConfig(projectDir)
  if (registry) config.registry = registry.endsWith('/') ? registry : `${registry}/`
  return config
}

function baseOf(ref: PackageRef): Omit<PackageResult, 'status' | 'verdict' | 'findings' | 'stats'> {
  return {
    name: ref.name,
    version: ref.version,
    location: ref.location,
    source: ref.source,
    ...(ref.resolved && { resolved: ref.resolved }),
    ...(ref.integrity && { integrity: ref.integrity }),
    dev: ref.dev,
    optional: ref.optional,
    ...(ref.lockfileLine !== undefined && { lockfileLine: ref.lockfileLine }),
    ...(ref.path && { path: ref.path }),
  }
}

/** fetch → analyze for one package whose result was not found in the result cache by getAll. */
async function scanPackage(ref: PackageRef, analyzer: Analyzer, fetchOptions: FetchOptions, results: ResultCache | undefined): Promise<PackageResult> {
  const base = baseOf(ref)
  const [{ fetchPackage }, { isUnreadableCachedTarball }] = await Promise.all([import('./fetch/fetch-package.ts'), import('./fetch/cached-tarball.ts')])
  let outcome = await fetchPackage(ref, fetchOptions)
  // Rules that judge the lockfile entry alone (source, integrity) still run when nothing was fetched.
  const sourceOf = (fetched: FetchOutcome): PackageSourceData => (fetched.ok ? fetched.source : { kind: 'none', fetchFailure: fetched })
  let source = sourceOf(outcome)
  const projectFiles = results && ref.source === 'root' && source.kind === 'directory' ? await readProjectFiles(ref, source, fetchOptions.limits, results) : undefined
  if (projectFiles?.cached) return scannedResult(base, projectFiles.cached)
  if (projectFiles) source = projectFiles.source
  let analysis: AnalysisOutcome
  try {
    analysis = await analyzer(ref, source, fetchOptions.limits).catch(async (error: unknown) => {
      if (!isUnreadableCachedTarball(error)) throw error
      // The cache entry went missing or bad after it was found: fetched again through pacote,
      // which replaces a corrupt entry, as if it had not been cached.
      outcome = await fetchPackage(ref, { ...fetchOptions, fromCache: false })
      return analyzer(ref, sourceOf(outcome), fetchOptions.limits)
    })
  } catch (error) {
    return { ...base, status: 'failed', error: error instanceof Error ? error.message : String(error), verdict: 'clean', findings: [], stats: { files: 0, jsFiles: 0, bytes: 0 } }
  }
  if (!outcome.ok) {
    return {
      ...base,
      status: outcome.notFetched ? 'not-fetched' : 'failed',
      error: outcome.reason,
      verdict: verdictOf(analysis.findings),
      findings: sortFindings(analysis.findings),
      stats: { files: 0, jsFiles: 0, bytes: 0 },
    }
  }
  if (isReusable(analysis)) {
    if (projectFiles) await results?.putRoot(projectFiles.key, analysis)
    // A verification failure belongs to this download, not to the tarball: such results are not reused.
    else if (!(outcome.source.kind === 'tarball-bytes' && outcome.source.fetchFailure)) await results?.put(ref, analysis)
  }
  return scannedResult(base, analysis)
}

/** Above this many bytes read, the project's own files are left to the worker to read, and their result is not cached. */
const PROJECT_FILES_CACHED_MAX_BYTES = 64 * 1024 * 1024

/**
 * The project's own files, read in this thread: the hash of what was read finds the result of the
 * same files under the same rules (any changed byte is a miss), and on a miss the analysis is
 * given the very files hashed, not a second read of the directory.
 */
async function readProjectFiles(
  ref: PackageRef,
  source: Extract<PackageSourceData, { kind: 'directory' }>,
  limits: ReadLimits | undefined,
  results: ResultCache,
): Promise<{ key: string; source: PackageSourceData; cached?: AnalysisOutcome } | undefined> {
  const { readDirectory } = await import('./fetch/directory-reader.ts')
  let contents: TarballContents
  try {
    contents = await readDirectory(source.path, limits, { gitHooks: source.gitHooks ?? false })
  } catch {
    // A file gone between listing and reading, say: the worker reads the directory and reports it.
    return undefined
  }
  let kept = 0
  for (const file of contents.files.values()) kept += file.content?.byteLength ?? 0
  if (kept > PROJECT_FILES_CACHED_MAX_BYTES) return undefined
  const key = ResultCache.rootKeyOf(ref, contents, limits)
  const cached = await results.getRoot(key)
  return { key, source: { kind: 'read', contents }, ...(cached && { cached }) }
}

function scannedResult(base: Omit<PackageResult, 'status' | 'verdict' | 'findings' | 'stats'>, analysis: AnalysisOutcome): PackageResult {
  // Root projects and local tarballs are named by their own package.json, for display only.
  if (base.source === 'root' || base.source === 'file') {
    if (analysis.manifest?.name) base.name = analysis.manifest.name
    if (analysis.manifest?.version) base.version = analysis.manifest.version
  }
  return {
    ...base,
    status: 'scanned',
    ...(analysis.errors.length > 0 && { error: analysis.errors.join('; ') }),
    verdict: verdictOf(analysis.findings),
    findings: sortFindings(analysis.findings),
    stats: { files: analysis.files, jsFiles: analysis.jsFiles, bytes: analysis.bytes },
  }
}

type Analyzer = (ref: PackageRef, source: PackageSourceData, limits?: ReadLimits) => Promise<AnalysisOutcome>

interface Analysis {
  analyze: Analyzer
  close(): Promise<void>
}

function analysisOf(options: ScanRefsOptions): Analysis {
  return options.rules ? { analyze: inProcessAnalyzer(options.rules), close: async () => {} } : lazyPool(options)
}

/**
 * The worker pool, started (and its module imported) when the first package needs analysis: a
 * scan whose results all come from the result cache starts no thread. Once closed it starts none,
 * for an analysis begun before the scan failed (see scan).
 */
function lazyPool(options: Pick<ScanRefsOptions, 'threads' | 'budget'>): Analysis {
  let pool: Promise<AnalysisPool> | undefined
  let closed = false
  return {
    analyze: async (ref, source, limits) => {
      if (closed) throw new Error('the scan stopped before this package was analysed')
      pool ??= import('./analyze/worker/pool.ts').then(
        ({ AnalysisPool }) => new AnalysisPool({ ...(options.threads && { threads: options.threads }), ...(options.budget && { budget: options.budget }) }),
      )
      return (await pool).analyze(ref, source, limits)
    },
    close: async () => {
      closed = true
      await (await pool)?.close()
    },
  }
}

/** Analysis in this thread, for callers that pass their own rules (functions cannot go to a worker). */
function inProcessAnalyzer(rules: readonly Rule[]): Analyzer {
  return async (ref, source, limits) => {
    const [{ readPackageSource }, { analyzePackage }] = await Promise.all([import('./fetch/package-source.ts'), import('./analyze/engine.ts')])
    const contents = await readPackageSource(source, limits)
    const analysis = analyzePackage(
      { ref, files: contents?.files ?? new Map(), ...(contents && { anomalies: contents.anomalies }), ...((source.kind === 'none' || source.kind === 'tarball-bytes') && source.fetchFailure && { fetchFailure: source.fetchFailure }) },
      rules,
    )
    const name = analysis.manifest?.name
    const version = analysis.manifest?.version
    return {
      findings: analysis.findings,
      errors: analysis.errors,
      jsFiles: analysis.jsFiles,
      files: contents?.files.size ?? 0,
      bytes: contents?.unpackedBytes ?? 0,
      manifest: { ...(typeof name === 'string' && { name }), ...(typeof version === 'string' && { version }) },
    }
  }
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0))
}

export function buildReport(target: string, targetKind: ScanReport['targetKind'], warnings: string[], packages: PackageResult[], started: number): ScanReport {
  const findings = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  for (const p of packages) for (const f of p.findings) findings[f.severity]++
  const notScanned = packages.filter((p) => p.status !== 'scanned').length
  return {
    schemaVersion: 1,
    tool: { name: 'tarsier', version: TOOL_VERSION },
    target,
    targetKind,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    incomplete: notScanned > 0,
    summary: {
      packages: packages.length,
      scanned: packages.length - notScanned,
      notScanned,
      malicious: packages.filter((p) => p.verdict === 'malicious').length,
      suspicious: packages.filter((p) => p.verdict === 'suspicious').length,
      findings,
    },
    warnings,
    packages: packages.sort((a, b) => a.location.localeCompare(b.location) || a.name.localeCompare(b.name)),
  }
}
