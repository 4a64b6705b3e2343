import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/output-suppression.ts'

new RuleTester().run(rule, {
  valid: [
    { name: 'a logger that forwards', code: 'const original = console.log; console.log = (...a) => original("[app]", ...a)' },
    { name: 'a quiet option that keeps errors', code: 'if (opts.quiet) logger.level = "error"' },
    { name: 'listening for warnings', code: "process.on('warning', (w) => report(w))" },
  ],
  invalid: [
    { name: 'console.log silenced', code: 'console.log = () => {}', errors: [{ severity: 'low', message: /console\.log is replaced/ }] },
    {
      name: 'every stream silenced at install time',
      code: 'console.error = function () {}; process.stdout.write = () => undefined; process.removeAllListeners("warning")',
      installTime: true,
      errors: [{ severity: 'medium' }, { severity: 'medium' }, { severity: 'medium', message: /silences Node's warnings/ }],
    },
    { name: 'warnings silenced', code: 'process.emitWarning = Function.prototype', errors: [{ severity: 'low', message: /emitWarning/ }] },
  ],
})
