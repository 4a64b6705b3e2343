import { readFileSync } from 'node:fs'
import rule from '../../rules/obfuscated-require.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/obfuscation/${name}`, import.meta.url), 'utf8')
const hex = (s: string) => Buffer.from(s).toString('hex')

new RuleTester().run(rule, {
  valid: [
    "require('fs')\nrequire('node:child_process').exec('ls')",
    'module.exports = (name) => require(name)',
    "const m = 'os'\nrequire(m).hostname()",
    "const path = require('path')\nrequire(path.join(__dirname, 'lib'))",
    { name: "protobufjs' inquire: the callee is hidden, the module name is not static", code: 'function inquire(moduleName) { try { var mod = eval("quire".replace(/^/, "re"))(moduleName); if (mod && (mod.length || Object.keys(mod).length)) return mod } catch (e) {} return null }' },
    { name: 'a locale assembled from pieces', code: "require('./locale/' + 'en')" },
    { name: 'a literal computed member', code: "require('fs')['readFileSync']('x')" },
    { name: 'a computed member of an unrelated object', code: "const o = { a: 1 }\no['a' + '']" },
    { name: 'an assembled name of a module that is not sensitive', code: "require(['lo', 'dash'].join(''))" },
  ],
  invalid: [
    {
      name: 'a base64-decoded module name',
      code: "require(Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString()).exec('id')",
      errors: [{ severity: 'high', message: /^require\("child_process"\) is reached under a name decoded at run time/ }],
    },
    {
      name: 'a module name assembled from pieces at load time',
      code: "require('child_' + 'process').exec('id')",
      errors: [{ severity: 'medium', message: /^require\("child_process"\) is reached under a name assembled from pieces/ }],
    },
    {
      name: 'the same at install time is high',
      code: "require(['child', 'process'].join('_')).exec('id')",
      installTime: true,
      errors: [{ severity: 'high', message: /It runs at install time \(postinstall\)\.$/ }],
    },
    {
      name: 'a member name assembled from pieces',
      code: "const cp = require('child_process')\ncp['ex' + 'ec']('id')",
      errors: [{ severity: 'medium', message: /^child_process\.exec is reached under a name assembled/ }],
    },
    {
      name: 'HexEval: module and member names decoded from hex',
      code: `const d = (s) => s.replace(/../g, (b) => String.fromCharCode(parseInt(b, 16)))\nconst h = ['${hex('axios')}', '${hex('post')}']\nmodule.exports = () => require(d(h[0]))[d(h[1])]('https://x.invalid', {})`,
      errors: [
        { severity: 'high', message: /^axios\.post is reached under a name decoded/ },
        { severity: 'high', message: /^require\("axios"\) is reached under a name decoded/ },
      ],
    },
    {
      name: 'eval reached through the global object under a decoded name',
      code: "global[atob('ZXZhbA==')]('1 + 1')",
      errors: [{ severity: 'high', message: /^global\.eval is reached under a name decoded/ }],
    },
    {
      name: 'XOR-decoded module name, in a file nothing loads, is one level lower',
      files: { 'lib/x.js': "function x(s, k) { return s.split('').map((c, i) => String.fromCharCode(c.charCodeAt(0) ^ k.charCodeAt(i % k.length))).join('') }\nrequire(x('\\x02\\x0b\\x0f\\x0d\\x07\\x39\\x11\\x11\\x09\\x02\\x06\\x15\\x12', 'acf'))" },
      errors: [{ severity: 'medium', file: 'lib/x.js', message: /^require\("child_process"\)/ }],
    },
    {
      name: 'obfuscator.io output: every hidden module and member, five reported and the rest summed up',
      code: fixture('obfuscator-io-default.js'),
      errors: [
        { severity: 'high', message: /^require\("https"\)/ },
        { severity: 'high', message: /^os\.hostname/ },
        { severity: 'high', message: /^os\.userInfo/ },
        { severity: 'high', message: /^os\.homedir/ },
        { severity: 'high', message: /^https\.request/ },
        { severity: 'low', message: /^1 more name is hidden the same way: child_process\.exec\.$/ },
      ],
    },
  ],
})
