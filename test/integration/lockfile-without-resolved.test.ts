/**
 * Lockfile entries with integrity but no `resolved` URL are fetched at the URL where the registry
 * keeps tarballs, built from the name and version: never through the package document, so a
 * second scan from the same cache needs no registry at all. A registry that answers 404 there is
 * asked by `name@version`, once. Proxies on loopback in front of the test registry record every
 * request.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/types.ts'
import { createSandbox, describeRun, packageNamed, registryUrl, scanJson, type Sandbox } from '../helpers/cli.ts'
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.ts'
import { generateLockfile, readLockfile, type Lockfile } from '../helpers/fixtures.ts'
import { expectSuccess, runNpm } from '../helpers/process.ts'

const SCOPE = '@tarsier-built-url'
const SCOPED = `${SCOPE}/scoped-util`
const UTIL_2_TARBALL = '/tarsier-fixture-util/-/tarsier-fixture-util-2.0.0.tgz'
const UTIL_PACKUMENT = /^\/tarsier-fixture-util(?:\?.*)?$/
// Quick backoff, read from the user's .npmrc like npm's.
const NPMRC = 'fetch-retry-mintimeout=100\nfetch-retry-maxtimeout=400\n'

let work: Sandbox
let lockfilePath: string
let lockfile: Lockfile

/** Publishes a scoped package of our own to the test registry (no fixture package is scoped). */
async function publishScoped(dir: string, home: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: SCOPED, version: '1.0.0', description: 'Tarsier test package: benign, scoped', license: 'MIT', main: 'index.js' }))
  await writeFile(join(dir, 'index.js'), "module.exports = (s) => String(s).trim()\n")
  const host = new URL(registryUrl()).host
  const result = await runNpm(['publish', dir, '--ignore-scripts', '--access', 'public', `--registry=${registryUrl()}`, `--//${host}/:_authToken=tarsier-test`], { home, cwd: home })
  expectSuccess(result, `npm publish ${SCOPED}`)
}

beforeAll(async () => {
  work = await createSandbox()
  await publishScoped(join(work.work, 'scoped-util'), join(work.work, 'npm-home'))
  const project = join(work.work, 'app')
  await mkdir(project)
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'app',
      version: '1.0.0',
      private: true,
      // util 1 at the top (greeter's), util 2 under an alias, and a scoped package.
      dependencies: { 'tarsier-fixture-greeter': '^1.0.0', 'util-two': 'npm:tarsier-fixture-util@2.0.0', [SCOPED]: '^1.0.0' },
    }),
  )
  await generateLockfile(project, { registry: registryUrl(), resolved: false })
  lockfilePath = join(project, 'package-lock.json')
  lockfile = await readLockfile(project)
})
afterAll(() => work?.dispose())

let sandbox: Sandbox | undefined
const proxies: FaultProxy[] = []
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()))
  await sandbox?.dispose()
  sandbox = undefined
})

async function proxy(rules: FaultRule[] = []): Promise<FaultProxy> {
  const started = await startFaultProxy(registryUrl(), rules)
  proxies.push(started)
  return started
}

/** Scans the lockfile with `registry` as the default registry and `scopeRegistry` for the scope (the user's .npmrc). */
async function scan(registry: string, scopeRegistry: string, extraArgs: string[] = []) {
  sandbox ??= await createSandbox()
  await writeFile(join(sandbox.home, '.npmrc'), `${NPMRC}${SCOPE}:registry=${scopeRegistry}\n`)
  return scanJson(lockfilePath, ['--registry', registry, '--no-result-cache', ...extraArgs], { sandbox, registry: false })
}

function expectAllScanned(report: ScanReport): void {
  const locations = Object.keys(lockfile.packages).filter((l) => l !== '')
  expect(report.packages.map((p) => p.location).sort()).toEqual(locations.sort())
  for (const p of report.packages) {
    expect(p.status, `${p.location}: ${p.error ?? ''}`).toBe('scanned')
    expect(p.verdict, p.location).toBe('clean')
    expect(p.stats.files, p.location).toBeGreaterThan(0)
    // What the lockfile said, not the URL the fetch was built from.
    expect(p.resolved, p.location).toBeUndefined()
    expect(p.integrity).toBe(lockfile.packages[p.location]!.integrity)
  }
}

