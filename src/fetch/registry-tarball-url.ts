import getNpmTarballUrl from 'get-npm-tarball-url'
import npa from 'npm-package-arg'
import type { PackageRef } from '../types.ts'
import { registryOf, type RegistryConfig } from './npm-config.ts'

// An integrity that pacote checks with a hash still safe against collisions (it checks with the
// strongest one a Subresource Integrity string holds).
const STRONG_INTEGRITY = /(?:^|\s)sha(?:256|384|512)-\S/i

/**
 * Where the registry keeps the tarball of a registry package whose lockfile entry has no
 * `resolved` URL: `<registry of its scope>/<name>/-/<unscoped name>-<version>.tgz`, as the npm
 * registry and Verdaccio lay tarballs out (pnpm builds the same URL for its lockfiles with the
 * same library). Fetched with the lockfile's integrity, the tarball comes from the cache by digest,
 * or from this URL, without the package document (megabytes for some packages) being read first.
 *
 * Undefined, so that the package is fetched by `name@version` as before, when:
 * - the entry has a `resolved` URL (pacote is given that one) or is not a registry package;
 * - the lockfile has no strong integrity. Asked for a URL without integrity, pacote downloads it
 *   and checks it against nothing: its cache lookup by digest needs an integrity, and make-fetch-happen
 *   verifies only the integrity it is given. By `name@version`, pacote reads the package document and
 *   verifies the tarball against the integrity the registry publishes there (and merges it with a
 *   lockfile's `sha1`, which alone is not collision-safe). The package document is what the
 *   registry vouches for; a URL we built is not;
 * - the name or version is not what a registry entry can be (npm-package-arg's rules: a name
 *   cannot smuggle `/`, `..` or URL syntax into the path; the version is an exact version).
 *
 * `ref.name` is the real package name for aliases (`npm:string-width@4.2.3`): the resolvers take it
 * from the lockfile's package name, never from the folder or the alias.
 */
export function registryTarballUrl(ref: PackageRef, config: RegistryConfig): string | undefined {
  if (ref.source !== 'registry' || ref.resolved || ref.directory || ref.tarballPath) return undefined
  if (!ref.integrity || !STRONG_INTEGRITY.test(ref.integrity)) return undefined
  let spec: npa.Result
  try {
    spec = npa.resolve(ref.name, ref.version)
  } catch {
    return undefined
  }
  if (spec.type !== 'version' || !spec.name) return undefined
  return getNpmTarballUrl(spec.name, ref.version, { registry: registryOf(spec.name, config) })
}
