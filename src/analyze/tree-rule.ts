import type { RegistryConfig } from '../fetch/npm-config.ts'
import type { Finding, PackageResult, RuleMeta, Severity, TargetKind } from '../types.ts'
import { verdictOf } from './verdict.ts'

/** What a tree rule sees: every package of the resolved tree, after each was analysed on its own. */
export interface TreeRuleContext {
  packages: readonly PackageResult[]
  /** Registries the user's npm configuration names (default and scoped). */
  registryConfig: RegistryConfig
  /** What the tree was read from: entries of a lockfile carry promises (integrity) that installed trees need not. */
  targetKind: TargetKind
  report(pkg: PackageResult, finding: { message: string; severity?: Severity; file?: string; line?: number; snippet?: string }): void
}

/**
 * A rule over the whole tree rather than one package's files: lockfile entries compared with each
 * other and with the configuration. Declared like a package rule (`meta`), run once per scan.
 */
export interface TreeRule {
  meta: RuleMeta
  check(context: TreeRuleContext): void
}

export function defineTreeRule(rule: TreeRule): TreeRule {
  return rule
}

/** Runs the tree rules, adds their findings to the packages they name and recomputes those verdicts. */
export function runTreeRules(rules: readonly TreeRule[], packages: PackageResult[], registryConfig: RegistryConfig, targetKind: TargetKind): void {
  const changed = new Set<PackageResult>()
  for (const rule of rules) {
    rule.check({
      packages,
      registryConfig,
      targetKind,
      report(pkg, finding) {
        const full: Finding = { ruleId: rule.meta.id, severity: finding.severity ?? rule.meta.severity, message: finding.message }
        if (finding.file !== undefined) full.file = finding.file
        if (finding.line !== undefined) full.line = finding.line
        if (finding.snippet !== undefined) full.snippet = finding.snippet
        pkg.findings.push(full)
        changed.add(pkg)
      },
    })
  }
  for (const pkg of changed) pkg.verdict = verdictOf(pkg.findings)
}
