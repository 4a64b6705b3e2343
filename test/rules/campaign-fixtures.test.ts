import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rules } from '../../rules/index.ts'
import { correlatePackages } from '../../src/analyze/correlate.ts'
import { verdictOf } from '../../src/analyze/verdict.ts'
import { analyzeCase } from '../../src/rule-tester/index.ts'
import type { Finding, PackageResult, Verdict } from '../../src/types.ts'

/**
 * Package-shaped fixtures written from the behaviour catalogue (shared research, campaign.md §d):
 * `m*` are malicious-shaped and must be `malicious`; `b*` are benign look-alikes of popular packages
 * and must not be. Every host is `.invalid` or a TEST-NET address.
 */
const DIR = 'fixtures/rules/campaign'
const cases = readdirSync(new URL(`../../${DIR}/`, import.meta.url)).sort()

async function verdictFor(name: string): Promise<{ verdict: Verdict; findings: Finding[] }> {
  const { findings, errors } = await analyzeCase({ fixture: `${DIR}/${name}` }, rules)
  expect(errors).toEqual([])
  return { verdict: verdictOf(findings), findings }
}

const summary = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.ruleId} ${f.file ?? ''}:${f.line ?? ''} ${f.message}`).join('\n')

/** The most severe finding a benign look-alike may have (a reviewer's note, not a verdict). */
const BENIGN_CEILING: Record<string, Verdict> = {}

describe('campaign fixtures', () => {
  it('has every fixture of the catalogue', () => {
    expect(cases.filter((c) => c.startsWith('m')).length).toBeGreaterThanOrEqual(25)
    expect(cases.filter((c) => c.startsWith('b')).length).toBeGreaterThanOrEqual(18)
  })
  for (const name of cases.filter((c) => c.startsWith('m'))) {
    it(`${name} is malicious`, async () => {
      const { verdict, findings } = await verdictFor(name)
      expect(verdict, summary(findings)).toBe('malicious')
    })
  }
  for (const name of cases.filter((c) => c.startsWith('b'))) {
    it(`${name} is not malicious`, async () => {
      const { verdict, findings } = await verdictFor(name)
      expect(verdict, summary(findings)).not.toBe('malicious')
      if (BENIGN_CEILING[name] === 'clean') expect(verdict, summary(findings)).toBe('clean')
    })
  }
  it('b43 self-signed local dev only gets a low-severity note', async () => {
    const { findings } = await verdictFor('b43-self-signed-local-dev')
    expect(findings.every((f) => f.severity === 'low' || f.severity === 'info'), summary(findings)).toBe(true)
  })
})

describe('paired-package hand-off', () => {
  const result = (name: string, findings: Finding[]): PackageResult => ({
    name,
    version: '1.0.0',
    location: `node_modules/${name}`,
    source: 'registry',
    dev: false,
    optional: false,
    status: 'scanned',
    verdict: verdictOf(findings),
    findings,
    stats: { files: 1, jsFiles: 1, bytes: 1 },
  })
  it('links the stage-1 writer and the stage-2 reader of ~/.vscode/jsontoken', async () => {
    const stage1 = result('stage-one', (await verdictFor('m01-paired-stage1')).findings)
    const stage2 = result('stage-two', (await verdictFor('m02-paired-stage2')).findings)
    const bystander = result('bystander', (await verdictFor('b29-dotenv-loader')).findings)
    correlatePackages([stage1, stage2, bystander])
    for (const r of [stage1, stage2]) {
      expect(r.findings.some((f) => f.ruleId === 'paired-package-handoff' && f.severity === 'critical'), summary(r.findings)).toBe(true)
      expect(r.verdict).toBe('malicious')
    }
    expect(bystander.findings.some((f) => f.ruleId === 'paired-package-handoff')).toBe(false)
  })
})
