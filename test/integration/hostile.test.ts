import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scan } from '../../src/scan.ts'
import type { PackageResult } from '../../src/types.ts'
import { createSandbox, describeRun, findingsOf, packageNamed, registryUrl, scanJson, type Sandbox } from '../helpers/cli.ts'
import { HOSTILE_CASES, publishTarball, securityPlaceholderEntries, writeTarball, type HostileCase } from '../helpers/hostile.ts'

// Every hostile tarball is generated here (nothing large is committed) and scanned by the real CLI.
// Each carries an ordinary env stealer in index.js beside its hostile part: the scan must neither
// crash nor hang, must report the hostile part, and must still analyse the rest of the package.

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await createSandbox()
})
afterAll(() => sandbox?.dispose())

interface Expectation {
  /** `ruleId severity file? message-fragment` of findings the scan must report. */
  findings: Array<{ ruleId: string; severity: string; file?: string; message: string | RegExp }>
  /** Files the stealer must still be found in (index.js always). */
  stealerIn?: string[]
}

const EXPECTED: Record<keyof typeof HOSTILE_CASES, Expectation> = {
  traversal: { findings: [{ ruleId: 'tarball-anomaly', severity: 'high', file: 'package/../../evil.js', message: 'path-traversal: entry path climbs out of the package directory' }] },
  absolute: { findings: [{ ruleId: 'tarball-anomaly', severity: 'high', file: '/etc/evil.js', message: 'absolute-path: entry has an absolute path' }] },
  links: {
    findings: [
      { ruleId: 'tarball-anomaly', severity: 'medium', file: 'passwd.js', message: 'symlink: symbolic link to /etc/passwd' },
      { ruleId: 'tarball-anomaly', severity: 'medium', file: 'hard.js', message: 'hardlink: hard link to /etc/shadow' },
    ],
  },
  special: {
    findings: [
      { ruleId: 'tarball-anomaly', severity: 'high', file: 'pipe.js', message: 'special-file: fifo entry' },
      { ruleId: 'tarball-anomaly', severity: 'high', file: 'tty.js', message: 'special-file: character-device entry' },
    ],
  },
  duplicate: {
    findings: [{ ruleId: 'tarball-anomaly', severity: 'medium', file: 'lib.js', message: 'duplicate-entry: the tarball holds this path more than once; npm keeps the last copy' }],
    // The last copy (the stealer) is what npm installs and what is analysed.
    stealerIn: ['lib.js'],
  },
  'non-utf8-name': { findings: [{ ruleId: 'tarball-anomaly', severity: 'medium', message: 'invalid-name: entry name is not valid UTF-8' }] },
  'truncated-gzip': { findings: [{ ruleId: 'tarball-anomaly', severity: 'medium', message: /^corrupt: archive is damaged: / }] },
  'gzip-bomb': {
    findings: [
      { ruleId: 'tarball-anomaly', severity: 'high', message: 'compression-ratio: unpacks to more than 200× its compressed size (decompression bomb)' },
      { ruleId: 'tarball-anomaly', severity: 'low', file: 'zeros.bin', message: 'file-too-large: 314572800 bytes' },
    ],
  },
  'huge-minified': { findings: [{ ruleId: 'unparsed-file', severity: 'low', file: 'dist/huge.min.js', message: 'Could not parse dist/huge.min.js: file is larger than the 16 MB parse limit' }] },
  'deep-nesting': {
    findings: [
      { ruleId: 'unparsed-file', severity: 'low', file: 'deep-array.js', message: 'Could not parse deep-array.js' },
      { ruleId: 'unparsed-file', severity: 'low', file: 'deep-parens.js', message: 'Could not parse deep-parens.js' },
    ],
  },
  'install-syntax-error': { findings: [{ ruleId: 'unparsed-file', severity: 'high', file: 'install.js', message: 'The postinstall script runs this file' }] },
  'binary-js': { findings: [{ ruleId: 'unparsed-file', severity: 'low', file: 'blob.js', message: 'Could not parse blob.js' }] },
  'utf16-bom': { findings: [], stealerIn: ['wide.js'] },
  'utf8-bom': { findings: [], stealerIn: ['bom.js'] },
}

