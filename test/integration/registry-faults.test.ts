/**
 * Registry faults, injected by a proxy on loopback in front of the test registry: every package
 * the registry serves well is still scanned; the one it fails is retried a bounded number of
 * times with backoff and then reported as not scanned, with a reason a user can act on.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, describeRun, findingsOf, packageNamed, registryUrl, scanJson, tarsier, type Sandbox } from '../helpers/cli.ts'
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.ts'
import { prepareProject } from '../helpers/fixtures.ts'

const UTIL_2_TARBALL = /^\/tarsier-fixture-util\/-\/tarsier-fixture-util-2\.0\.0\.tgz$/
// Every request for tarsier-fixture-util: its package document and its tarballs.
const UTIL_ANY = /^\/tarsier-fixture-util(?:\/|\?|$)/
// Quick backoff so that retries do not make the suite slow; read from the user's .npmrc like npm's.
const NPMRC = 'fetch-retry-mintimeout=100\nfetch-retry-maxtimeout=400\n'

let projectParent: Sandbox
let lockfile: string
beforeAll(async () => {
  projectParent = await createSandbox()
  // No resolved URLs: every package is fetched from the registry given to the scan, which here is
  // the proxy, at the tarball URL built from its name and version.
  const project = await prepareProject('clean-app', projectParent.work, { registry: registryUrl(), resolved: false })
  lockfile = join(project, 'package-lock.json')
})
afterAll(() => projectParent?.dispose())

let sandbox: Sandbox
let proxy: FaultProxy | undefined
afterEach(async () => {
  await proxy?.close()
  proxy = undefined
  await sandbox?.dispose()
})

async function scanThroughProxy(rules: FaultRule[], extraArgs: string[] = [], npmrc = NPMRC) {
  sandbox = await createSandbox()
  await writeFile(join(sandbox.home, '.npmrc'), npmrc)
  proxy = await startFaultProxy(registryUrl(), rules)
  const run = await scanJson(lockfile, ['--registry', proxy.url, ...extraArgs], { sandbox, registry: false })
  return { run, proxy }
}

function requestsTo(proxy: FaultProxy, path: RegExp): number {
  return proxy.requests.filter((r) => path.test(r.path)).length
}

function expectOthersScanned(run: Awaited<ReturnType<typeof scanThroughProxy>>['run'], failedVersion: string): void {
  for (const p of run.report.packages) {
    if (p.name === 'tarsier-fixture-util' && p.version === failedVersion) continue
    expect(p.status, `${p.name}@${p.version}`).toBe('scanned')
    expect(p.verdict).toBe('clean')
  }
}

describe('server errors', () => {
  it('a tarball answered 503 twice and then served is retried with backoff and scanned', async () => {
    const { run, proxy } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'status', status: 503 }, times: 2 }], ['--fetch-retries', '2'])
    expect(run.code, describeRun(run)).toBe(0)
    expect(packageNamed(run.report, 'tarsier-fixture-util', '2.0.0').status).toBe('scanned')
    expect(requestsTo(proxy, UTIL_2_TARBALL)).toBe(3)
    expect(run.report.incomplete).toBe(false)
  })

  it('a tarball answered 503 every time: bounded retries, that package not scanned, the others scanned, exit 3', async () => {
    const { run, proxy } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'status', status: 503 } }], ['--fetch-retries', '2'])
    expect(run.code, describeRun(run)).toBe(3)
    const util = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(util.status).toBe('failed')
    expect(util.error).toContain('HTTP 503')
    expect(requestsTo(proxy, UTIL_2_TARBALL)).toBe(3)
    expectOthersScanned(run, '2.0.0')
    expect(run.report).toMatchObject({ incomplete: true, summary: { packages: 3, scanned: 2, notScanned: 1 } })
  })

  it('fetch-retries from .npmrc bounds the attempts when no flag is given', async () => {
    const { run, proxy } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'status', status: 500 } }], [], `${NPMRC}fetch-retries=1\n`)
    expect(run.code, describeRun(run)).toBe(3)
    expect(requestsTo(proxy, UTIL_2_TARBALL)).toBe(2)
  })

  it('a package gone from the registry (404 for its tarballs and its package document): not scanned, named as unpublished', async () => {
    const { run } = await scanThroughProxy([{ match: UTIL_ANY, fault: { kind: 'status', status: 404 } }])
    expect(run.code, describeRun(run)).toBe(3)
    for (const version of ['1.0.0', '2.0.0']) {
      const util = packageNamed(run.report, 'tarsier-fixture-util', version)
      expect(util.status).toBe('failed')
      expect(util.error).toMatch(/not found in the registry/)
    }
    expect(packageNamed(run.report, 'tarsier-fixture-greeter').status).toBe('scanned')
  })
})

describe('stalled and cut-off downloads', () => {
  it('a registry that never answers the tarball request: timed out after the retries, the others scanned, exit 3', async () => {
    const { run, proxy } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'hang' } }], ['--fetch-timeout', '1000', '--fetch-retries', '1'])
    expect(run.code, describeRun(run)).toBe(3)
    const util = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(util.status).toBe('failed')
    expect(util.error).toMatch(/did not answer in time/)
    expect(requestsTo(proxy, UTIL_2_TARBALL)).toBe(2)
    expectOthersScanned(run, '2.0.0')
  })

  it('a body that stalls half-way is timed out too', async () => {
    const { run } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'stall-body', afterBytes: 100 } }], ['--fetch-timeout', '1000', '--fetch-retries', '1'])
    expect(run.code, describeRun(run)).toBe(3)
    const util = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(util.status).toBe('failed')
    expect(util.error).toMatch(/did not answer in time|cut off/)
    expectOthersScanned(run, '2.0.0')
  })

  it('a download cut off once is fetched again and scanned', async () => {
    const { run, proxy } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'truncate', afterBytes: 100 }, times: 1 }])
    expect(run.code, describeRun(run)).toBe(0)
    expect(packageNamed(run.report, 'tarsier-fixture-util', '2.0.0').status).toBe('scanned')
    expect(requestsTo(proxy, UTIL_2_TARBALL)).toBeGreaterThanOrEqual(2)
  })

  it('a download cut off every time: not scanned, and not mistaken for tampering', async () => {
    const { run } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'truncate', afterBytes: 100 } }], ['--fetch-retries', '1'])
    expect(run.code, describeRun(run)).toBe(3)
    const util = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(util.status).toBe('failed')
    expect(findingsOf(util, 'integrity-mismatch')).toEqual([])
    expectOthersScanned(run, '2.0.0')
  })
})

describe('other bytes than the lockfile names', () => {
  async function otherTarball(): Promise<Buffer> {
    const response = await fetch(`${registryUrl()}tarsier-fixture-util/-/tarsier-fixture-util-1.0.0.tgz`)
    return Buffer.from(await response.arrayBuffer())
  }

  it('served every time: a critical integrity-mismatch finding, the package not scanned, exit 1', async () => {
    const { run } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'replace-body', body: await otherTarball() } }])
    expect(run.code, describeRun(run)).toBe(1)
    const util = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(util.status).toBe('failed')
    expect(findingsOf(util, 'integrity-mismatch')[0]).toMatchObject({ severity: 'critical' })
  })

  it('served once, then the right bytes: scanned, and the mismatch is still reported, never retried away', async () => {
    const { run, proxy } = await scanThroughProxy([{ match: UTIL_2_TARBALL, fault: { kind: 'replace-body', body: await otherTarball() }, times: 1 }])
    expect(run.code, describeRun(run)).toBe(1)
    const util = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(util.status).toBe('scanned')
    const mismatch = findingsOf(util, 'integrity-mismatch')
    expect(mismatch).toHaveLength(1)
    expect(mismatch[0]!.message).toMatch(/a later download matched/)
    expect(requestsTo(proxy, UTIL_2_TARBALL)).toBe(2)
  })
})

describe('registries that need credentials', () => {
  const unauthorized: FaultRule = { match: UTIL_ANY, fault: { kind: 'status', status: 401, headers: { 'www-authenticate': 'Bearer realm="npm"' } } }

  it('no token: the error names the registry and the .npmrc key to set', async () => {
    const { run, proxy } = await scanThroughProxy([unauthorized])
    expect(run.code, describeRun(run)).toBe(3)
    const key = `//${new URL(proxy.url).host}/:_authToken`
    for (const version of ['1.0.0', '2.0.0']) {
      const util = packageNamed(run.report, 'tarsier-fixture-util', version)
      expect(util.status).toBe('failed')
      expect(util.error).toContain(proxy.url)
      expect(util.error).toContain(`set ${key}=<token>`)
    }
    expect(packageNamed(run.report, 'tarsier-fixture-greeter').status).toBe('scanned')
  })

  it('a refused token: says so, and never prints the token', async () => {
    sandbox = await createSandbox()
    proxy = await startFaultProxy(registryUrl(), [unauthorized])
    const key = `//${new URL(proxy.url).host}/:_authToken`
    await writeFile(join(sandbox.home, '.npmrc'), `${NPMRC}${key}=tarsier-secret-token-1234\n`)
    const run = await scanJson(lockfile, ['--registry', proxy.url], { sandbox, registry: false })
    expect(run.code, describeRun(run)).toBe(3)
    expect(packageNamed(run.report, 'tarsier-fixture-util', '2.0.0').error).toContain(`the token configured as ${key} was refused`)
    const table = await tarsier(['scan', lockfile, '--registry', proxy.url], { sandbox, registry: false })
    for (const output of [run.stdout, run.stderr, table.stdout, table.stderr]) expect(output).not.toContain('tarsier-secret-token-1234')
  })

  it('a registry spec refused while resolving: one clear error line, exit 3', async () => {
    sandbox = await createSandbox()
    proxy = await startFaultProxy(registryUrl(), [unauthorized])
    const run = await tarsier(['scan', 'tarsier-fixture-util@2.0.0', '--registry', proxy.url], { sandbox, registry: false })
    expect(run.code, describeRun(run)).toBe(3)
    expect(run.stderr).toContain(`refused the package document of tarsier-fixture-util (HTTP 401)`)
    expect(run.stderr).toContain(`//${new URL(proxy.url).host}/:_authToken`)
    expect(run.stderr).not.toContain('    at ')
  })
})
