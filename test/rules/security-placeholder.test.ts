import rule from '../../rules/security-placeholder.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

const README = '# Security holding package\n\nThis package contained malicious code and was removed from the registry by the npm security team. A placeholder was published to ensure users are not affected in the future.\n\nPlease refer to www.npmjs.com/advisories?search=evil-pkg for more information.\n'
const placeholder = { name: 'evil-pkg', version: '0.0.1-security', description: 'security holding package', repository: 'npm/security-holder' }

new RuleTester().run(rule, {
  valid: [
    { name: 'an ordinary package', code: 'module.exports = 1', manifest: { name: 'left-pad', version: '1.3.0', description: 'String left pad' } },
    { name: 'a prerelease tag that merely contains "security"', manifest: { name: 'a', version: '2.1.0-security-fix.1' }, ref: { version: '2.1.0-security-fix.1' } },
    { name: 'a real release with a security tag above 0.0.x', manifest: { name: 'a', version: '1.4.2-security' }, ref: { version: '1.4.2-security' } },
    { name: 'the root project is not a dependency', manifest: placeholder, ref: { source: 'root', version: '0.0.1-security' } },
    { name: 'a README that mentions security in passing', files: { 'README.md': '# a\nReport security issues to the npm security team.' } },
  ],
  invalid: [
    {
      name: 'the npm placeholder fetched from the registry: locked version, description and README agree',
      ref: { name: 'evil-pkg', version: '0.0.1-security' },
      manifest: placeholder,
      files: { 'README.md': README },
      errors: [{ severity: 'critical', file: 'package.json', message: /^evil-pkg@0\.0\.1-security is npm's security placeholder \(the tree locks version 0\.0\.1-security; its description is "security holding package"; its README says the npm security team removed it\): npm removed this package because it contained malicious code/ }],
    },
    {
      name: 'a lockfile entry at 0.0.1-security that could not be fetched',
      ref: { name: 'evil-pkg', version: '0.0.1-security' },
      fetchFailure: { reason: 'offline' },
      // Nothing was read: an empty, unparsable package.json stands for the missing tarball.
      files: { 'package.json': '' },
      errors: [{ severity: 'critical', message: /^evil-pkg@0\.0\.1-security is npm's security placeholder \(the tree locks version 0\.0\.1-security\)/ }],
    },
    {
      name: 'a .tgz target that is the placeholder (named by its package.json)',
      ref: { name: 'evil-pkg-0.0.1-security.tgz', version: '', source: 'file' },
      manifest: placeholder,
      errors: [{ severity: 'critical', message: /^evil-pkg@0\.0\.1-security is npm's security placeholder \(its package\.json says version 0\.0\.1-security; its description/ }],
    },
    {
      name: 'the placeholder version with real code and another description: high',
      ref: { name: 'evil-pkg', version: '0.0.1-security' },
      manifest: { name: 'evil-pkg', version: '0.0.1-security', description: 'utilities' },
      code: 'module.exports = 1',
      errors: [{ severity: 'high', message: /looks like npm's security placeholder .*not every mark of the placeholder is there/ }],
    },
    {
      name: 'the placeholder README under another version: high',
      ref: { name: 'evil-pkg', version: '1.0.0' },
      manifest: { name: 'evil-pkg', version: '1.0.0' },
      files: { 'README.md': README },
      errors: [{ severity: 'high', message: /its README says the npm security team removed it/ }],
    },
  ],
})
