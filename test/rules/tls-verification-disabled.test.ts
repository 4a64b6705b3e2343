import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/tls-verification-disabled.ts'

new RuleTester().run(rule, {
  valid: ["process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1'", "const agent = new (require('https').Agent)({ rejectUnauthorized: false })"],
  invalid: [
    { name: 'bracket form, number', code: "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0", errors: [{ severity: 'low' }] },
    { name: 'install time', code: "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'", installTime: true, errors: [{ severity: 'medium' }] },
    { name: 'behind a local-development switch', code: "if (process.env.LOCAL_DEV === '1') { process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0' }", errors: [{ severity: 'info' }] },
    { name: 'rejectUnauthorized false at install time', code: "require('https').get({ host: 'x.invalid', rejectUnauthorized: false })", installTime: true, errors: [{ severity: 'low' }] },
  ],
})