function paths(p: FaultProxy): string[] {
  return p.requests.map((r) => r.path)
}

describe('a lockfile with integrity and no resolved URLs', () => {
  it('was generated without resolved URLs, with sha512 integrity, the alias under its real name', () => {
    const entries = Object.entries(lockfile.packages).filter(([l]) => l !== '')
    expect(entries.map(([l]) => l).sort()).toEqual([`node_modules/${SCOPED}`, 'node_modules/tarsier-fixture-greeter', 'node_modules/tarsier-fixture-util', 'node_modules/util-two'])
    for (const [, entry] of entries) {
      expect(entry.resolved).toBeUndefined()
      expect(entry.integrity).toMatch(/^sha512-/)
    }
    expect(lockfile.packages['node_modules/util-two']).toMatchObject({ name: 'tarsier-fixture-util', version: '2.0.0' })
  })

  it('fetches only tarballs, each from its scope’s registry; a second scan from that cache needs no registry (--offline)', async () => {
    const main = await proxy()
    const scoped = await proxy()
    const first = await scan(main.url, scoped.url)
    expect(first.code, describeRun(first)).toBe(0)
    expectAllScanned(first.report)
    expect(packageNamed(first.report, 'tarsier-fixture-util', '2.0.0').location).toBe('node_modules/util-two')
    // No package document was asked for: only the tarballs, at the registry's own layout.
    expect(paths(main).sort()).toEqual([
      '/tarsier-fixture-greeter/-/tarsier-fixture-greeter-1.0.0.tgz',
      '/tarsier-fixture-util/-/tarsier-fixture-util-1.0.0.tgz',
      UTIL_2_TARBALL,
    ])
    expect(paths(scoped)).toEqual([`/${SCOPED}/-/scoped-util-1.0.0.tgz`])

    // Registries gone: the cache (which holds no package document) is enough.
    await Promise.all(proxies.splice(0).map((p) => p.close()))
    const offline = await scan(main.url, scoped.url, ['--offline'])
    expect(offline.code, describeRun(offline)).toBe(0)
    expectAllScanned(offline.report)
  })

  it('a registry that has no tarball at that URL (404): asked by name@version once, through the package document, and scanned', async () => {
    const main = await proxy([{ match: new RegExp(`^${UTIL_2_TARBALL}$`), fault: { kind: 'status', status: 404 }, times: 1 }])
    const scoped = await proxy()
    const run = await scan(main.url, scoped.url)
    expect(run.code, describeRun(run)).toBe(0)
    expectAllScanned(run.report)
    const util = main.requests.filter((r) => r.path === UTIL_2_TARBALL || UTIL_PACKUMENT.test(r.path))
    expect(util.map((r) => (r.path === UTIL_2_TARBALL ? `tarball${r.fault ? ' 404' : ''}` : 'package document'))).toEqual(['tarball 404', 'package document', 'tarball'])
  })

  it('a tarball missing at that URL and from the package document too: not scanned, named as not found, the fallback tried once', async () => {
    const main = await proxy([{ match: new RegExp(`^${UTIL_2_TARBALL}$`), fault: { kind: 'status', status: 404 } }])
    const scoped = await proxy()
    const run = await scan(main.url, scoped.url, ['--fetch-retries', '2'])
    expect(run.code, describeRun(run)).toBe(3)
    const util = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(util.status).toBe('failed')
    expect(util.error).toMatch(/tarsier-fixture-util@2\.0\.0 was not found in the registry/)
    expect(main.requests.filter((r) => UTIL_PACKUMENT.test(r.path))).toHaveLength(1)
    expect(main.requests.filter((r) => r.path === UTIL_2_TARBALL)).toHaveLength(2)
    for (const p of run.report.packages.filter((x) => x !== util)) expect(p.status, p.location).toBe('scanned')
  })
})
