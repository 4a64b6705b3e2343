import { defineTreeRule } from '../../src/analyze/tree-rule.ts'
import { compareIntegrity } from '../../src/resolve/integrity.ts'
import type { PackageResult } from '../../src/types.ts'

/**
 * One name@version with two different integrity hashes in the same tree: a registry version is
 * immutable, so one of the two entries was edited to point at other bytes.
 */
export default defineTreeRule({
  meta: {
    id: 'lockfile-integrity-conflict',
    severity: 'critical',
    description: 'The same package version appears with two different integrity hashes',
    docs: 'rules/tree/lockfile-integrity-conflict.md',
  },
  check(context) {
    const byVersion = new Map<string, PackageResult[]>()
    for (const pkg of context.packages) {
      if (pkg.source !== 'registry' || !pkg.integrity) continue
      const key = `${pkg.name}@${pkg.version}`
      byVersion.set(key, [...(byVersion.get(key) ?? []), pkg])
    }
    for (const [key, entries] of byVersion) {
      for (const pkg of entries) {
        const others = entries.filter((p) => compareIntegrity(p.integrity!, pkg.integrity!) === 'different').map((p) => p.location || '(root)')
        if (others.length === 0) continue
        context.report(pkg, {
          message: `${key} at ${pkg.location} has integrity ${pkg.integrity}, but ${others.join(', ')} lists the same version with another hash. A published version never changes: one entry was edited to point at other bytes.`,
        })
      }
    }
  },
})