function expectHostileResult(pkg: PackageResult, hostile: HostileCase, expected: Expectation): void {
  const dump = JSON.stringify(pkg.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file ?? ''} ${f.message}`), null, 1)
  expect(pkg.status, dump).toBe('scanned')
  expect(pkg.name).toBe(hostile.pkg)
  expect(pkg.verdict, dump).toBe('malicious')
  for (const want of expected.findings) {
    const found = findingsOf(pkg, want.ruleId).some(
      (f) => f.severity === want.severity && (want.file === undefined || f.file === want.file) && (typeof want.message === 'string' ? f.message.includes(want.message) : want.message.test(f.message)),
    )
    expect(found, `${want.ruleId} ${want.severity} ${want.file ?? ''} ${String(want.message)}\nin ${dump}`).toBe(true)
  }
  const stealerFiles = findingsOf(pkg, 'env-exfiltration').map((f) => f.file)
  for (const file of ['index.js', ...(expected.stealerIn ?? [])]) expect(stealerFiles, dump).toContain(file)
  expect(findingsOf(pkg, 'env-exfiltration').every((f) => f.severity === 'critical')).toBe(true)
}

describe('hostile .tgz targets through the CLI', () => {
  for (const [id, hostile] of Object.entries(HOSTILE_CASES) as Array<[keyof typeof HOSTILE_CASES, HostileCase]>) {
    it(`${id}: no crash, the anomaly reported, the stealer beside it still found`, async () => {
      const dir = join(sandbox.work, id)
      await mkdir(dir, { recursive: true })
      const tgz = await hostile.build(dir)
      const run = await scanJson(tgz, [], { sandbox, registry: false })
      expect(run.code, describeRun(run)).toBe(1)
      expect(run.signal).toBeNull()
      expect(run.stderr, describeRun(run)).not.toContain('    at ')
      expect(run.report).toMatchObject({ targetKind: 'tarball', incomplete: false, summary: { packages: 1, scanned: 1, malicious: 1 } })
      expectHostileResult(run.report.packages[0]!, hostile, EXPECTED[id])
    })
  }
})

describe('hostile packages in a lockfile project, beside good ones', () => {
  it('each package is judged on its own: hostile ones flagged, good ones clean, the placeholder critical', async () => {
    const registry = registryUrl()
    const dir = join(sandbox.work, 'publish')
    await mkdir(dir, { recursive: true })
    const locked: Record<string, { version: string; resolved: string; integrity: string }> = {}
    for (const id of ['traversal', 'truncated-gzip', 'deep-nesting', 'links'] as const) {
      const hostile = HOSTILE_CASES[id]
      locked[hostile.pkg] = await publishTarball(registry, hostile.pkg, '1.0.0', await hostile.build(dir), { main: 'index.js' })
    }
    const placeholderName = 'tarsier-hostile-removed'
    const placeholder = await writeTarball(join(dir, 'placeholder.tgz'), securityPlaceholderEntries(placeholderName))
    locked[placeholderName] = await publishTarball(registry, placeholderName, '0.0.1-security', placeholder, { description: 'security holding package' })
    const packument = (await (await fetch(`${registry.replace(/\/?$/, '/')}tarsier-fixture-util`)).json()) as { versions: Record<string, { dist: { tarball: string; integrity: string } }> }
    const util = packument.versions['2.0.0']!.dist
    locked['tarsier-fixture-util'] = { version: '2.0.0', resolved: util.tarball, integrity: util.integrity }

    const project = join(sandbox.work, 'mixed-app')
    await mkdir(project, { recursive: true })
    const dependencies = Object.fromEntries(Object.entries(locked).map(([name, entry]) => [name, entry.version]))
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'mixed-app', version: '1.0.0', dependencies }, null, 2))
    const packages: Record<string, unknown> = { '': { name: 'mixed-app', version: '1.0.0', dependencies } }
    for (const [name, entry] of Object.entries(locked)) packages[`node_modules/${name}`] = entry
    await writeFile(join(project, 'package-lock.json'), JSON.stringify({ name: 'mixed-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2))

    const run = await scanJson(project, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const { report } = run
    expect(report.incomplete, describeRun(run)).toBe(false)
    expect(report.summary).toMatchObject({ packages: 7, scanned: 7 })
    for (const id of ['traversal', 'truncated-gzip', 'deep-nesting', 'links'] as const) {
      expectHostileResult(packageNamed(report, HOSTILE_CASES[id].pkg), HOSTILE_CASES[id], EXPECTED[id])
    }
    const removed = packageNamed(report, placeholderName)
    expect(removed.verdict).toBe('malicious')
    expect(findingsOf(removed, 'security-placeholder')[0]).toMatchObject({ severity: 'critical', file: 'package.json' })
    expect(packageNamed(report, 'tarsier-fixture-util')).toMatchObject({ version: '2.0.0', status: 'scanned', verdict: 'clean', findings: [] })
    expect(packageNamed(report, 'mixed-app')).toMatchObject({ status: 'scanned', verdict: 'clean' })
  })
})

describe('the worker memory budget holds on hostile files (in-process API)', () => {
  it('deep nesting and a 50 MB minified line with 256 MB per worker: scanned, not crashed', async () => {
    const dir = join(sandbox.work, 'budget')
    await mkdir(dir, { recursive: true })
    for (const id of ['deep-nesting', 'huge-minified'] as const) {
      const hostile = HOSTILE_CASES[id]
      const report = await scan({ target: await hostile.build(dir), cacheDir: sandbox.cache, threads: 1, resultCache: false, budget: { workerMemoryMb: 256 } })
      expect(report.summary).toMatchObject({ packages: 1, scanned: 1 })
      expectHostileResult(report.packages[0]!, hostile, EXPECTED[id])
    }
  })
})
