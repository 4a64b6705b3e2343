import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/non-registry-dependency.ts'

new RuleTester().run(rule, {
  valid: [
    { name: 'a registry package', ref: { source: 'registry', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' } },
    { name: 'the project itself', ref: { source: 'root' } },
    { name: 'a workspace link', ref: { source: 'link' } },
    { name: 'the local tarball the user asked to scan', ref: { source: 'file', tarballPath: '/tmp/a-1.0.0.tgz' } },
    { name: 'a package.json that declares a git dependency is not itself one', manifest: { name: 'a', dependencies: { b: 'github:evil/b' } } },
  ],
  invalid: [
    {
      name: 'a git dependency that was scanned',
      ref: { name: 'b', source: 'git', resolved: 'git+ssh://git@github.com/evil/b.git#0123456' },
      errors: [{ severity: 'medium', message: "b comes from a git repository (git+ssh://git@github.com/evil/b.git#0123456), bypassing the registry's integrity" }],
    },
    {
      name: 'git dependencies run prepare on install',
      ref: { source: 'git', resolved: 'git+https://github.com/x/y.git' },
      errors: [{ severity: 'medium', message: 'git dependencies run their prepare script on install' }],
    },
    {
      name: 'a git dependency not fetched by policy is high',
      ref: { source: 'git', spec: 'github:evil/b' },
      fetchFailure: { reason: 'not fetched', notFetched: true },
      errors: [{ severity: 'high', message: 'It was not fetched or scanned (pass --allow-non-registry to scan it).' }],
    },
    {
      name: 'a tarball URL',
      ref: { name: 'c', source: 'remote', resolved: 'https://x.invalid/c.tgz' },
      errors: [{ severity: 'medium', message: 'c comes from a URL (https://x.invalid/c.tgz)' }],
    },
    {
      name: 'a local directory, named by its spec when there is no resolved URL',
      ref: { name: 'd', source: 'directory', spec: 'file:../d' },
      errors: [{ severity: 'medium', message: 'd comes from a local path (file:../d)' }],
    },
    {
      name: 'a local tarball in the lockfile',
      ref: { name: 'e', source: 'file', spec: 'file:vendor/e.tgz' },
      errors: [{ severity: 'medium', message: 'a local path' }],
    },
  ],
})
