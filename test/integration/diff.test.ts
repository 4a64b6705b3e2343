/**
 * `tarsier diff` on a git repository with a base and a head commit: only what the head's lockfile
 * adds or changes is scanned, every change is listed, the base is read from git without a
 * checkout, and no git hook or repository-configured program runs.
 */
import { chmod, copyFile, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, describeRun, findingsOf, packageNamed, registryUrl, scanJson, tarsier, type Sandbox } from '../helpers/cli.ts'
import { listDir, prepareProject, readLockfile, sha512Integrity, snapshotTree, writeLockfile } from '../helpers/fixtures.ts'
import { baseAndHeadRepo, gitIn } from '../helpers/git-repo.ts'
import type { ScanReport } from '../../src/types.ts'

const STEALER = 'tarsier-fixture-env-stealer'
const TOOLKIT = 'tarsier-fixture-toolkit'

let sandbox: Sandbox
let repo: string
let baseLockfile: string

function git(args: string[]): Promise<string> {
  return gitIn(repo, sandbox.home, args)
}

/** `tarsier diff <repo> … --format json`, parsed. */
async function diff(args: string[], path = repo) {
  const result = await tarsier(['diff', path, '--format', 'json', ...args], { sandbox })
  let report
  try {
    report = JSON.parse(result.stdout)
  } catch {
    throw new Error(`no JSON report:\n${describeRun(result)}`)
  }
  return { ...result, report: report as ScanReport }
}

beforeAll(async () => {
  sandbox = await createSandbox()
  // Base: a clean project. Head: the same project with a toolkit that brings the env stealer.
  ;({ repo } = await baseAndHeadRepo(sandbox, { registry: registryUrl(), project: 'clean-app', addDependencies: { [TOOLKIT]: '^1.0.0' } }))
  baseLockfile = join(sandbox.work, 'base-package-lock.json')
  await writeFile(baseLockfile, await git(['cat-file', 'blob', 'HEAD~1:package-lock.json']))
})
afterAll(() => sandbox?.dispose())

