import { defineTreeRule } from '../../src/analyze/tree-rule.ts'

/**
 * A registry package without an integrity hash in the lockfile: whatever the registry (or anyone in
 * between) serves is installed unchecked, and a later edit of the entry cannot be told apart.
 */
export default defineTreeRule({
  meta: {
    id: 'lockfile-missing-integrity',
    severity: 'low',
    description: 'A registry package has no integrity hash in the lockfile',
    docs: 'rules/tree/lockfile-missing-integrity.md',
  },
  check(context) {
    if (context.targetKind !== 'lockfile') return
    for (const pkg of context.packages) {
      if (pkg.source !== 'registry' || pkg.integrity || !pkg.location) continue
      context.report(pkg, {
        message: `${pkg.name}@${pkg.version} (${pkg.location}) has no integrity hash in the lockfile: its tarball is installed without verification.`,
      })
    }
  },
})
