/**
 * tarsier.config.json through the CLI: suppressions and rule settings applied to real scans, read
 * from the base commit in a diff, refused with exit 2 when invalid; SARIF and Markdown from the CLI.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, describeRun, packageNamed, registryUrl, tarsier, type Sandbox } from '../helpers/cli.ts'
import { baseAndHeadRepo, type BaseAndHead } from '../helpers/git-repo.ts'
import { githubSarifProblems, sarifSchemaErrors } from '../helpers/sarif-schema.ts'
import type { ScanReport } from '../../src/types.ts'

const STEALER = 'tarsier-fixture-env-stealer'
let sandbox: Sandbox
let pr: BaseAndHead

const suppressStealer = (expires?: string) => ({
  suppressions: [{ rule: 'env-exfiltration', package: STEALER, version: '1.0.0', reason: 'fixture under test', ...(expires && { expires }) }],
})

beforeAll(async () => {
  sandbox = await createSandbox()
  // The base already accepts the stealer's env-exfiltration finding; the head adds the stealer.
  pr = await baseAndHeadRepo(sandbox, {
    registry: registryUrl(),
    project: 'clean-app',
    addDependencies: { 'tarsier-fixture-toolkit': '^1.0.0' },
    baseFiles: { 'tarsier.config.json': JSON.stringify(suppressStealer()) },
  })
}, 180_000)
afterAll(() => sandbox?.dispose())

async function json(args: string[]): Promise<{ code: number; report: ScanReport; stderr: string }> {
  const run = await tarsier([...args, '--format', 'json'], { sandbox })
  try {
    return { code: run.code, report: JSON.parse(run.stdout) as ScanReport, stderr: run.stderr }
  } catch {
    throw new Error(describeRun(run))
  }
}

describe('tarsier.config.json', () => {
  it('in a diff, the base commit’s suppression applies: the finding moves to suppressed with its reason', async () => {
    const { report } = await json(['diff', pr.repo, '--base', 'HEAD~1'])
    const stealer = packageNamed(report, STEALER)
    expect(stealer.findings.some((f) => f.ruleId === 'env-exfiltration')).toBe(false)
    expect(stealer.suppressed?.map((f) => [f.ruleId, f.suppression.reason])).toContainEqual(['env-exfiltration', 'fixture under test'])
    expect(report.config).toMatchObject({ path: 'tarsier.config.json', readFrom: expect.stringMatching(/^HEAD~1 \([0-9a-f]{12}\)$/), suppressions: { applied: 1, expired: 0, unused: 0 } })
  })

  it('in a diff, a working-tree edit of the configuration is not applied', async () => {
    await writeFile(join(pr.repo, 'tarsier.config.json'), JSON.stringify({ rules: { 'install-script': 'off', 'env-exfiltration': 'off' } }))
    try {
      const { report } = await json(['diff', pr.repo, '--base', 'HEAD~1'])
      expect(report.config?.rules).toEqual({})
      expect(report.warnings.join('\n')).toContain('differs from its version at HEAD~1')
    } finally {
      await pr.git(['checkout', '--', 'tarsier.config.json'])
    }
  })

  it('scan: an expired suppression no longer applies and is reported, in JSON and in the table', async () => {
    const config = join(sandbox.work, 'expired.json')
    await writeFile(config, JSON.stringify(suppressStealer('2020-01-31')))
    const { code, report } = await json(['scan', pr.repo, '--config', config])
    expect(code).toBe(1)
    expect(packageNamed(report, STEALER).findings.some((f) => f.ruleId === 'env-exfiltration')).toBe(true)
    expect(report.warnings).toContain(`suppression of env-exfiltration for ${STEALER}@1.0.0 in ${config} expired on 2020-01-31: its findings are reported again`)
    const table = await tarsier(['scan', pr.repo, '--config', config], { sandbox })
    expect(table.stdout).toContain('expired on 2020-01-31')
  })

  it('scan: an invalid configuration stops before any download, exit 2, naming each problem', async () => {
    const config = join(sandbox.work, 'invalid.json')
    await writeFile(config, JSON.stringify({ rules: { 'no-such-rule': 'off' }, suppressions: [{ rule: 'env-exfiltration', package: STEALER, version: '1.0.0' }] }))
    const run = await tarsier(['scan', pr.repo, '--config', config], { sandbox })
    expect(run.code, describeRun(run)).toBe(2)
    expect(run.stderr).toContain("/suppressions/0: must have required property 'reason'")
    expect(run.stderr).toContain('/rules/no-such-rule: no rule is named no-such-rule')
  })

  it('--format sarif and --format markdown from the CLI', async () => {
    const sarif = await tarsier(['diff', pr.repo, '--base', 'HEAD~1', '--no-config', '--format', 'sarif'], { sandbox })
    expect(sarif.code, describeRun(sarif)).toBe(1)
    const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }
    expect(sarifSchemaErrors(log)).toEqual([])
    expect(githubSarifProblems(log as never)).toEqual([])
    expect(log.runs[0]!.results.find((r) => r.ruleId === 'env-exfiltration')!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('package-lock.json')
    const md = await tarsier(['diff', pr.repo, '--base', 'HEAD~1', '--no-config', '--format', 'markdown'], { sandbox })
    expect(md.stdout).toMatch(/^## Tarsier: 1 malicious in 2 added or changed packages/)
    expect(md.stdout).toContain(`| \`${STEALER}@1.0.0\` | added | 🔴 **malicious** |`)
  })
})
