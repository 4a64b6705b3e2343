/**
 * A registry tarball that lands in the cache reaches the analysis as a cache entry, not as bytes
 * held by the main thread: a cold scan has several downloads in flight, some of them 30-40 MB.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchPackage, type FetchOptions } from '../../src/fetch/fetch-package.ts'
import { readPackageSource } from '../../src/fetch/package-source.ts'
import type { PackageRef } from '../../src/types.ts'
import { createSandbox, registryUrl, type Sandbox } from '../helpers/cli.ts'
import { startFaultProxy } from '../helpers/fault-proxy.ts'
import { prepareProject, readLockfile } from '../helpers/fixtures.ts'

let sandbox: Sandbox
let ref: PackageRef
let greeterIntegrity: string
beforeAll(async () => {
  sandbox = await createSandbox()
  const project = await prepareProject('clean-app', sandbox.work, { registry: registryUrl(), resolved: true })
  const lockfile = await readLockfile(project)
  const entry = lockfile.packages['node_modules/tarsier-fixture-util']!
  greeterIntegrity = lockfile.packages['node_modules/tarsier-fixture-greeter']!.integrity!
  ref = {
    name: 'tarsier-fixture-util',
    version: entry.version!,
    spec: `tarsier-fixture-util@${entry.version!}`,
    resolved: entry.resolved!,
    integrity: entry.integrity!,
    source: 'registry',
    location: 'node_modules/tarsier-fixture-util',
    dev: false,
    optional: false,
  }
})
afterAll(() => sandbox?.dispose())

/** The entry without its resolved URL: fetched from the configured registry, at the URL built from name and version. */
const withoutResolved = (): PackageRef => {
  const { resolved: _, ...rest } = ref
  return rest
}

const optionsFor = (cacheDir: string): FetchOptions => ({ cacheDir, registryConfig: { registry: registryUrl() }, allowNonRegistry: false })

async function manifestOf(outcome: Awaited<ReturnType<typeof fetchPackage>>) {
  if (!outcome.ok) throw new Error(outcome.reason)
  const contents = await readPackageSource(outcome.source)
  return JSON.parse(contents!.files.get('package.json')!.content!.toString()) as { name: string; version: string }
}

describe('fetching a registry tarball', () => {
  it('a download is verified into the cache and handed over as the cache entry', async () => {
    const cacheDir = join(sandbox.root, 'cold')
    const outcome = await fetchPackage(ref, optionsFor(cacheDir))
    expect(outcome.ok && outcome.source.kind).toBe('cached-tarball')
    expect(await manifestOf(outcome)).toMatchObject({ name: ref.name, version: ref.version })
    // Fetched again, it is found in the cache without a download.
    const again = await fetchPackage(ref, { ...optionsFor(cacheDir), offline: true })
    expect(again.ok && again.source.kind).toBe('cached-tarball')
  })

  it('a registry that forbids caching (no-store): the download is fetched again and its bytes handed over', async () => {
    const proxy = await startFaultProxy(registryUrl(), [{ match: /\.tgz$/, fault: { kind: 'headers', headers: { 'cache-control': 'no-store' } } }])
    try {
      const cacheDir = join(sandbox.root, 'no-store')
      const outcome = await fetchPackage(withoutResolved(), { ...optionsFor(cacheDir), registryConfig: { registry: proxy.url } })
      expect(outcome.ok && outcome.source.kind).toBe('tarball-bytes')
      expect(await manifestOf(outcome)).toMatchObject({ name: ref.name, version: ref.version })
      // Read to its end once without being kept, then once more, kept.
      expect(proxy.requests.filter((r) => r.path.endsWith('.tgz'))).toHaveLength(2)
      // Later downloads from that registry are kept the first time.
      const other = { ...withoutResolved(), name: 'tarsier-fixture-greeter', version: '1.0.0', spec: 'tarsier-fixture-greeter@1.0.0', integrity: greeterIntegrity }
      const second = await fetchPackage(other, { ...optionsFor(cacheDir), registryConfig: { registry: proxy.url } })
      expect(second.ok && second.source.kind).toBe('tarball-bytes')
      expect(await manifestOf(second)).toMatchObject({ name: 'tarsier-fixture-greeter', version: '1.0.0' })
      expect(proxy.requests.filter((r) => r.path.endsWith('.tgz'))).toHaveLength(3)
    } finally {
      await proxy.close()
    }
  })
})
