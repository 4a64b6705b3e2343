import { defineTreeRule } from '../../src/analyze/tree-rule.ts'

/** In a diff: a package version already in the base lockfile is now downloaded from another place. */
export default defineTreeRule({
  meta: {
    id: 'resolved-host-changed',
    severity: 'medium',
    description: 'A pull request changes where a package version already in the lockfile is downloaded from',
    docs: 'rules/tree/resolved-host-changed.md',
  },
  check(context) {
    for (const pkg of context.packages) {
      const change = pkg.change
      if (change?.kind !== 'resolved-host-changed') continue
      context.report(pkg, {
        message: `${pkg.name}@${pkg.version} is now resolved from ${change.resolved ?? '(unknown)'} instead of ${change.previousResolved || '(unknown)'}: the same version, fetched from another place. Check that the new source is a registry you use.`,
        ...(change.lockfileLine !== undefined && { line: change.lockfileLine }),
      })
    }
  },
})
