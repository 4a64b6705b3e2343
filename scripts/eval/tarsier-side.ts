import pacote from 'pacote'
import { join } from 'node:path'
import { loadRegistryConfig } from '../../src/fetch/npm-config.ts'
import { scan, scanRefs } from '../../src/scan.ts'
import type { Finding, PackageRef, PackageResult, Verdict } from '../../src/types.ts'
import type { MaliciousSample } from './corpus.ts'
import { extractToTemp } from './extract.ts'

/** What Tarsier said about one sample or package; `status: 'crashed'` when the scanner threw. */
export interface TarsierOutcome {
  verdict: Verdict
  status: PackageResult['status'] | 'crashed'
  /** Scanner error (crash, fetch failure) or analysis errors (files it could not parse). */
  error?: string
  findings: Finding[]
  stats?: PackageResult['stats']
  durationMs: number
  /** kind=repo samples: entries refused while extracting into the temporary directory. */
  extractionRefused?: string[]
}

/** A registry package resolved to its current `latest` version. */
export interface ResolvedLatest {
  name: string
  version: string
  integrity?: string
  resolved?: string
}

export function npmOptions(cacheDir: string): Record<string, unknown> {
  return { ...loadRegistryConfig(undefined), cache: join(cacheDir, '_cacache') }
}

/**
 * Scans one malicious sample the way a victim meets it: a package or payload tarball as a `.tgz`
 * target, a fake interview repository as a project directory (extracted into a temporary
 * directory, scanned with `rootOnly` so its own code and scripts are read, then deleted).
 */
export async function scanSample(sample: MaliciousSample, cacheDir: string): Promise<TarsierOutcome> {
  const started = Date.now()
  let extraction: Awaited<ReturnType<typeof extractToTemp>> | undefined
  try {
    let target = sample.path
    if (sample.kind === 'repo') {
      extraction = await extractToTemp(sample.path)
      target = extraction.dir
    }
    const report = await scan({ target, cacheDir, rootOnly: sample.kind === 'repo', concurrency: 1 })
    const outcome = combine(report.packages, started)
    if (extraction && extraction.refused.length > 0) outcome.extractionRefused = extraction.refused
    return outcome
  } catch (error) {
    return crashed(error, started)
  } finally {
    await extraction?.remove()
  }
}

/** Resolves `name@latest` through pacote with the scanner's cache and the npm configuration's registry. */
export async function resolveLatest(name: string, cacheDir: string): Promise<ResolvedLatest> {
  const manifest = await pacote.manifest(`${name}@latest`, { ...npmOptions(cacheDir), fullMetadata: false })
  return { name: manifest.name, version: manifest.version, ...(manifest._integrity && { integrity: manifest._integrity }), ...(manifest._resolved && { resolved: manifest._resolved }) }
}

export function registryRef(pkg: ResolvedLatest): PackageRef {
  return {
    name: pkg.name,
    version: pkg.version,
    spec: `${pkg.name}@${pkg.version}`,
    source: 'registry',
    location: pkg.name,
    dev: false,
    optional: false,
    ...(pkg.integrity && { integrity: pkg.integrity }),
    ...(pkg.resolved && { resolved: pkg.resolved }),
  }
}

/** Scans one resolved registry package through the scanner's own fetch path (scanRefs). */
export async function scanRegistryPackage(pkg: ResolvedLatest, cacheDir: string): Promise<TarsierOutcome> {
  const started = Date.now()
  try {
    const results = await scanRefs([registryRef(pkg)], { cacheDir, concurrency: 1 })
    return combine(results, started)
  } catch (error) {
    return crashed(error, started)
  }
}

const VERDICT_RANK: Record<Verdict, number> = { clean: 0, suspicious: 1, malicious: 2 }

/** One outcome from the scanned package(s): the worst verdict, all findings, every error. */
function combine(packages: readonly PackageResult[], started: number): TarsierOutcome {
  if (packages.length === 0) return { verdict: 'clean', status: 'failed', error: 'the scanner returned no package', findings: [], durationMs: Date.now() - started }
  const worst = packages.reduce((a, b) => (VERDICT_RANK[b.verdict] > VERDICT_RANK[a.verdict] ? b : a))
  const errors = packages.filter((p) => p.error).map((p) => p.error!)
  const status = packages.find((p) => p.status !== 'scanned')?.status ?? 'scanned'
  return {
    verdict: worst.verdict,
    status,
    ...(errors.length > 0 && { error: errors.join('; ') }),
    findings: packages.flatMap((p) => p.findings),
    stats: packages.reduce((s, p) => ({ files: s.files + p.stats.files, jsFiles: s.jsFiles + p.stats.jsFiles, bytes: s.bytes + p.stats.bytes }), { files: 0, jsFiles: 0, bytes: 0 }),
    durationMs: Date.now() - started,
  }
}

function crashed(error: unknown, started: number): TarsierOutcome {
  const e = error as Error
  const where = e?.stack?.split('\n').slice(1, 4).map((l) => l.trim()).join(' | ')
  return { verdict: 'clean', status: 'crashed', error: `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${where ? ` (${where})` : ''}`, findings: [], durationMs: Date.now() - started }
}
