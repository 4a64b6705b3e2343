import { describe, expect, it } from 'vitest'
import encodedPayload from '../../rules/encoded-payload.ts'
import invisibleCharacters from '../../rules/invisible-characters.ts'
import obfuscatedCode from '../../rules/obfuscated-code.ts'
import obfuscatedRequire from '../../rules/obfuscated-require.ts'
import { analyzeCase } from '../../src/rule-tester/index.ts'

const rules = [obfuscatedCode, obfuscatedRequire, invisibleCharacters, encodedPayload]
const N = 100_000

/** Inputs built to make backtracking regular expressions and quadratic scans blow up. */
const adversarial: Array<[string, string]> = [
  ['a packer prefix repeated', `/*${'eval(function(p,a,c,k,e,'.repeat(N / 25)}*/`],
  // (in a string: Babel's flow plugin is itself quadratic on long blank runs inside comments)
  ['blanks after an eval', `module.exports = 'eval(${' '.repeat(N)}x'`],
  ['an almost-hex string', `module.exports = '${'0'.repeat(N)}z'`],
  ['an almost-base64 string', `module.exports = '${'Aa0'.repeat(N / 3)}!'`],
  ['an almost-data: URI', `module.exports = 'data:${'a'.repeat(N)}'`],
  ['a URL without an end', `module.exports = 'https://${'a'.repeat(N)}'`],
  ['shell words and blanks', `module.exports = '${'curl '.repeat(N / 5)}'`],
  ['declarations without initialiser', `/* ${'var a'.repeat(N / 5)} */`],
  ['require without a module name', `/* ${'require ('.repeat(N / 9)} */`],
  ['_0x without hex digits', `/* ${'_0x'.repeat(N / 3)} */`],
  ['jjencode-like punctuation without $', `/* ${'_+'.repeat(N / 2)} */`],
  ['JSFuck-like run missing one character', `/* ${'[]()!'.repeat(N / 5)} */`],
  ['halfwidth katakana', `/* ${'ﾟ'.repeat(N)} */`],
  ['invisible characters', `module.exports = '${'\u200b'.repeat(N)}'`],
  ['variation selectors', `module.exports = '${'\u{E0100}'.repeat(N / 2)}'`],
  ['bidirectional controls', `/* ${'\u202e'.repeat(N)} */`],
  ['blank runs between code', `${'a;'.concat(' '.repeat(160)).repeat(N / 162)}`],
  ['a long line of blanks', `a;${' '.repeat(N)}\n`],
  ['encoded-looking call arguments', `${"f('%41%42%43%44%45%46%47%48');".repeat(N / 30)}`],
  ['a long base64 literal of text with code words', `module.exports = '${Buffer.from('const x = require("child_process"); '.repeat(N / 200)).toString('base64')}'`],
  ['deeply nested string arrays', `module.exports = ${'['.repeat(2000)}'a'${']'.repeat(2000)}`],
  ['many _0x names', `var ${Array.from({ length: N / 12 }, (_, i) => `_0x${(0x10000 + i).toString(16)}=0`).join(',')};`],
]

describe('obfuscation rules on adversarial 100 KB input', () => {
  it.each(adversarial)('%s completes quickly', async (_name, code) => {
    const start = performance.now()
    const { errors } = await analyzeCase({ code }, rules)
    expect(errors).toEqual([])
    expect(performance.now() - start).toBeLessThan(5000)
  })
})
