/**
 * SAFETY: Tarsier reads packages, it never runs them. The fixture tarsier-fixture-safety writes
 * marker-<hook> into $TARSIER_MARKER_DIR (else the temp dir) from every lifecycle script, its
 * main module and its bin. It is scanned every way Tarsier can scan a package; after each scan
 * no marker exists, and nothing was written outside the cache: not in the project, the fixture
 * directory, HOME or TMPDIR.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/types.ts'
import { createSandbox, describeRun, registryUrl, scanJson, type CliResult, type Sandbox } from '../helpers/cli.ts'
import { FIXTURES_DIR, copyIntoNodeModules, generateLockfile, listDir, packFixture, packageDir, prepareProject, snapshotTree, type TreeEntry } from '../helpers/fixtures.ts'
import { isolatedEnv, run } from '../helpers/process.ts'

const SAFETY = 'tarsier-fixture-safety'
const HOOKS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack', 'prepublishOnly', 'publish', 'postpublish']

let fixturesBefore: TreeEntry[]
beforeAll(async () => {
  fixturesBefore = await snapshotTree(FIXTURES_DIR)
})
afterAll(async () => {
  // Not one file of fixtures/ was added, removed or touched by any scan of this file.
  expect(await snapshotTree(FIXTURES_DIR)).toEqual(fixturesBefore)
})

describe('the safety fixture really leaves markers when its code runs (control)', () => {
  it('every hook, the main module and the bin write their marker', async () => {
    const sandbox = await createSandbox()
    try {
      const copy = join(sandbox.work, 'safety-copy')
      await cp(packageDir(SAFETY), copy, { recursive: true })
      const manifest = JSON.parse(await readFile(join(copy, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string; bin: Record<string, string> }
      expect(Object.keys(manifest.scripts).sort()).toEqual([...HOOKS].sort())
      const env = isolatedEnv(sandbox.home, { TARSIER_MARKER_DIR: sandbox.markers, TMPDIR: sandbox.tmp })
      for (const [hook, command] of Object.entries(manifest.scripts)) {
        // Each script is `node hook.js <hook>`: run it the same way, with the node running the tests.
        expect(command).toBe(`node hook.js ${hook}`)
        expect((await run(process.execPath, ['hook.js', hook], { cwd: copy, env })).code).toBe(0)
      }
      expect((await run(process.execPath, ['-e', `require(${JSON.stringify(copy)})`], { cwd: sandbox.work, env })).code).toBe(0)
      expect((await run(process.execPath, [join(copy, manifest.bin[SAFETY]!)], { cwd: sandbox.work, env })).code).toBe(0)
      expect(await listDir(sandbox.markers)).toEqual([...HOOKS, 'main', 'bin'].map((h) => `marker-${h}`).sort())
    } finally {
      await sandbox.dispose()
    }
  })
})

describe('scanning the safety fixture never runs it', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await createSandbox()
  })
  afterAll(() => sandbox?.dispose())

  /** Runs the scan and checks: a report, the safety package scanned, no marker, no file written outside the cache. */
  async function scanSafely(target: string, args: string[], watched: string[]): Promise<CliResult & { report: ScanReport }> {
    const before = await Promise.all(watched.map((d) => snapshotTree(d)))
    const result = await scanJson(target, args, { sandbox })
    expect([0, 1], describeRun(result)).toContain(result.code)
    const safety = result.report.packages.find((p) => p.name === SAFETY)
    expect(safety, describeRun(result)).toBeDefined()
    expect(safety!.status).toBe('scanned')
    expect(safety!.stats.files).toBeGreaterThanOrEqual(4)
    expect(await listDir(sandbox.markers), 'no marker file: nothing of the package ran').toEqual([])
    expect(await listDir(sandbox.tmp), 'TMPDIR is left empty (and holds no marker)').toEqual([])
    expect(await listDir(sandbox.home), 'nothing is written to HOME').toEqual([])
    expect(await listDir(sandbox.cwd), 'nothing is written to the working directory').toEqual([])
    const after = await Promise.all(watched.map((d) => snapshotTree(d)))
    expect(after, 'the scanned directories are unchanged').toEqual(before)
    return result
  }

  it('in a project lockfile', async () => {
    const project = await prepareProject('safety-app', sandbox.work, { registry: registryUrl(), resolved: true })
    const { report } = await scanSafely(project, [], [project])
    expect(report.targetKind).toBe('lockfile')
    expect(report.packages.map((p) => p.name).sort()).toEqual(['safety-app', 'tarsier-fixture-greeter', SAFETY, 'tarsier-fixture-util'].sort())
    expect(await listDir(project)).toEqual(['package-lock.json', 'package.json'])
  })

  it('in a lockfile without resolved URLs', async () => {
    const project = await prepareProject('safety-app', sandbox.work, { registry: registryUrl(), resolved: false })
    await scanSafely(join(project, 'package-lock.json'), [], [project])
  })

  it('as a .tgz', async () => {
    const dir = join(sandbox.work, 'tgz')
    await mkdir(dir)
    const tgz = await packFixture(SAFETY, dir)
    const { report } = await scanSafely(tgz, [], [dir])
    expect(report.targetKind).toBe('tarball')
  })

  it('as a registry spec', async () => {
    const { report } = await scanSafely(`${SAFETY}@1.0.0`, [], [])
    expect(report.targetKind).toBe('registry-spec')
  })

  it('as a bare package.json (ideal tree)', async () => {
    const project = await prepareProject('safety-app', sandbox.work)
    const { report } = await scanSafely(join(project, 'package.json'), [], [project])
    expect(report.targetKind).toBe('package.json')
    expect(await listDir(project)).toEqual(['package.json'])
  })

  it('in node_modules (copied there, not installed)', async () => {
    const project = await prepareProject('safety-app', sandbox.work)
    await copyIntoNodeModules(project, { [SAFETY]: SAFETY, 'tarsier-fixture-greeter': 'tarsier-fixture-greeter', 'tarsier-fixture-util': 'tarsier-fixture-util' })
    const { report } = await scanSafely(project, [], [project])
    expect(report.targetKind).toBe('node_modules')
  })

  it('its own directory as a project, with --no-dependencies', async () => {
    const { report } = await scanSafely(packageDir(SAFETY), ['--no-dependencies'], [packageDir(SAFETY)])
    expect(report.targetKind).toBe('package-directory')
    expect(report.packages).toHaveLength(1)
    expect(report.packages[0]).toMatchObject({ name: SAFETY, source: 'root', location: '' })
  })

  it('its own directory as a project, with its dependency tree (none: resolved from package.json)', async () => {
    const copy = join(sandbox.work, 'safety-dir')
    await cp(packageDir(SAFETY), copy, { recursive: true })
    const { report } = await scanSafely(copy, [], [copy])
    expect(report.packages.map((p) => p.name)).toEqual([SAFETY])
  })

  it('as file: dependencies (a local .tgz and a linked directory), with --allow-non-registry', async () => {
    const root = join(sandbox.work, 'local')
    await mkdir(join(root, 'app'), { recursive: true })
    const tgz = await packFixture(SAFETY, root)
    await cp(packageDir(SAFETY), join(root, 'safety-copy'), { recursive: true })
    await writeFile(
      join(root, 'app', 'package.json'),
      JSON.stringify({ name: 'local-app', version: '1.0.0', private: true, dependencies: { [SAFETY]: `file:../${tgz.slice(root.length + 1)}`, 'safety-linked': 'file:../safety-copy' } }, null, 2),
    )
    await generateLockfile(join(root, 'app'), { registry: registryUrl(), resolved: true })
    const watched = [join(root, 'app'), join(root, 'safety-copy')]

    const plain = await scanSafely(join(root, 'app'), [], watched)
    const fromTgz = plain.report.packages.find((p) => p.location === `node_modules/${SAFETY}`)
    expect(fromTgz).toMatchObject({ source: 'file', status: 'not-fetched' })
    expect(fromTgz!.findings.map((f) => [f.ruleId, f.severity])).toContainEqual(['non-registry-dependency', 'high'])
    expect(plain.code).toBe(1)
    // A linked directory is read from disk (reading runs nothing).
    expect(plain.report.packages.find((p) => p.location === 'node_modules/safety-linked')).toMatchObject({ source: 'link', status: 'scanned' })

    const all = await scanSafely(join(root, 'app'), ['--allow-non-registry'], watched)
    expect(all.report.packages.find((p) => p.location === `node_modules/${SAFETY}`)).toMatchObject({ source: 'file', status: 'scanned' })
  })
})
