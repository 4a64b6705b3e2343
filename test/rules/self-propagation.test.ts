import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/self-propagation.ts'

new RuleTester().run(rule, {
  valid: ["const { execSync } = require('child_process'); execSync('npm run build')"],
  invalid: [
    {
      name: 'publish at install time',
      code: "const { execSync } = require('child_process'); execSync('npm publish --access public', { cwd: '/tmp/x' })",
      installTime: true,
      errors: [{ severity: 'critical', message: 'worm' }],
    },
    {
      name: 'publish after a maintainer search',
      code: "const { execSync } = require('child_process'); fetch('https://registry.npmjs.org/-/v1/search?text=maintainer:' + user).then(() => execSync('npm publish'))",
      errors: [{ severity: 'high' }],
    },
    { name: 'a release tool', code: "const execa = require('execa'); module.exports = () => execa('npm', ['publish', '--tag', 'next'])", errors: [{ severity: 'low' }] },
    {
      name: 'workflow written at install time',
      code: "const fs = require('fs'); fs.writeFileSync('.github/workflows/ci.yml', 'on: push')",
      installTime: true,
      errors: [{ severity: 'high' }],
    },
  ],
})