describe('tarsier diff --base <git-ref>', () => {
  it('scans only the packages the head adds, lists each change, and fails on the stealer', async () => {
    const run = await diff(['--base', 'HEAD~1'])
    expect(run.code, describeRun(run)).toBe(1)
    const { report } = run
    expect(report.diff?.base).toMatch(/^HEAD~1 \([0-9a-f]{12}\)$/)
    expect(report.diff?.changes.map((c) => `${c.kind} ${c.name}@${c.version}`).sort()).toEqual([`added ${STEALER}@1.0.0`, `added ${TOOLKIT}@1.0.0`])
    expect(report.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual([`${STEALER}@1.0.0`, `${TOOLKIT}@1.0.0`])
    expect(packageNamed(report, STEALER)).toMatchObject({ verdict: 'malicious', change: { kind: 'added' } })
    expect(findingsOf(packageNamed(report, STEALER), 'env-exfiltration')[0]).toMatchObject({ severity: 'critical', file: 'steal.js' })
  })

  it("a change cannot bring its own registry: the base's .npmrc is used, so an injected host is still flagged", async () => {
    const lockfilePath = join(repo, 'package-lock.json')
    const original = await readFile(lockfilePath, 'utf8')
    const lockfile = JSON.parse(original) as { packages: Record<string, { resolved?: string }> }
    const toolkit = lockfile.packages[`node_modules/${TOOLKIT}`]!
    toolkit.resolved = toolkit.resolved!.replace(new URL(registryUrl()).host, 'npm.attacker.example.invalid')
    await writeFile(lockfilePath, JSON.stringify(lockfile, null, 2))
    await writeFile(join(repo, '.npmrc'), 'registry=https://npm.attacker.example.invalid/\n')
    try {
      const run = await diff(['--base', 'HEAD~1', '--fetch-retries', '0'])
      expect(run.report.warnings.join('\n')).toContain('.npmrc differs from HEAD~1')
      expect(findingsOf(packageNamed(run.report, TOOLKIT), 'lockfile-injection')[0]).toMatchObject({ severity: 'high' })
    } finally {
      await writeFile(lockfilePath, original)
      await rm(join(repo, '.npmrc'))
    }
  })

  it('the table lists the changes before the findings', async () => {
    const table = await tarsier(['diff', repo, '--base', 'HEAD~1'], { sandbox })
    expect(table.code).toBe(1)
    expect(table.stdout).toMatch(/Changes against HEAD~1 \([0-9a-f]{12}\) \(2;/)
    expect(table.stdout).toMatch(new RegExp(`added +${STEALER}@1\\.0\\.0`))
    expect(table.stdout.indexOf('Changes against')).toBeLessThan(table.stdout.indexOf('MALICIOUS'))
  })

  it('a base equal to the head: nothing changed, nothing scanned, exit 0', async () => {
    const run = await diff(['--base', 'HEAD'])
    expect(run.code, describeRun(run)).toBe(0)
    expect(run.report.diff?.changes).toEqual([])
    expect(run.report.packages).toEqual([])
  })

  it('reversed (the head as base): the toolkit and stealer are removed, nothing is scanned', async () => {
    await git(['branch', '-f', 'with-toolkit', 'HEAD'])
    await git(['checkout', '-q', 'HEAD~1'])
    try {
      const run = await diff(['--base', 'with-toolkit'])
      expect(run.code, describeRun(run)).toBe(0)
      expect(run.report.diff?.changes.map((c) => `${c.kind} ${c.name}`).sort()).toEqual([`removed ${STEALER}`, `removed ${TOOLKIT}`])
      expect(run.report.packages).toEqual([])
    } finally {
      await git(['checkout', '-q', 'main'])
    }
  })

  it('reads the base from git without touching the working tree, and runs no hook or configured program', async () => {
    const marker = join(sandbox.markers, 'git-program-ran')
    const hook = `#!/bin/sh\ntouch ${JSON.stringify(marker)}\n`
    for (const name of ['post-checkout', 'pre-commit', 'post-merge', 'reference-transaction']) {
      await writeFile(join(repo, '.git', 'hooks', name), hook)
      await chmod(join(repo, '.git', 'hooks', name), 0o755)
    }
    await writeFile(join(sandbox.work, 'fsmonitor.sh'), hook)
    await chmod(join(sandbox.work, 'fsmonitor.sh'), 0o755)
    await git(['config', 'core.fsmonitor', join(sandbox.work, 'fsmonitor.sh')])
    await git(['config', 'core.pager', join(sandbox.work, 'fsmonitor.sh')])
    try {
      const head = await git(['rev-parse', 'HEAD'])
      const before = (await snapshotTree(repo)).filter((e) => !e.path.startsWith('.git'))
      const run = await diff(['--base', 'HEAD~1'])
      expect(run.code, describeRun(run)).toBe(1)
      expect(await listDir(sandbox.markers)).toEqual([])
      expect((await snapshotTree(repo)).filter((e) => !e.path.startsWith('.git'))).toEqual(before)
      expect(await git(['rev-parse', 'HEAD'])).toBe(head)
    } finally {
      await git(['config', '--unset', 'core.fsmonitor'])
      await git(['config', '--unset', 'core.pager'])
    }
  })

  it('a base without the lockfile: every package is new', async () => {
    const first = await git(['rev-list', '--max-parents=0', 'HEAD'])
    await git(['checkout', '-q', '--orphan', 'empty-base'])
    await git(['rm', '-q', '-r', '--cached', '.'])
    await git(['commit', '-q', '--allow-empty', '-m', 'empty'])
    const empty = await git(['rev-parse', 'HEAD'])
    await git(['checkout', '-q', '-f', 'main'])
    expect(first).not.toBe(empty)
    const run = await diff(['--base', empty])
    expect(run.code, describeRun(run)).toBe(1)
    expect(run.report.warnings.join('\n')).toContain('package-lock.json does not exist at')
    expect(run.report.diff?.changes.every((c) => c.kind === 'added')).toBe(true)
    const locked = Object.keys((await readLockfile(repo)).packages).filter((location) => location !== '')
    expect(run.report.packages.map((p) => p.location).sort()).toEqual(locked.sort())
  })

  it('an unknown ref, or a directory outside git: a usage error, exit 2', async () => {
    const unknown = await tarsier(['diff', repo, '--base', 'no-such-branch'], { sandbox })
    expect(unknown.code, describeRun(unknown)).toBe(2)
    expect(unknown.stderr).toContain('no-such-branch: no such commit')
    const outside = await tarsier(['diff', sandbox.work, '--base', 'main'], { sandbox })
    expect(outside.code, describeRun(outside)).toBe(2)
    const both = await tarsier(['diff', repo], { sandbox })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--base <git-ref> or --base-lockfile <file>')
  })
})

describe('tarsier diff --base-lockfile', () => {
  it('a version whose integrity changed is critical and scanned; a host change is reported', async () => {
    const edited = await prepareProject('clean-app', sandbox.work)
    await copyFile(join(repo, 'package-lock.json'), join(edited, 'package-lock.json'))
    const lockfile = await readLockfile(edited)
    const base = await readLockfile(repo)
    // Start from the head lockfile, then tamper with two entries that exist in the base too.
    const greeter = lockfile.packages['node_modules/tarsier-fixture-greeter']!
    greeter.integrity = sha512Integrity('other bytes')
    const util = lockfile.packages['node_modules/tarsier-fixture-util']!
    util.resolved = util.resolved!.replace(new URL(registryUrl()).host, 'mirror.example.invalid')
    await writeLockfile(edited, lockfile)
    expect(base.packages['node_modules/tarsier-fixture-greeter']!.integrity).not.toBe(greeter.integrity)

    const run = await diff(['--base-lockfile', baseLockfile], edited)
    expect(run.code, describeRun(run)).toBe(1)
    const kinds = Object.fromEntries(run.report.diff!.changes.map((c) => [`${c.name}@${c.version}`, c.kind]))
    expect(kinds).toMatchObject({ 'tarsier-fixture-greeter@1.0.0': 'integrity-changed', 'tarsier-fixture-util@2.0.0': 'resolved-host-changed', [`${TOOLKIT}@1.0.0`]: 'added' })
    const greeterResult = packageNamed(run.report, 'tarsier-fixture-greeter')
    expect(findingsOf(greeterResult, 'integrity-changed')[0]).toMatchObject({ severity: 'critical' })
    expect(findingsOf(greeterResult, 'integrity-mismatch')[0]).toMatchObject({ severity: 'critical' })
    const utilResult = packageNamed(run.report, 'tarsier-fixture-util', '2.0.0')
    expect(findingsOf(utilResult, 'resolved-host-changed')[0]).toMatchObject({ severity: 'medium' })
    expect(findingsOf(utilResult, 'lockfile-injection')[0]).toMatchObject({ severity: 'high' })
    // The nested util@1.0.0 is unchanged: not scanned.
    expect(run.report.packages.some((p) => p.name === 'tarsier-fixture-util' && p.version === '1.0.0')).toBe(false)
  })
})

describe('lockfile integrity rules in a full scan', () => {
  it('a lockfile entry resolved from an unconfigured host is flagged high', async () => {
    const project = await prepareProject('clean-app', sandbox.work, { registry: registryUrl(), resolved: true })
    const lockfile = await readLockfile(project)
    const entry = lockfile.packages['node_modules/tarsier-fixture-greeter']!
    entry.resolved = entry.resolved!.replace(new URL(registryUrl()).host, 'npm.attacker.example.invalid')
    await writeLockfile(project, lockfile)
    const run = await scanJson(join(project, 'package-lock.json'), [], { sandbox })
    const greeter = packageNamed(run.report, 'tarsier-fixture-greeter')
    expect(findingsOf(greeter, 'lockfile-injection')[0]).toMatchObject({ severity: 'high' })
    expect(greeter.findings.find((f) => f.ruleId === 'lockfile-injection')!.message).toContain('npm.attacker.example.invalid')
  })
})
