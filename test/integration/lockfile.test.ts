import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import cacache from 'cacache'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/types.ts'
import { createSandbox, describeRun, findingsOf, packageNamed, registryUrl, scanJson, tarsier, type Sandbox } from '../helpers/cli.ts'
import { listDir, packageDir, prepareProject, readLockfile, sha512Integrity, writeLockfile, type Lockfile } from '../helpers/fixtures.ts'

const STEALER = 'tarsier-fixture-env-stealer'
const BENIGN = ['tarsier-fixture-greeter', 'tarsier-fixture-toolkit', 'tarsier-fixture-util']

/** 1-based line of the first line of fixture `file` that contains `text`. */
async function lineOf(dirName: string, file: string, text: string): Promise<number> {
  const lines = (await readFile(join(packageDir(dirName), file), 'utf8')).split('\n')
  const index = lines.findIndex((l) => l.includes(text))
  if (index === -1) throw new Error(`${text} not in ${dirName}/${file}`)
  return index + 1
}

/** Every entry of the lockfile (but the root) is in the report, at its location, scanned. */
function expectEveryLockfilePackageScanned(report: ScanReport, lockfile: Lockfile): void {
  const locations = Object.keys(lockfile.packages).filter((l) => l !== '')
  expect(locations.length).toBeGreaterThan(0)
  for (const location of locations) {
    const pkg = report.packages.find((p) => p.location === location)
    expect(pkg, `${location} is in the report`).toBeDefined()
    expect(pkg!.status, `${location}: ${pkg!.error ?? ''}`).toBe('scanned')
    expect(pkg!.version).toBe(lockfile.packages[location]!.version)
    expect(location.endsWith(`node_modules/${pkg!.name}`)).toBe(true)
    expect(pkg!.stats.files).toBeGreaterThan(0)
  }
  expect(report.packages.filter((p) => p.location !== '').map((p) => p.location).sort()).toEqual(locations.sort())
}

async function expectStealerCaught(report: ScanReport): Promise<void> {
  const stealer = packageNamed(report, STEALER, '1.0.0')
  expect(stealer.verdict).toBe('malicious')
  const exfil = findingsOf(stealer, 'env-exfiltration')
  expect(exfil).toHaveLength(1)
  expect(exfil[0]).toMatchObject({ severity: 'critical', file: 'steal.js', line: await lineOf(STEALER, 'steal.js', 'req.write(JSON.stringify(process.env))'), entryKind: 'install' })
  expect(exfil[0]!.snippet).toContain('JSON.stringify(process.env)')
  const spawn = findingsOf(stealer, 'install-time-child-process')
  expect(spawn).toHaveLength(1)
  expect(spawn[0]).toMatchObject({ file: 'steal.js', line: await lineOf(STEALER, 'steal.js', "execSync('whoami')") })
  expect(findingsOf(stealer, 'install-script')[0]).toMatchObject({ file: 'package.json' })
  expect(findingsOf(stealer, 'install-script')[0]!.snippet).toContain('node steal.js')
  for (const name of BENIGN) {
    const pkg = packageNamed(report, name, '1.0.0')
    expect(pkg.verdict, `${name}: ${JSON.stringify(pkg.findings)}`).toBe('clean')
    expect(pkg.findings.filter((f) => f.severity !== 'info')).toEqual([])
  }
  expect(report.summary.malicious).toBe(1)
  expect(report.summary.findings.critical).toBeGreaterThanOrEqual(1)
  expect(report.incomplete).toBe(false)
}

