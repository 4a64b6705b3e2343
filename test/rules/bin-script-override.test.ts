import rule from '../../rules/bin-script-override.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

const pkg = (name: string, bin: unknown) => ({ manifest: { name, version: '1.0.0', bin } })

new RuleTester().run(rule, {
  valid: [
    { name: 'a bin of its own name', ...pkg('rimraf', { rimraf: 'bin.js' }) },
    { name: 'a string bin takes the package name', ...pkg('semver', 'bin/semver.js') },
    { name: 'the node package provides node', ...pkg('node', { node: 'bin/node' }) },
    { name: 'npm provides npx', ...pkg('npm', { npm: 'bin/npm-cli.js', npx: 'bin/npx-cli.js' }) },
    { name: 'corepack provides the package managers', ...pkg('corepack', { corepack: 'a.js', yarn: 'b.js', pnpm: 'c.js' }) },
    { name: 'a command-like but uncommon name', ...pkg('tool', { 'node-tool': 'x.js', gitx: 'y.js' }) },
    { name: 'the root project', ...pkg('app', { git: 'x.js' }), ref: { source: 'root' } },
  ],
  invalid: [
    {
      name: 'a helper that installs git',
      ...pkg('string-helpers', { 'string-helpers': 'cli.js', git: 'lib/git.js' }),
      errors: [{ severity: 'medium', file: 'package.json', message: /^Installs a bin named "git" \("lib\/git\.js"\) though the package is string-helpers/ }],
    },
    { name: 'a scoped package overriding npm', ...pkg('@acme/tools', { npm: 'x.js' }), errors: [{ message: /bin named "npm"/ }] },
    { name: 'two overridden commands, two findings', ...pkg('nodejs-helper', { node: 'x.js', curl: 'y.js' }), errors: 2 },
  ],
})
