import { defineTreeRule } from '../../src/analyze/tree-rule.ts'

/**
 * In a diff: a package version already in the base lockfile now has another integrity hash. A
 * published version never changes, so the pull request points an existing dependency at other bytes.
 */
export default defineTreeRule({
  meta: {
    id: 'integrity-changed',
    severity: 'critical',
    description: 'A pull request changes the integrity hash of a package version already in the lockfile',
    docs: 'rules/tree/integrity-changed.md',
  },
  check(context) {
    for (const pkg of context.packages) {
      const change = pkg.change
      if (change?.kind !== 'integrity-changed') continue
      context.report(pkg, {
        message: `${pkg.name}@${pkg.version} keeps its version but its integrity changes from ${change.previousIntegrity} to ${change.integrity ?? '(none)'}${change.resolved ? `, resolved from ${change.resolved}` : ''}. A published version never changes: this lockfile edit points an existing dependency at other bytes.`,
        ...(change.lockfileLine !== undefined && { line: change.lockfileLine }),
      })
    }
  },
})
