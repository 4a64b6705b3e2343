import { verdictOf } from '../analyze/verdict.ts'
import type { PackageResult, ReportConfig, SuppressedFinding } from '../types.ts'
import type { LoadedConfig, Suppression } from './config.ts'

export interface AppliedConfig {
  /** Expired and unused suppressions, for the report's warnings. */
  warnings: string[]
  report: ReportConfig
}

export interface ApplyOptions {
  /**
   * `diff` scans only added and changed packages, so a suppression of a package that was not
   * scanned is not unused; `scan` sees the whole tree, so it is.
   */
  scope: 'scan' | 'diff'
  /** Today, for expiry (default: now). */
  now?: Date
}

/**
 * Applies a configuration to scanned packages, in place: findings of rules switched off are
 * dropped, overridden rules get their configured severity, and findings that a live suppression
 * covers move to `suppressed` with its reason. Verdicts are recomputed from what remains.
 */
export function applyConfig(packages: PackageResult[], loaded: LoadedConfig, options: ApplyOptions): AppliedConfig {
  const rules = loaded.config.rules ?? {}
  const suppressions = loaded.config.suppressions ?? []
  const today = (options.now ?? new Date()).toISOString().slice(0, 10)
  const expired = new Set(suppressions.filter((s) => s.expires !== undefined && s.expires < today))
  const used = new Set<Suppression>()

  for (const pkg of packages) {
    const kept = []
    const suppressed: SuppressedFinding[] = pkg.suppressed ?? []
    for (const finding of pkg.findings) {
      const setting = rules[finding.ruleId]
      if (setting === 'off') continue
      if (setting !== undefined) finding.severity = setting
      const covering = suppressions.filter((s) => covers(s, pkg, finding.ruleId))
      const live = covering.find((s) => !expired.has(s))
      for (const s of covering) used.add(s)
      if (live) suppressed.push({ ...finding, suppression: { reason: live.reason, ...(live.expires !== undefined && { expires: live.expires }) } })
      else kept.push(finding)
    }
    pkg.findings = kept
    if (suppressed.length > 0) pkg.suppressed = suppressed
    pkg.verdict = verdictOf(kept)
  }

  const scanned = new Set(packages.map((p) => `${p.name}@${p.version}`))
  const warnings: string[] = []
  let unused = 0
  for (const s of suppressions) {
    const what = `suppression of ${s.rule} for ${s.package}@${s.version}${s.integrity ? ` (${s.integrity.slice(0, 18)}…)` : ''} in ${loaded.path}`
    if (expired.has(s)) {
      warnings.push(`${what} expired on ${s.expires}${used.has(s) ? ': its findings are reported again' : ''}`)
    } else if (!used.has(s) && (options.scope === 'scan' || scanned.has(`${s.package}@${s.version}`))) {
      unused++
      warnings.push(`${what} matched no finding: remove it, or check the rule, name and version`)
    }
  }
  const applied = suppressions.filter((s) => used.has(s) && !expired.has(s)).length
  return {
    warnings,
    report: { path: loaded.path, readFrom: loaded.readFrom, rules: { ...rules }, suppressions: { applied, expired: expired.size, unused } },
  }
}

function covers(s: Suppression, pkg: PackageResult, ruleId: string): boolean {
  if (s.rule !== ruleId || s.package !== pkg.name || s.version !== pkg.version) return false
  // An integrity pins the suppression to exact bytes; a lockfile may list several hashes.
  if (s.integrity !== undefined) return (pkg.integrity ?? '').split(/\s+/).includes(s.integrity)
  return true
}
