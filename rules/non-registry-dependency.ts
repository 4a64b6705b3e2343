import { defineRule } from '../src/types.ts'

export default defineRule({
  meta: {
    id: 'non-registry-dependency',
    severity: 'medium',
    description: 'A dependency from git, an arbitrary URL or a local path instead of the registry',
    docs: 'rules/non-registry-dependency.md',
  },
  create(context) {
    return {
      manifest() {
        const { ref, fetchFailure } = context.pkg
        if (ref.source !== 'git' && ref.source !== 'remote' && ref.source !== 'directory' && ref.source !== 'file') return
        if (ref.tarballPath) return // the tarball the user asked to scan
        context.report({
          severity: fetchFailure?.notFetched ? 'high' : 'medium',
          message: `${ref.name} comes from ${ref.source === 'git' ? 'a git repository' : ref.source === 'remote' ? 'a URL' : 'a local path'} (${ref.resolved ?? ref.spec}), bypassing the registry's integrity and audit trail${ref.source === 'git' ? '; git dependencies run their prepare script on install' : ''}.${fetchFailure?.notFetched ? ' It was not fetched or scanned (pass --allow-non-registry to scan it).' : ''}`,
        })
      },
    }
  },
})
