import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/debug-access.ts'

new RuleTester().run(rule, {
  valid: [
    { name: 'a debugger on loopback for tests', code: "require('child_process').fork('worker.js', [], { execArgv: ['--inspect=127.0.0.1:9229'] })" },
    { name: 'a port only', code: "const args = ['--inspect=9229']" },
    { name: 'other process members', code: 'process.debugPort; process.exit(0)' },
  ],
  invalid: [
    {
      name: 'opening the debugger of another process',
      code: 'process._debugProcess(pid)',
      errors: [{ severity: 'high', message: /another Node process open its debugger/ }],
    },
    {
      name: 'the inspector module',
      code: "const inspector = require('inspector'); inspector.open(9229)",
      errors: [{ severity: 'low', message: /inspector\.open/ }],
    },
    {
      name: 'the inspector at install time',
      code: "const { Session } = require('node:inspector'); new Session()",
      installTime: true,
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'a debugger exposed on every address',
      code: "require('child_process').spawn('node', ['--inspect=0.0.0.0:9229', 'server.js'])",
      errors: [{ severity: 'medium', message: /non-loopback address/ }],
    },
  ],
})
