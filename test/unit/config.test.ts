import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { applyConfig } from '../../src/config/apply-config.ts'
import { parseConfig, type LoadedConfig, type TarsierConfig } from '../../src/config/config.ts'
import { ruleCatalog } from '../../src/report/rule-catalog.ts'
import { UsageError } from '../../src/resolve/usage-error.ts'
import type { Finding, PackageResult } from '../../src/types.ts'
import { pkg } from './report/sample-report.ts'

const RULE_IDS = new Set(ruleCatalog().map((r) => r.id))
const parse = (config: unknown) => parseConfig(JSON.stringify(config), 'tarsier.config.json', RULE_IDS)
const problems = (config: unknown): string => {
  try {
    parse(config)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error('expected the configuration to be refused')
}

const install: Finding = { ruleId: 'install-script', severity: 'medium', message: 'postinstall runs node install.js', file: 'package.json' }
const shady: Finding = { ruleId: 'shady-links', severity: 'high', message: 'a request to a paste site', file: 'index.js', line: 2 }
const exfil: Finding = { ruleId: 'env-exfiltration', severity: 'critical', message: 'process.env is sent', file: 'index.js', line: 9 }

function loaded(config: TarsierConfig): LoadedConfig {
  return { config: parse(config), path: 'tarsier.config.json', readFrom: 'working tree' }
}

function packages(): PackageResult[] {
  return [pkg('esbuild', '0.28.2', [{ ...install }]), pkg('helper', '1.0.0', [{ ...shady }, { ...exfil }], { integrity: 'sha512-AAAA sha1-BBBB' })]
}

const NOW = new Date('2026-06-15T12:00:00Z')

describe('configuration file', () => {
  it('accepts rules and suppressions as the published schema describes them', () => {
    const config = parse({
      $schema: './schemas/tarsier.config.schema.json',
      rules: { 'install-script': 'off', 'shady-links': 'low' },
      suppressions: [{ rule: 'install-script', package: 'esbuild', version: '0.28.2', integrity: 'sha512-AAAA', reason: 'platform binary, reviewed', expires: '2026-12-31' }],
    })
    expect(config.suppressions?.[0]?.package).toBe('esbuild')
    // The schema file itself is a valid draft-07 schema.
    const schema = JSON.parse(readFileSync(new URL('../../schemas/tarsier.config.schema.json', import.meta.url), 'utf8')) as object
    expect(new Ajv({ strict: false }).validateSchema(schema)).toBe(true)
  })

  it('refuses a suppression without a reason, with a blank reason, or with an impossible date', () => {
    expect(problems({ suppressions: [{ rule: 'install-script', package: 'esbuild', version: '1.0.0' }] })).toContain("/suppressions/0: must have required property 'reason'")
    expect(problems({ suppressions: [{ rule: 'install-script', package: 'esbuild', version: '1.0.0', reason: '   ' }] })).toContain('/suppressions/0/reason: must say why the finding is accepted')
    expect(problems({ suppressions: [{ rule: 'install-script', package: 'esbuild', version: '1.0.0', reason: 'ok', expires: '2026-02-30' }] })).toContain('/suppressions/0/expires: must be a date written YYYY-MM-DD')
  })

  it('refuses unknown rule ids, unknown keys, bad severities and invalid JSON, naming each problem', () => {
    const message = problems({ rules: { 'no-such-rule': 'off' }, suppressions: [{ rule: 'also-missing', package: 'a', version: '1.0.0', reason: 'x' }] })
    expect(message).toContain('/rules/no-such-rule: no rule is named no-such-rule')
    expect(message).toContain('/suppressions/0/rule: no rule is named also-missing')
    expect(problems({ rule: {} })).toContain('(top level): unknown property "rule"')
    expect(problems({ rules: { 'install-script': 'severe' } })).toContain('/rules/install-script: must be one of off, info, low, medium, high, critical')
    expect(() => parseConfig('{ "rules": ', 'tarsier.config.json', RULE_IDS)).toThrow(/tarsier\.config\.json: not valid JSON/)
  })
})

describe('applying a configuration', () => {
  it('drops findings of rules switched off, gives overridden rules their severity, and recomputes verdicts', () => {
    const list = packages()
    applyConfig(list, loaded({ rules: { 'install-script': 'off', 'env-exfiltration': 'info' } }), { scope: 'scan', now: NOW })
    expect(list[0]!.findings).toEqual([])
    expect(list[1]!.findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual(['shady-links:high', 'env-exfiltration:info'])
    expect(list[1]!.verdict).toBe('suspicious')
  })

  it('moves findings a suppression covers (rule, package, exact version, integrity) to suppressed, with the reason', () => {
    const list = packages()
    const applied = applyConfig(
      list,
      loaded({
        suppressions: [
          { rule: 'install-script', package: 'esbuild', version: '0.28.2', reason: 'platform binary' },
          { rule: 'env-exfiltration', package: 'helper', version: '1.0.0', integrity: 'sha1-BBBB', reason: 'sends its own config', expires: '2026-06-15' },
        ],
      }),
      { scope: 'scan', now: NOW },
    )
    expect(list[0]!.findings).toEqual([])
    expect(list[0]!.suppressed).toEqual([{ ...install, suppression: { reason: 'platform binary' } }])
    expect(list[1]!.findings.map((f) => f.ruleId)).toEqual(['shady-links'])
    expect(list[1]!.suppressed?.[0]?.suppression).toEqual({ reason: 'sends its own config', expires: '2026-06-15' })
    expect(list[1]!.verdict).toBe('suspicious')
    expect(applied.warnings).toEqual([])
    expect(applied.report.suppressions).toEqual({ applied: 2, expired: 0, unused: 0 })
  })

  it('does not cover another version, another integrity, or another rule', () => {
    const list = packages()
    const applied = applyConfig(
      list,
      loaded({
        suppressions: [
          { rule: 'install-script', package: 'esbuild', version: '0.28.3', reason: 'next version' },
          { rule: 'env-exfiltration', package: 'helper', version: '1.0.0', integrity: 'sha512-CCCC', reason: 'other bytes' },
          { rule: 'shady-links', package: 'esbuild', version: '0.28.2', reason: 'other rule' },
        ],
      }),
      { scope: 'scan', now: NOW },
    )
    expect(list.flatMap((p) => p.suppressed ?? [])).toEqual([])
    expect(list[1]!.verdict).toBe('malicious')
    expect(applied.warnings).toHaveLength(3)
    for (const w of applied.warnings) expect(w).toMatch(/matched no finding/)
  })

  it('reports an expired suppression and applies it no more', () => {
    const list = packages()
    const applied = applyConfig(list, loaded({ suppressions: [{ rule: 'install-script', package: 'esbuild', version: '0.28.2', reason: 'until the fix', expires: '2026-06-14' }] }), { scope: 'scan', now: NOW })
    expect(list[0]!.findings.map((f) => f.ruleId)).toEqual(['install-script'])
    expect(applied.warnings).toEqual(['suppression of install-script for esbuild@0.28.2 in tarsier.config.json expired on 2026-06-14: its findings are reported again'])
    expect(applied.report.suppressions).toEqual({ applied: 0, expired: 1, unused: 0 })
  })

  it('in a diff, a suppression of a package that was not scanned is not called unused', () => {
    const config = loaded({ suppressions: [{ rule: 'install-script', package: 'not-in-this-diff', version: '1.0.0', reason: 'x' }, { rule: 'cryptomining', package: 'esbuild', version: '0.28.2', reason: 'y' }] })
    const applied = applyConfig(packages(), config, { scope: 'diff', now: NOW })
    expect(applied.warnings).toEqual(['suppression of cryptomining for esbuild@0.28.2 in tarsier.config.json matched no finding: remove it, or check the rule, name and version'])
    expect(applyConfig(packages(), config, { scope: 'scan', now: NOW }).warnings).toHaveLength(2)
  })
})
