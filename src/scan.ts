import pLimit from 'p-limit'
import { rules as allRules } from '../rules/index.ts'
import { analyzePackage } from './analyze/engine.ts'
import { verdictOf } from './analyze/verdict.ts'
import { defaultCacheDir } from './fetch/cache-dir.ts'
import { fetchPackage } from './fetch/fetch-package.ts'
import type { ReadLimits } from './fetch/limits.ts'
import { loadRegistryConfig, type RegistryConfig } from './fetch/npm-config.ts'
import { resolveTarget } from './resolve/resolve-target.ts'
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
  onProgress?: (event: ProgressEvent) => void
}

export type ProgressEvent = { phase: 'resolve' } | { phase: 'scan'; done: number; total: number; current?: string }

/** resolve → fetch → analyze → report, for one target. */
export async function scan(options: ScanOptions): Promise<ScanReport> {
  const started = Date.now()
  const rules = options.rules ?? allRules
  options.onProgress?.({ phase: 'resolve' })
  const cacheDir = options.cacheDir ?? defaultCacheDir()
  const projectGuess = options.target
  let registryConfig: RegistryConfig = loadRegistryConfig(undefined)
  if (options.registry) registryConfig = { ...registryConfig, registry: options.registry.endsWith('/') ? options.registry : `${options.registry}/` }
  const npmOptions = { ...registryConfig, cache: `${cacheDir}/_cacache` }
  const resolved = await resolveTarget(projectGuess, { npmOptions, omit: options.omit ?? new Set() })
  if (resolved.projectDir) {
    registryConfig = { ...loadRegistryConfig(resolved.projectDir), ...(options.registry && { registry: registryConfig.registry! }) }
  }

  const limit = pLimit(options.concurrency ?? 8)
  let done = 0
  const total = resolved.packages.length
  const fetchOptions = { cacheDir, registryConfig, allowNonRegistry: options.allowNonRegistry ?? false, offline: options.offline ?? false, ...(options.limits && { limits: options.limits }) }
  const packages = await Promise.all(
    resolved.packages.map((ref) =>
      limit(async () => {
        const result = await scanPackage(ref, rules, fetchOptions)
        done++
        options.onProgress?.({ phase: 'scan', done, total, current: `${result.name}${result.version ? `@${result.version}` : ''}` })
        return result
      }),
    ),
  )
  return buildReport(resolved.target, resolved.kind, resolved.warnings, packages, started)
}

async function scanPackage(ref: PackageRef, rules: readonly Rule[], fetchOptions: Parameters<typeof fetchPackage>[1]): Promise<PackageResult> {
  const outcome = await fetchPackage(ref, fetchOptions)
  const base = {
    name: ref.name,
    version: ref.version,
    location: ref.location,
    source: ref.source,
    ...(ref.resolved && { resolved: ref.resolved }),
    ...(ref.integrity && { integrity: ref.integrity }),
    dev: ref.dev,
    optional: ref.optional,
  }
  if (!outcome.ok) {
    // Rules that judge the lockfile entry alone (source, integrity) still run without files.
    const analysis = analyzePackage({ ref, files: new Map(), fetchFailure: outcome }, rules)
    return {
      ...base,
      status: outcome.notFetched ? 'not-fetched' : 'failed',
      error: outcome.reason,
      verdict: verdictOf(analysis.findings),
      findings: sortFindings(analysis.findings),
      stats: { files: 0, jsFiles: 0, bytes: 0 },
    }
  }
  const { contents } = outcome
  const analysis = analyzePackage({ ref, files: contents.files, anomalies: contents.anomalies }, rules)
  const manifest = analysis.manifest
  // Root projects and local tarballs are named by their own package.json, for display only.
  if ((ref.source === 'root' || ref.source === 'file') && manifest) {
    if (typeof manifest.name === 'string') base.name = manifest.name
    if (typeof manifest.version === 'string') base.version = manifest.version
  }
  return {
    ...base,
    status: 'scanned',
    ...(analysis.errors.length > 0 && { error: analysis.errors.join('; ') }),
    verdict: verdictOf(analysis.findings),
    findings: sortFindings(analysis.findings),
    stats: { files: contents.files.size, jsFiles: analysis.jsFiles, bytes: contents.unpackedBytes },
  }
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0))
}

function buildReport(target: string, targetKind: ScanReport['targetKind'], warnings: string[], packages: PackageResult[], started: number): ScanReport {
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
