import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { rules } from '../../rules/index.ts'
import { readDirectory } from '../../src/fetch/directory-reader.ts'
import { DEFAULT_LIMITS } from '../../src/fetch/limits.ts'
import { analyzeCase } from '../../src/rule-tester/index.ts'
import { formatJson } from '../../src/report/json.ts'
import { formatTable } from '../../src/report/table.ts'
import { scan } from '../../src/scan.ts'
import type { Finding, PackageResult, RunTrigger, ScanReport } from '../../src/types.ts'
import { repoFixture, repoFixtureNames } from '../helpers/repo-fixture.ts'

/**
 * Repositories as a fake-interview victim receives them (fixtures/repos): `lure-*` are written from
 * the behaviour catalogue (shared research, campaign.md §b.5 and fixture ideas 7, 9, 22, 23) with
 * `.invalid` hosts and TEST-NET addresses; `benign-*` are ordinary projects of the same shapes.
 * Each is copied to a temporary directory (its `_git-hooks/` moved to `.git/hooks/`) and scanned
 * as a project, the way `tarsier scan <dir>` does, without its dependency tree.
 */
async function scanRepo(name: string): Promise<{ report: ScanReport; root: PackageResult }> {
  const { dir, remove } = await repoFixture(name)
  try {
    const report = await scan({ target: dir, rootOnly: true, rules, cacheDir: join(tmpdir(), 'tarsier-test-cache') })
    const root = report.packages.find((p) => p.source === 'root')!
    expect(root.error, root.error).toBeUndefined()
    return { report, root }
  } finally {
    await remove()
  }
}

const summary = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.ruleId} ${f.file ?? ''}:${f.line ?? ''} [${f.runs ?? '-'}] ${f.message}`).join('\n')

/** The finding that makes each lure malicious: which rule, in which file, and when it runs. */
const LURES: Record<string, Array<{ ruleId: string; file: string | RegExp; runs: RunTrigger }>> = {
  'lure-env-loader': [
    { ruleId: 'env-file-payload', file: 'server/utils/settings.js', runs: 'npm-script:start' },
    { ruleId: 'remote-code-execution', file: 'server/utils/settings.js', runs: 'npm-script:start' },
  ],
  'lure-svg-loader': [{ ruleId: 'steganography', file: 'server/assetCheck.js', runs: 'npm-script:dev' }],
  'lure-vscode-autorun': [
    { ruleId: 'remote-code-execution', file: 'scripts/check-env.js', runs: 'folder-open' },
    { ruleId: 'ide-autorun-task', file: '.vscode/tasks.json', runs: 'folder-open' },
  ],
  'lure-git-hook': [
    { ruleId: 'dynamic-code-execution', file: /^\.git\/hooks\/post-checkout#/, runs: 'git-hook:post-checkout' },
    { ruleId: 'repository-autorun', file: '.git/hooks/post-merge', runs: 'git-hook:post-merge' },
  ],
  'lure-concurrently-dev': [{ ruleId: 'remote-code-execution', file: 'server/middleware/errorHandler.js', runs: 'npm-script:dev' }],
  'lure-config-loader': [{ ruleId: 'remote-code-execution', file: 'tailwind.config.cjs', runs: 'npm-script:dev' }],
}

describe('repository fixtures', async () => {
  const names = await repoFixtureNames()

  it('has the lures and benign look-alikes of the catalogue', () => {
    expect(names.filter((n) => n.startsWith('lure-')).sort()).toEqual(Object.keys(LURES).sort())
    expect(names.filter((n) => n.startsWith('benign-')).length).toBeGreaterThanOrEqual(4)
  })

  for (const name of names.filter((n) => n.startsWith('lure-'))) {
    it(`${name} is malicious, and says when it runs`, async () => {
      const { root } = await scanRepo(name)
      expect(root.verdict, summary(root.findings)).toBe('malicious')
      for (const expected of LURES[name] ?? []) {
        const match = root.findings.find((f) => f.ruleId === expected.ruleId && (typeof expected.file === 'string' ? f.file === expected.file : expected.file.test(f.file ?? '')))
        expect(match, `${expected.ruleId} in ${expected.file}\n${summary(root.findings)}`).toBeDefined()
        expect(match!.runs).toBe(expected.runs)
        expect(['high', 'critical']).toContain(match!.severity)
      }
    })
  }

  for (const name of names.filter((n) => n.startsWith('benign-'))) {
    it(`${name} is clean`, async () => {
      const { root } = await scanRepo(name)
      expect(root.verdict, summary(root.findings)).toBe('clean')
      expect(root.findings.filter((f) => f.severity !== 'low' && f.severity !== 'info'), summary(root.findings)).toEqual([])
    })
  }

  it('moves the committed _git-hooks into .git/hooks, where the scanner reads them', async () => {
    const { dir, remove } = await repoFixture('benign-husky-repo')
    try {
      const paths = [...(await readDirectory(dir, DEFAULT_LIMITS, { gitHooks: true })).files.keys()]
      expect(paths).toEqual(expect.arrayContaining(['.git/hooks/pre-push', '.git/hooks/post-merge', '.husky/pre-commit']))
      expect(paths.some((p) => p.startsWith('_git-hooks'))).toBe(false)
    } finally {
      await remove()
    }
  })

  it('judges the same files in a dependency without project triggers', async () => {
    // A package is not a repository someone was asked to run: no runs, no hooks, no npm scripts.
    const { findings } = await analyzeCase({ fixture: 'fixtures/repos/lure-concurrently-dev' }, rules)
    expect(findings.every((f) => f.runs === undefined)).toBe(true)
    expect(findings.some((f) => f.ruleId === 'repository-autorun')).toBe(false)
  })

  it('the table puts the repository first with a "When it runs" column; the JSON has runs', async () => {
    const { report } = await scanRepo('lure-vscode-autorun')
    const table = formatTable(report, { color: false, width: 200, minSeverity: 'low' })
    expect(table.indexOf("This repository's own code")).toBe(0)
    expect(table).toContain('When it runs')
    expect(table).toContain('as soon as the folder is opened in VS Code')
    const json = JSON.parse(formatJson(report)) as ScanReport
    const root = json.packages.find((p) => p.source === 'root')!
    expect(root.findings.find((f) => f.ruleId === 'remote-code-execution')?.runs).toBe('folder-open')
  })
})
