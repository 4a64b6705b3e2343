import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/integrity-mismatch.ts'

const expected = 'sha512-AAAAexpectedexpectedexpectedexpected=='
const actual = 'sha512-BBBBactualactualactualactualactual=='

new RuleTester().run(rule, {
  valid: [
    { name: 'a package fetched and verified', code: 'module.exports = 1', ref: { integrity: expected } },
    { name: 'a fetch that failed for another reason', fetchFailure: { reason: 'E404 Not Found' } },
    { name: 'a git dependency not fetched by policy', ref: { source: 'git' }, fetchFailure: { reason: 'not fetched', notFetched: true } },
  ],
  invalid: [
    {
      name: 'the tarball does not match the lockfile',
      ref: { name: 'left-pad', version: '1.3.0', integrity: expected },
      fetchFailure: { reason: 'EINTEGRITY', integrityMismatch: { expected, actual } },
      errors: [{ severity: 'critical', message: `The tarball of left-pad@1.3.0 does not match the lockfile's integrity ${expected} (got ${actual})` }],
    },
    {
      name: 'the actual hash is unknown',
      ref: { name: 'left-pad', version: '1.3.0' },
      fetchFailure: { reason: 'EINTEGRITY', integrityMismatch: { expected } },
      errors: [{ severity: 'critical', message: /integrity sha512-\S+: the registry, a proxy or the lockfile was tampered with\. It was not scanned\.$/ }],
    },
  ],
})
