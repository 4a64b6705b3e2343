import { DEFAULT_REGISTRY, hostOf, registryOf } from '../../src/fetch/npm-config.ts'
import { defineTreeRule } from '../../src/analyze/tree-rule.ts'

/** Hosts of the public registry under its own and Yarn's names; npm rewrites them to the configured registry. */
const PUBLIC_REGISTRY_HOSTS = new Set(['registry.npmjs.org', 'registry.yarnpkg.com', 'registry.npmjs.com'])

/**
 * A registry package whose lockfile `resolved` URL points at a host that is neither the public
 * registry nor a registry of the user's configuration: installing the lockfile downloads the
 * tarball from there (lockfile injection: the entry keeps a plausible name and version, and a
 * matching integrity for the attacker's tarball).
 */
export default defineTreeRule({
  meta: {
    id: 'lockfile-injection',
    severity: 'high',
    description: 'A lockfile entry downloads a registry package from a host that is not a configured registry',
    docs: 'rules/tree/lockfile-injection.md',
  },
  check(context) {
    const configured = new Set<string>()
    for (const [key, value] of Object.entries(context.registryConfig)) {
      if (key === 'registry' || /^@[^:]+:registry$/.test(key)) configured.add(hostOf(value) ?? '')
    }
    for (const pkg of context.packages) {
      if (pkg.source !== 'registry' || !pkg.resolved) continue
      const host = hostOf(pkg.resolved)
      if (!host || PUBLIC_REGISTRY_HOSTS.has(host) || configured.has(host)) continue
      const expected = registryOf(pkg.name, context.registryConfig) || DEFAULT_REGISTRY
      context.report(pkg, {
        message: `${pkg.name}@${pkg.version} is resolved from ${host} (${pkg.resolved}), not from ${expected} or another configured registry: installing this lockfile downloads it from there. An edited lockfile entry (lockfile injection) looks like this.`,
      })
    }
  },
})
