import { describe, expect, it } from 'vitest'
import { verdictOf } from '../../src/analyze/verdict.ts'
import type { Finding, Severity } from '../../src/types.ts'

const f = (ruleId: string, severity: Severity): Finding => ({ ruleId, severity, message: ruleId })

describe('verdictOf', () => {
  it('a critical finding is malicious, a high one suspicious, the rest clean', () => {
    expect(verdictOf([f('remote-code-execution', 'critical')])).toBe('malicious')
    expect(verdictOf([f('wallet-harvesting', 'high')])).toBe('suspicious')
    expect(verdictOf([f('install-script', 'low'), f('shady-links', 'medium')])).toBe('clean')
    expect(verdictOf([])).toBe('clean')
  })
  it('theft plus a way out is malicious', () => {
    expect(verdictOf([f('wallet-harvesting', 'high'), f('shady-links', 'medium')])).toBe('malicious')
    expect(verdictOf([f('webhook-exfiltration', 'high'), f('credential-file-theft', 'medium')])).toBe('malicious')
  })
  it('unreviewed execution plus obfuscation is malicious', () => {
    expect(verdictOf([f('dynamic-code-execution', 'high'), f('obfuscated-code', 'medium')])).toBe('malicious')
    expect(verdictOf([f('obfuscated-require', 'high'), f('silent-process-execution', 'high')])).toBe('malicious')
    // a legitimate bundled worker (encoded) next to a detached helper process is not enough
    expect(verdictOf([f('encoded-payload', 'high'), f('silent-process-execution', 'medium')])).toBe('suspicious')
  })
  it('install-time staging plus an amplifier is malicious', () => {
    expect(verdictOf([f('staged-payload-file', 'high'), f('tls-verification-disabled', 'medium')])).toBe('malicious')
    expect(verdictOf([f('staged-payload-file', 'high')])).toBe('suspicious')
  })
  it('three independent high findings are malicious, two unrelated ones are not', () => {
    expect(verdictOf([f('a-rule', 'high'), f('b-rule', 'high'), f('c-rule', 'high')])).toBe('malicious')
    expect(verdictOf([f('install-time-child-process', 'high'), f('unparsed-file', 'high')])).toBe('suspicious')
  })
})
