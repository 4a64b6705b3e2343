import semver from 'semver'
import { defineRule } from '../src/types.ts'

/**
 * The package.json inside a registry tarball names another package or version than the lockfile
 * entry it was fetched for. The registry's metadata (which npm resolved and locked) and the
 * tarball's own manifest (what is installed, with its scripts and dependencies) disagree: a
 * "manifest confusion", or a tarball swapped under a lockfile entry.
 */
export default defineRule({
  meta: {
    id: 'manifest-confusion',
    severity: 'high',
    description: "A registry tarball's package.json names another package or version than its lockfile entry",
    docs: 'rules/manifest-confusion.md',
  },
  create(context) {
    return {
      manifest() {
        const { ref, manifest } = context.pkg
        if (ref.source !== 'registry' || !manifest || !ref.version) return
        const differences: string[] = []
        if (typeof manifest.name === 'string' && manifest.name !== ref.name) differences.push(`name "${manifest.name}" instead of "${ref.name}"`)
        if (typeof manifest.name !== 'string') differences.push('no name')
        const version = typeof manifest.version === 'string' ? manifest.version : undefined
        // Registries normalise versions (a leading "v", "=", build metadata): compare them as semver does.
        const same = version !== undefined && (version === ref.version || (semver.valid(version, { loose: true }) !== null && semver.valid(ref.version, { loose: true }) !== null && semver.eq(version, ref.version, { loose: true })))
        if (!same) differences.push(version === undefined ? 'no version' : `version "${version}" instead of "${ref.version}"`)
        if (differences.length === 0) return
        context.report({
          file: 'package.json',
          message: `The tarball fetched for ${ref.name}@${ref.version} carries a package.json with ${differences.join(' and ')}. What npm resolved (the registry's metadata) is not what would be installed: the tarball's own scripts and dependencies are the ones that run.`,
        })
      },
    }
  },
})
