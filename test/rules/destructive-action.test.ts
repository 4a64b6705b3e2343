import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/destructive-action.ts'

new RuleTester().run(rule, {
  valid: [
    "const fs = require('fs'); const os = require('os'); const path = require('path'); fs.rmSync(path.join(os.tmpdir(), 'build'), { recursive: true, force: true })",
    "const fs = require('fs'); fs.rmSync('dist', { recursive: true, force: true })",
    "require('child_process').execSync('rm -rf node_modules/.cache')",
  ],
  invalid: [
    { name: 'home directory', code: "const fs = require('fs'); const os = require('os'); fs.rmSync(os.homedir(), { recursive: true, force: true })", errors: [{ message: 'home directory' }] },
    { name: 'rm -rf ~', code: "require('child_process').exec('rm -rf ~/')", errors: 1 },
    { name: 'Windows drive', code: "require('child_process').execSync('rd /s /q C:\\\\')", errors: 1 },
  ],
})
