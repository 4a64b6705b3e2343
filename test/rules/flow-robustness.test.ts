import { describe, expect, it } from 'vitest'
import { rules } from '../../rules/index.ts'
import { analyzeCase } from '../../src/rule-tester/index.ts'

/** Attacker-shaped inputs must neither crash nor stall the data-flow analysis. */
describe('flow analysis on pathological input', () => {
  const cases: Array<[string, string]> = [
    ['a long method chain', `const axios = require('axios'); axios${'.get()'.repeat(20000)}`],
    ['a long concatenation', `const https = require('https'); https.get('http://x.invalid/' + ${Array.from({ length: 20000 }, (_, i) => `'p${i}'`).join(' + ')})`],
    ['a long chain of aliases', `${Array.from({ length: 3000 }, (_, i) => `var a${i} = a${i + 1};`).join('\n')} var a3000 = a0; a0(require('fs').readFileSync('x'))`],
    ['many helper calls', `const fs = require('fs'); function id(x) { return x } ${Array.from({ length: 3000 }, (_, i) => `id(fs.readFileSync('f${i}'));`).join('\n')} eval(id(process.argv[2]))`],
    ['deeply nested arrays', `const fs = require('fs'); const x = ${'['.repeat(2000)}1${']'.repeat(2000)}; eval(fs.readFileSync(x))`],
  ]
  for (const [name, code] of cases) {
    it(name, async () => {
      const started = Date.now()
      const { errors } = await analyzeCase({ code }, rules)
      expect(errors).toEqual([])
      expect(Date.now() - started).toBeLessThan(20_000)
    }, 30_000)
  }
})