describe('a lockfile with resolved URLs that holds an env stealer (transitively)', () => {
  let sandbox: Sandbox
  let project: string
  let lockfile: Lockfile

  beforeAll(async () => {
    sandbox = await createSandbox()
    project = await prepareProject('stealer-app', sandbox.work, { registry: registryUrl(), resolved: true })
    lockfile = await readLockfile(project)
  })
  afterAll(() => sandbox?.dispose())

  it('was generated with resolved URLs on the test registry', () => {
    const entry = lockfile.packages[`node_modules/${STEALER}`]
    expect(entry?.resolved).toBe(`${registryUrl()}${STEALER}/-/${STEALER}-1.0.0.tgz`)
    expect(entry?.integrity).toMatch(/^sha512-/)
  })

  it('scanning the lockfile exits 1 and reports the stealer as malicious, at steal.js:line', async () => {
    const run = await scanJson(join(project, 'package-lock.json'), [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const { report } = run
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'tarsier' }, targetKind: 'lockfile', target: join(project, 'package-lock.json') })
    await expectStealerCaught(report)
    expectEveryLockfilePackageScanned(report, lockfile)
    expect(report.packages.find((p) => p.location === '')).toBeUndefined()
    const stealer = packageNamed(report, STEALER)
    expect(stealer).toMatchObject({ location: `node_modules/${STEALER}`, source: 'registry', resolved: lockfile.packages[`node_modules/${STEALER}`]!.resolved, integrity: lockfile.packages[`node_modules/${STEALER}`]!.integrity, dev: false, optional: false })
    expect(report.summary).toMatchObject({ packages: 4, scanned: 4, notScanned: 0 })
  })

  it('names the lockfile line of each entry and the shortest dependency chain to it', async () => {
    const { report } = await scanJson(join(project, 'package-lock.json'), [], { sandbox })
    const text = (await readFile(join(project, 'package-lock.json'), 'utf8')).split('\n')
    for (const pkg of report.packages) {
      expect(text[pkg.lockfileLine! - 1], pkg.location).toContain(`"${pkg.location}": {`)
    }
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    const stealer = packageNamed(report, STEALER)
    expect(stealer.path!.at(-1)).toBe(STEALER)
    expect(Object.keys(manifest.dependencies)).toContain(stealer.path![0])
  })

  it('reads lines from a version 1 lockfile too (nested dependencies)', async () => {
    const v1: Record<string, unknown> = { name: 'stealer-app', version: '1.0.0', lockfileVersion: 1, requires: true, dependencies: {} }
    const deps = v1.dependencies as Record<string, { version: string; resolved?: string; integrity?: string; requires?: Record<string, string>; dependencies?: Record<string, unknown> }>
    for (const [location, entry] of Object.entries(lockfile.packages)) {
      if (location === '') continue
      const names = location.split('node_modules/').slice(1).map((n) => n.replace(/\/$/, ''))
      let level = deps
      for (const name of names.slice(0, -1)) level = ((level[name] ??= { version: '' }).dependencies ??= {}) as typeof deps
      level[names.at(-1)!] = { ...(level[names.at(-1)!] ?? {}), version: entry.version!, resolved: entry.resolved as string, integrity: entry.integrity!, ...(entry.dependencies ? { requires: entry.dependencies as Record<string, string> } : {}) }
    }
    const dir = join(sandbox.work, 'v1')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify(v1, null, 2))
    const { report } = await scanJson(join(dir, 'package-lock.json'), [], { sandbox })
    const text = (await readFile(join(dir, 'package-lock.json'), 'utf8')).split('\n')
    expect(report.packages.length).toBe(Object.keys(lockfile.packages).length - 1)
    for (const pkg of report.packages) expect(text[pkg.lockfileLine! - 1], pkg.location).toContain(`"${pkg.name}": {`)
  })

  it('scanning the project directory adds the root project and finds the same', async () => {
    const run = await scanJson(project, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    expect(run.report.targetKind).toBe('lockfile')
    await expectStealerCaught(run.report)
    expectEveryLockfilePackageScanned(run.report, lockfile)
    expect(run.report.packages.find((p) => p.location === '')).toMatchObject({ source: 'root', status: 'scanned', name: 'stealer-app', verdict: 'clean' })
  })

  it('the default target is the working directory', async () => {
    const run = await scanJson('.', [], { sandbox, cwd: project })
    expect(run.code, describeRun(run)).toBe(1)
    expect(run.report.target).toBe(project.replace(/\/$/, ''))
    const implicit = await tarsier(['scan', '--format', 'json'], { sandbox, cwd: project })
    expect(implicit.code, describeRun(implicit)).toBe(1)
    expect((JSON.parse(implicit.stdout) as ScanReport).target).toBe(run.report.target)
  })

  it('the table names the package, the rule and file:line, and the JSON written with --output matches', async () => {
    const line = await lineOf(STEALER, 'steal.js', 'req.write(JSON.stringify(process.env))')
    const run = await tarsier(['scan', project], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    expect(run.stdout).toContain(`${STEALER}@1.0.0`)
    expect(run.stdout).toContain('MALICIOUS')
    expect(run.stdout).toContain('env-exfiltration')
    expect(run.stdout).toContain(`steal.js:${line}`)
    expect(run.stdout).toMatch(/Tarsier: 5 packages \(5 scanned\)/)
    expect(run.stdout).toContain('1 malicious')
    // No colours when stdout is not a terminal.
    expect(run.stdout).not.toContain('\u001b[')
    for (const name of BENIGN) expect(run.stdout).not.toContain(`${name}@`)

    const output = join(sandbox.work, 'report.json')
    const toFile = await tarsier(['scan', project, '--format', 'json', '--output', output], { sandbox })
    expect(toFile.code, describeRun(toFile)).toBe(1)
    expect(toFile.stdout).toBe('')
    const report = JSON.parse(await readFile(output, 'utf8')) as ScanReport
    await expectStealerCaught(report)
  })

  it('--fail-on critical still fails, and a second run served from the cache gives the same report', async () => {
    const first = await scanJson(project, ['--fail-on', 'critical'], { sandbox })
    expect(first.code, describeRun(first)).toBe(1)
    expect(await listDir(sandbox.cache)).not.toEqual([])
    const offline = await scanJson(project, ['--offline'], { sandbox })
    expect(offline.code, describeRun(offline)).toBe(1)
    await expectStealerCaught(offline.report)
    expectEveryLockfilePackageScanned(offline.report, lockfile)
  })

  it('a cached tarball altered on disk is never analysed: it is downloaded again, or, offline, not scanned', async () => {
    // The runs above left every tarball in the cache; --no-result-cache makes the scan read them.
    const integrity = lockfile.packages[`node_modules/${STEALER}`]!.integrity!
    const alter = async () => {
      const entry = Object.values(await cacache.ls(join(sandbox.cache, '_cacache'))).find((e) => e.integrity === integrity)!
      const bytes = await readFile(entry.path)
      await chmod(entry.path, 0o644)
      await writeFile(entry.path, Buffer.concat([bytes.subarray(0, 64), Buffer.alloc(bytes.length - 64)]))
    }
    await alter()
    const online = await scanJson(project, ['--no-result-cache'], { sandbox })
    expect(online.code, describeRun(online)).toBe(1)
    await expectStealerCaught(online.report)
    expectEveryLockfilePackageScanned(online.report, lockfile)
    expect(online.report.packages.flatMap((p) => findingsOf(p, 'integrity-mismatch'))).toEqual([])

    await alter()
    const offline = await scanJson(project, ['--offline', '--no-result-cache'], { sandbox })
    expect(offline.code, describeRun(offline)).toBe(3)
    expect(packageNamed(offline.report, STEALER)).toMatchObject({ status: 'failed', error: `${STEALER}@1.0.0 is not in the cache and the scan is offline`, findings: [] })
    for (const name of BENIGN) expect(packageNamed(offline.report, name, '1.0.0').status).toBe('scanned')
  })

  it('--offline with an empty cache cannot fetch: every dependency failed, exit 3', async () => {
    const empty = await createSandbox()
    try {
      const run = await scanJson(join(project, 'package-lock.json'), ['--offline'], { sandbox: empty })
      expect(run.code, describeRun(run)).toBe(3)
      expect(run.report.incomplete).toBe(true)
      expect(run.report.packages.map((p) => p.status)).toEqual(['failed', 'failed', 'failed', 'failed'])
    } finally {
      await empty.dispose()
    }
  })
})

