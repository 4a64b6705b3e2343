import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/silent-process-execution.ts'

new RuleTester().run(rule, {
  valid: [
    "const { spawn } = require('child_process'); spawn('node', ['server.js'], { stdio: 'inherit' })",
    "const { spawn } = require('child_process'); spawn('git', ['fetch'], { detached: true })",
  ],
  invalid: [
    {
      name: 'decoded script in a hidden temp file, run detached',
      code: "const fs = require('fs'); const os = require('os'); const path = require('path'); const { spawn } = require('child_process'); const f = path.join(os.tmpdir(), '.cache-' + Date.now() + '.js'); fs.writeFileSync(f, Buffer.from(process.argv[2], 'base64').toString()); spawn(process.execPath, [f], { detached: true, stdio: 'ignore', windowsHide: true }).unref()",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'a daemon of its own is medium',
      code: "const { spawn } = require('child_process'); const child = spawn(process.execPath, [require.resolve('./daemon.js')], { detached: true, stdio: 'ignore' }); child.unref()",
      errors: [{ severity: 'medium', message: 'unref' }],
    },
    {
      name: 'at install time',
      code: "const { spawn } = require('child_process'); spawn('node', ['worker.js'], { detached: true, stdio: ['ignore', 'ignore', 'ignore'] })",
      installTime: true,
      errors: [{ severity: 'medium', message: 'install time' }],
    },
  ],
})
