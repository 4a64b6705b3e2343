import type { Finding, PackageResult, ScanReport } from '../../../src/types.ts'

/** A package result as the pipeline makes them, for formatter tests. */
export function pkg(name: string, version: string, findings: Finding[], extra: Partial<PackageResult> = {}): PackageResult {
  const critical = findings.some((f) => f.severity === 'critical')
  return {
    name,
    version,
    location: `node_modules/${name}`,
    source: 'registry',
    resolved: `https://registry.example/${name}/-/${name}-${version}.tgz`,
    integrity: `sha512-${Buffer.from(`${name}@${version}`).toString('base64')}`,
    dev: false,
    optional: false,
    status: 'scanned',
    verdict: critical ? 'malicious' : findings.some((f) => f.severity === 'high') ? 'suspicious' : 'clean',
    findings,
    stats: { files: 3, jsFiles: 2, bytes: 1000 },
    ...extra,
  }
}

/** A diff report of `lockfile` (absolute) with the given packages; summary counted from them. */
export function diffReport(lockfile: string, packages: PackageResult[], extra: Partial<ScanReport> = {}): ScanReport {
  const findings = { info: 0, low: 0, medium: 0, high: 0, critical: 0 }
  for (const p of packages) for (const f of p.findings) findings[f.severity]++
  return {
    schemaVersion: 1,
    tool: { name: 'tarsier', version: '0.1.0' },
    target: lockfile,
    targetKind: 'lockfile',
    startedAt: '2026-12-07T03:00:00.000Z',
    durationMs: 1234,
    incomplete: packages.some((p) => p.status !== 'scanned'),
    summary: {
      packages: packages.length,
      scanned: packages.filter((p) => p.status === 'scanned').length,
      notScanned: packages.filter((p) => p.status !== 'scanned').length,
      malicious: packages.filter((p) => p.verdict === 'malicious').length,
      suspicious: packages.filter((p) => p.verdict === 'suspicious').length,
      findings,
    },
    warnings: [],
    packages,
    diff: {
      base: 'main (0123456789ab)',
      lockfile,
      changes: packages.filter((p) => p.change).map((p) => p.change!),
    },
    ...extra,
  }
}