describe('a lockfile written with --omit-lockfile-registry-resolved (no resolved URLs)', () => {
  let sandbox: Sandbox
  let project: string
  let lockfile: Lockfile

  beforeAll(async () => {
    sandbox = await createSandbox()
    project = await prepareProject('stealer-app', sandbox.work, { registry: registryUrl(), resolved: false })
    lockfile = await readLockfile(project)
  })
  afterAll(() => sandbox?.dispose())

  it('has no resolved URLs, only versions and integrity', () => {
    const entries = Object.entries(lockfile.packages).filter(([l]) => l !== '')
    expect(entries).toHaveLength(4)
    for (const [, entry] of entries) {
      expect(entry.resolved).toBeUndefined()
      expect(entry.integrity).toMatch(/^sha512-/)
    }
  })

  it('fetches each package from --registry, at the tarball URL of its name and version, and finds the stealer', async () => {
    const run = await scanJson(join(project, 'package-lock.json'), [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    await expectStealerCaught(run.report)
    expectEveryLockfilePackageScanned(run.report, lockfile)
    for (const p of run.report.packages) {
      expect(p.source).toBe('registry')
      expect(p.resolved).toBeUndefined()
      expect(p.integrity).toBe(lockfile.packages[p.location]!.integrity)
    }
  })

  it('takes the registry from the project .npmrc when --registry is not given', async () => {
    await writeFile(join(project, '.npmrc'), `registry=${registryUrl()}\n`)
    const run = await scanJson(project, [], { sandbox, registry: false })
    expect(run.code, describeRun(run)).toBe(1)
    await expectStealerCaught(run.report)
  })
})

describe('integrity mismatch', () => {
  let sandbox: Sandbox
  let project: string

  beforeAll(async () => {
    sandbox = await createSandbox()
    project = await prepareProject('clean-app', sandbox.work, { registry: registryUrl(), resolved: true })
  })
  afterAll(() => sandbox?.dispose())

  it('a clean lockfile exits 0 with every package clean', async () => {
    const run = await scanJson(project, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(0)
    expectEveryLockfilePackageScanned(run.report, await readLockfile(project))
    expect(run.report.packages.every((p) => p.verdict === 'clean')).toBe(true)
    // util 2 at the top, util 1 nested under greeter (whose range is ^1).
    expect(packageNamed(run.report, 'tarsier-fixture-util', '2.0.0').location).toBe('node_modules/tarsier-fixture-util')
    expect(packageNamed(run.report, 'tarsier-fixture-util', '1.0.0').location).toBe('node_modules/tarsier-fixture-greeter/node_modules/tarsier-fixture-util')
  })

  it('a lockfile integrity that does not match the tarball is a critical finding; the other packages are still scanned; exit 1', async () => {
    const lockfile = await readLockfile(project)
    const tampered = 'node_modules/tarsier-fixture-greeter'
    const forged = sha512Integrity('not the tarball of tarsier-fixture-greeter')
    lockfile.packages[tampered]!.integrity = forged
    await writeLockfile(project, lockfile)

    // A fresh cache, so nothing is served from an earlier download.
    const fresh = await createSandbox()
    try {
      const run = await scanJson(project, [], { sandbox: fresh })
      expect(run.code, describeRun(run)).toBe(1)
      const greeter = packageNamed(run.report, 'tarsier-fixture-greeter')
      expect(greeter.status).toBe('failed')
      expect(greeter.verdict).toBe('malicious')
      expect(greeter.error).toContain(forged)
      const mismatch = findingsOf(greeter, 'integrity-mismatch')
      expect(mismatch).toHaveLength(1)
      expect(mismatch[0]!.severity).toBe('critical')
      expect(mismatch[0]!.message).toContain(forged)
      for (const p of run.report.packages.filter((x) => x.location !== tampered)) {
        expect(p.status, p.location).toBe('scanned')
        expect(p.verdict, p.location).toBe('clean')
      }
      expect(run.report.incomplete).toBe(true)
      expect(run.report.summary).toMatchObject({ packages: 4, scanned: 3, notScanned: 1, malicious: 1 })

      // The same lockfile against a cache that already holds the real tarball: still a mismatch.
      const warm = await scanJson(project, [], { sandbox })
      expect(warm.code, describeRun(warm)).toBe(1)
      expect(findingsOf(packageNamed(warm.report, 'tarsier-fixture-greeter'), 'integrity-mismatch')).toHaveLength(1)
    } finally {
      await fresh.dispose()
    }
  })
})

describe('a lockfile that names a version missing from the registry', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await createSandbox()
  })
  afterAll(() => sandbox?.dispose())

  for (const resolved of [true, false]) {
    it(`${resolved ? 'with' : 'without'} resolved URLs: that package failed, the others scanned, exit 3`, async () => {
      const project = await prepareProject('clean-app', sandbox.work, { registry: registryUrl(), resolved })
      const lockfile = await readLockfile(project)
      const location = 'node_modules/tarsier-fixture-util'
      const entry = lockfile.packages[location]!
      expect(entry.version).toBe('2.0.0')
      entry.version = '2.9.9'
      if (entry.resolved) entry.resolved = entry.resolved.replace('-2.0.0.tgz', '-2.9.9.tgz')
      delete entry.integrity
      await writeLockfile(project, lockfile)

      const run = await scanJson(join(project, 'package-lock.json'), [], { sandbox })
      expect(run.code, describeRun(run)).toBe(3)
      const missing = run.report.packages.find((p) => p.location === location)!
      expect(missing).toMatchObject({ name: 'tarsier-fixture-util', version: '2.9.9', status: 'failed' })
      expect(missing.error).toMatch(/2\.9\.9/)
      expect(missing.findings.filter((f) => ['high', 'critical'].includes(f.severity))).toEqual([])
      for (const p of run.report.packages.filter((x) => x.location !== location)) expect(p.status, p.location).toBe('scanned')
      expect(run.report).toMatchObject({ incomplete: true, summary: { packages: 3, scanned: 2, notScanned: 1 } })

      const table = await tarsier(['scan', join(project, 'package-lock.json')], { sandbox })
      expect(table.code).toBe(3)
      expect(table.stdout).toContain('Not scanned (1):')
      expect(table.stdout).toContain('tarsier-fixture-util@2.9.9')
    })
  }
})
