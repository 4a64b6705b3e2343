import { RuleTester } from '../../src/rule-tester/index.ts'
import rule, { skeleton } from '../../rules/homoglyph-identifier.ts'
import { describe, expect, it } from 'vitest'

new RuleTester().run(rule, {
  valid: [
    { name: 'ASCII names', code: 'const require2 = require; module.exports = require2' },
    { name: 'Greek letters in maths code', code: 'const Δt = 0.1; const θ = Math.PI / 4; const λ = 2; module.exports = Δt * θ * λ' },
    { name: 'a Cyrillic name in Cyrillic only', code: 'const привет = "мир"; console.log(привет)' },
    { name: 'Cyrillic in strings only', code: 'console.log("rеquire — с кириллицей")' },
  ],
  invalid: [
    {
      name: 'a look-alike of require (Cyrillic е) bound to something else',
      code: "const rеquire = (m) => eval(m); rеquire('process.exit()')",
      errors: [{ severity: 'high', message: /reads as "require" but is written with Cyrillic letters/ }],
    },
    {
      name: 'a look-alike shadowing a name of the same file',
      code: 'const isAdmin = false; const isАdmin = true; if (isАdmin) grant()',
      errors: [{ severity: 'medium', message: /the "isAdmin" used in this file/ }],
    },
    {
      name: 'Latin and Cyrillic mixed in one identifier',
      code: 'function sеndData(x) { return x }; sеndData(1)',
      errors: [{ severity: 'medium', message: /mixes Latin with Cyrillic/ }],
    },
  ],
})

describe('skeleton', () => {
  it('maps confusable letters to the Latin ones they imitate', () => {
    expect(skeleton('rеquire')).toBe('require')
    expect(skeleton('рrосеss')).toBe('process')
    expect(skeleton('Δt')).toBe('Δt')
  })
})
