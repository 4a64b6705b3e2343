import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { safePacoteOptions } from '../../src/fetch/fetch-package.ts'
import { registryTarballUrl } from '../../src/fetch/registry-tarball-url.ts'
import { readLockfilePackages } from '../../src/resolve/lockfiles/index.ts'
import { loadTree, packagesOfTree } from '../../src/resolve/npm-tree.ts'
import type { PackageRef } from '../../src/types.ts'

const SRI = `sha512-${'a'.repeat(86)}==`
const config = { registry: 'https://registry.example.invalid/', '@acme:registry': 'https://npm.acme.invalid/api/npm' }

function ref(fields: Partial<PackageRef> & Pick<PackageRef, 'name' | 'version'>): PackageRef {
  return { spec: `${fields.name}@${fields.version}`, integrity: SRI, source: 'registry', location: `node_modules/${fields.name}`, dev: false, optional: false, ...fields }
}

describe('registryTarballUrl', () => {
  it('lays the URL out as registries keep tarballs: <registry>/<name>/-/<unscoped name>-<version>.tgz', () => {
    expect(registryTarballUrl(ref({ name: 'left-pad', version: '1.3.0' }), config)).toBe('https://registry.example.invalid/left-pad/-/left-pad-1.3.0.tgz')
    expect(registryTarballUrl(ref({ name: 'next', version: '16.0.0-canary.3' }), config)).toBe('https://registry.example.invalid/next/-/next-16.0.0-canary.3.tgz')
  })

  it('takes a scoped name to its scope registry, path kept, with the scope unescaped in the path like the registry’s own URLs', () => {
    expect(registryTarballUrl(ref({ name: '@acme/widget', version: '2.0.0' }), config)).toBe('https://npm.acme.invalid/api/npm/@acme/widget/-/widget-2.0.0.tgz')
    expect(registryTarballUrl(ref({ name: '@babel/core', version: '7.29.13' }), config)).toBe('https://registry.example.invalid/@babel/core/-/core-7.29.13.tgz')
  })

  it('builds nothing when the lockfile gave a resolved URL, or for what is not a registry tarball', () => {
    expect(registryTarballUrl(ref({ name: 'a', version: '1.0.0', resolved: 'https://registry.example.invalid/a/-/a-1.0.0.tgz' }), config)).toBeUndefined()
    expect(registryTarballUrl(ref({ name: 'a', version: '1.0.0', source: 'git' }), config)).toBeUndefined()
    expect(registryTarballUrl(ref({ name: 'a', version: '1.0.0', source: 'remote' }), config)).toBeUndefined()
    expect(registryTarballUrl(ref({ name: 'a', version: '1.0.0', directory: '/somewhere/a' }), config)).toBeUndefined()
  })

  it('builds nothing without an integrity pacote can hold the download to, so that the registry’s package document vouches for it', () => {
    expect(registryTarballUrl(ref({ name: 'a', version: '1.0.0', integrity: undefined }), config)).toBeUndefined()
    expect(registryTarballUrl(ref({ name: 'a', version: '1.0.0', integrity: 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=' }), config)).toBeUndefined()
    expect(registryTarballUrl(ref({ name: 'a', version: '1.0.0', integrity: `sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk= ${SRI}` }), config)).toBe('https://registry.example.invalid/a/-/a-1.0.0.tgz')
  })

  it('builds nothing from a name or version that could not be a registry entry (no path tricks)', () => {
    for (const name of ['../evil', 'a/../../b', '@acme/../b', '@acme/x/y', '%2e%2e', 'a b', '', '.hidden', 'http://evil.example/x']) {
      expect(registryTarballUrl(ref({ name, version: '1.0.0' }), config), name).toBeUndefined()
    }
    for (const version of ['', '^1.0.0', 'latest', '1.x', '1.0.0/../../x']) {
      expect(registryTarballUrl(ref({ name: 'a', version }), config), version).toBeUndefined()
    }
  })

  it('uses the real package name of an npm alias (npm:…), never the folder it is installed under', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tarsier-unit-alias-'))
    try {
      const lockfile = {
        name: 'app',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'app', dependencies: { 'string-width-cjs': 'npm:string-width@^4.2.0', '@acme/alias': 'npm:@acme/real@^1.0.0' } },
          'node_modules/string-width-cjs': { name: 'string-width', version: '4.2.3', integrity: SRI },
          'node_modules/@acme/alias': { name: '@acme/real', version: '1.0.1', integrity: SRI },
        },
      }
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', dependencies: lockfile.packages[''].dependencies }))
      await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lockfile))
      const refs = packagesOfTree(await loadTree(dir, 'virtual', { npmOptions: {} }))
      const urls = refs.map((r) => registryTarballUrl(r, config)).sort()
      expect(urls).toEqual(['https://npm.acme.invalid/api/npm/@acme/real/-/real-1.0.1.tgz', 'https://registry.example.invalid/string-width/-/string-width-4.2.3.tgz'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('uses the real package name of a pnpm alias too', async () => {
    const text = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      string-width-cjs:',
      "        specifier: npm:string-width@^4.2.0",
      '        version: string-width@4.2.3',
      'packages:',
      '  string-width@4.2.3:',
      `    resolution: {integrity: ${SRI}}`,
      'snapshots:',
      '  string-width@4.2.3: {}',
      '',
    ].join('\n')
    const refs = await readLockfilePackages('pnpm-lock.yaml', text, { manifest: { name: 'app', dependencies: { 'string-width-cjs': 'npm:string-width@^4.2.0' } } })
    expect(refs.map((r) => registryTarballUrl(r, config))).toEqual(['https://registry.example.invalid/string-width/-/string-width-4.2.3.tgz'])
  })
})

describe('safePacoteOptions with a built tarball URL', () => {
  const options = { cacheDir: '/tmp/unused', registryConfig: config, allowNonRegistry: false }
  const built = 'https://registry.example.invalid/left-pad/-/left-pad-1.3.0.tgz'

  it('allows the remote spec `name@<url>` for that fetch only, and hands pacote the URL and the lockfile integrity', () => {
    const r = ref({ name: 'left-pad', version: '1.3.0' })
    expect(safePacoteOptions(options, r, built)).toMatchObject({ allowRemote: 'all', resolved: built, integrity: SRI, allowGit: 'none', allowFile: 'none', allowDirectory: 'none', ignoreScripts: true })
    const plain = safePacoteOptions(options, r)
    expect(plain.allowRemote).toBe('none')
    expect(plain.resolved).toBeUndefined()
  })
})
