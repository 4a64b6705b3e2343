import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/manifest-confusion.ts'

/** The lockfile entry the tarball was fetched for. */
const LOCKED = { name: 'fixture', version: '1.0.0' }

new RuleTester().run(rule, {
  valid: [
    { name: 'name and version as locked', manifest: { name: 'fixture', version: '1.0.0' }, ref: LOCKED },
    { name: 'a version the registry normalised (leading v, build metadata)', manifest: { name: 'fixture', version: 'v1.0.0+build.7' }, ref: LOCKED },
    { name: 'a local tarball is named by its own package.json', manifest: { name: 'other', version: '9.9.9' }, ref: { source: 'file', version: '' } },
    { name: 'the project itself', manifest: { name: 'my-app', version: '0.0.0' }, ref: { source: 'root', name: 'checkout-dir', version: '' } },
    { name: 'a scoped package', manifest: { name: '@acme/widget', version: '2.1.0' }, ref: { name: '@acme/widget', version: '2.1.0' } },
  ],
  invalid: [
    {
      name: 'another name inside the tarball',
      manifest: { name: 'evil-twin', version: '1.0.0' },
      ref: LOCKED,
      errors: [{ severity: 'high', file: 'package.json', message: /package\.json with name "evil-twin" instead of "fixture"/ }],
    },
    {
      name: 'another version inside the tarball',
      manifest: { name: 'fixture', version: '1.0.1' },
      ref: LOCKED,
      errors: [{ message: /version "1\.0\.1" instead of "1\.0\.0"/ }],
    },
    { name: 'no name and no version', manifest: { description: 'x' }, ref: LOCKED, errors: [{ message: /no name and no version/ }] },
  ],
})
