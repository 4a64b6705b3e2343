import { defineRule } from '../src/types.ts'

export default defineRule({
  meta: {
    id: 'integrity-mismatch',
    severity: 'critical',
    description: 'The tarball served for a package does not match the integrity hash in the lockfile',
    docs: 'rules/integrity-mismatch.md',
  },
  create(context) {
    return {
      manifest() {
        const mismatch = context.pkg.fetchFailure?.integrityMismatch
        if (!mismatch) return
        if (mismatch.retried) {
          context.report({
            message: `A download of ${context.pkg.ref.name}@${context.pkg.ref.version} did not match the lockfile's integrity ${mismatch.expected}${mismatch.actual ? ` (got ${mismatch.actual})` : ''}; a later download matched and was scanned. Something between you and the registry served other bytes: a tampering proxy or mirror, or a registry serving different content to different requests.`,
          })
          return
        }
        context.report({
          message: `The tarball of ${context.pkg.ref.name}@${context.pkg.ref.version} does not match the lockfile's integrity ${mismatch.expected}${mismatch.actual ? ` (got ${mismatch.actual})` : ''}: the registry, a proxy or the lockfile was tampered with. It was not scanned.`,
        })
      },
    }
  },
})
