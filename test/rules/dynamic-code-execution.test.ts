import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/dynamic-code-execution.ts'

new RuleTester().run(rule, {
  valid: [
    "try { var m = eval('quire'.replace(/^/, 're'))('x') } catch (e) {}",
    "var root = Function('return this')()",
    "eval('var a = 1')",
    "const s = Buffer.from(data, 'base64').toString(); console.log(s)",
  ],
  invalid: [
    {
      name: 'base64 constant with a process call',
      code: "eval(Buffer.from('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWMoImlkIik=', 'base64').toString())",
      errors: [{ severity: 'critical', message: 'runs processes' }],
    },
    { name: 'atob constant', code: "eval(atob('Y29uc29sZS5sb2coMSk='))", errors: [{ severity: 'high', message: 'stored encoded' }] },
    { name: 'runtime base64 decode', code: 'module.exports = (p) => eval(Buffer.from(p, "base64").toString())', errors: [{ severity: 'high' }] },
    {
      name: 'hex decoder helper',
      code: "const h = (s) => s.replace(/../g, (m) => String.fromCharCode(parseInt(m, 16))); module.exports = (x) => eval(h(x))",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'install time',
      code: "eval(Buffer.from(process.argv[2], 'base64').toString())",
      installTime: true,
      errors: [{ severity: 'critical' }],
    },
  ],
})
