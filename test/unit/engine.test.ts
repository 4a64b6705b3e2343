import type * as t from '@babel/types'
import { describe, expect, it } from 'vitest'
import { analyzePackage, decodeText, excerpt, MAX_PARSE_BYTES, type PackageInput } from '../../src/analyze/engine.ts'
import { defineRule, type PackageFile, type PackageRef, type Rule, type RuleListeners, type SourceFileView } from '../../src/types.ts'

const ref: PackageRef = { name: 'p', version: '1.0.0', spec: 'p@1.0.0', source: 'registry', location: 'node_modules/p', dev: false, optional: false }

function input(files: Record<string, string | Buffer>): PackageInput {
  const map = new Map<string, PackageFile>()
  for (const [path, content] of Object.entries(files)) {
    const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content)
    map.set(path, { path, size: buffer.length, content: buffer })
  }
  return { ref, files: map }
}

function ruleOf(id: string, create: Rule['create']): Rule {
  return defineRule({ meta: { id, severity: 'low', description: id, docs: `rules/${id}.md` }, create })
}

/** A rule that reports every call to a function named `mark`. */
const markRule = ruleOf('mark', (context) => ({
  CallExpression(node) {
    if (node.callee.type === 'Identifier' && node.callee.name === 'mark') context.report({ node, message: 'mark' })
  },
}))

describe('analyzePackage', () => {
  it('runs the manifest listener once, text and AST listeners per JS file', () => {
    const events: string[] = []
    const rule = ruleOf('events', (context) => ({
      manifest: () => events.push(`manifest ${context.pkg.manifest?.name}`),
      text: () => events.push(`text ${context.file?.path}`),
      Program: () => events.push(`Program ${context.file?.path}`),
      'Program:exit': () => events.push(`exit ${context.file?.path}`),
    }))
    const result = analyzePackage(input({ 'package.json': '{"name":"p"}', 'a.js': '1', 'b.mjs': '2', 'README.md': 'x', 'types.d.ts': 'x' }), [rule])
    expect(events).toEqual(['manifest p', 'text a.js', 'Program a.js', 'exit a.js', 'text b.mjs', 'Program b.mjs', 'exit b.mjs'])
    expect(result.jsFiles).toBe(2)
    expect(result.manifest).toEqual({ name: 'p' })
  })

  it('contains a rule that throws in errors, and the other rules still run', () => {
    const throwsEverywhere = ruleOf('throws', () => ({
      manifest() {
        throw new Error('boom in manifest')
      },
      text() {
        throw new Error('boom in text')
      },
      CallExpression() {
        throw new Error('boom in visitor')
      },
      'Program:exit'() {
        throw new TypeError('boom at exit')
      },
    }))
    const result = analyzePackage(input({ 'index.js': 'mark(); mark()' }), [throwsEverywhere, markRule])
    expect(result.findings.map((f) => f.ruleId)).toEqual(['mark', 'mark'])
    expect(result.errors).toEqual([
      'rule throws failed: boom in manifest',
      'rule throws failed on index.js: boom in text',
      'rule throws failed on index.js: boom in visitor',
      'rule throws failed on index.js: boom in visitor',
      'rule throws failed on index.js: boom at exit',
    ])
  })

  it('contains a rule whose create() throws', () => {
    const broken = ruleOf('broken', () => {
      throw new Error('cannot start')
    })
    const result = analyzePackage(input({ 'index.js': 'mark()' }), [broken, markRule])
    expect(result.errors).toEqual(['rule broken failed to start: cannot start'])
    expect(result.findings).toHaveLength(1)
  })

  it('runs text listeners on files that do not parse, with the parse error', () => {
    const seen: Array<Pick<SourceFileView, 'path' | 'parseError'> & { hasAst: boolean; text: string }> = []
    const rule = ruleOf('text', (context) => ({
      text() {
        const f = context.file!
        seen.push({ path: f.path, parseError: f.parseError, hasAst: f.ast !== undefined, text: f.text })
      },
    }))
    analyzePackage(input({ 'bad.js': 'const x = ;', 'good.js': 'ok()' }), [rule])
    expect(seen).toEqual([
      { path: 'bad.js', parseError: expect.stringContaining('Unexpected token'), hasAst: false, text: 'const x = ;' },
      { path: 'good.js', parseError: undefined, hasAst: true, text: 'ok()' },
    ])
  })

  it('parses the part of a file before the line that breaks it, and says so', () => {
    const calls: string[] = []
    const seen: Array<{ hasAst: boolean; parseError: string | undefined }> = []
    const rule = ruleOf('partial', (context) => ({
      text: () => seen.push({ hasAst: context.file!.ast !== undefined, parseError: context.file!.parseError }),
      CallExpression: (node) => calls.push(node.callee.type === 'Identifier' ? node.callee.name : '?'),
    }))
    analyzePackage(input({ 'cut.js': 'first()\nsecond()\nconst x = ;' }), [rule])
    expect(seen).toEqual([{ hasAst: true, parseError: expect.stringContaining('only the part before line 3 was parsed') }])
    expect(calls).toEqual(['first', 'second'])
  })

  it('does not parse files above the parse limit, but still shows them to text listeners', () => {
    const seen: Array<[string, string | undefined, number]> = []
    const rule = ruleOf('text', (context) => ({ text: () => seen.push([context.file!.path, context.file!.parseError, context.file!.text.length]) }))
    const huge = `//${'x'.repeat(MAX_PARSE_BYTES)}`
    analyzePackage(input({ 'huge.js': huge }), [rule, markRule])
    expect(seen).toEqual([['huge.js', expect.stringMatching(/larger than the \d+ MB parse limit/), huge.length]])
  })

  it('decodes UTF-16 files with a byte-order mark', () => {
    const code = "mark('é')"
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(code, 'utf16le')])
    const be = Buffer.from(le)
    be.swap16()
    const result = analyzePackage(input({ 'le.js': le, 'be.js': be, 'utf8bom.js': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(code)]) }), [markRule])
    expect(result.errors).toEqual([])
    expect(result.findings.map((f) => [f.file, f.line, f.column, f.snippet])).toEqual([
      ['le.js', 1, 1, code],
      ['be.js', 1, 1, code],
      ['utf8bom.js', 1, 1, expect.stringContaining(code)],
    ])
  })

  it('reads a package.json with a BOM, and ignores one that is invalid or not an object', () => {
    expect(analyzePackage(input({ 'package.json': '\uFEFF{"name":"bom"}' }), []).manifest).toEqual({ name: 'bom' })
    expect(analyzePackage(input({ 'package.json': '{"name":' }), []).manifest).toBeUndefined()
    expect(analyzePackage(input({ 'package.json': '[1]' }), []).manifest).toBeUndefined()
    expect(analyzePackage(input({ 'package.json': 'null' }), []).manifest).toBeUndefined()
  })

  it('gives findings a file, 1-based line and column, a snippet and the entry kind', () => {
    const result = analyzePackage(
      input({ 'package.json': JSON.stringify({ main: 'lib.js', scripts: { postinstall: 'node setup.js' } }), 'setup.js': 'x()\n\n  y(); mark(1)\n', 'lib.js': 'mark()', 'other.js': '\r\nmark()' }),
      [markRule],
    )
    expect(result.findings).toEqual([
      { ruleId: 'mark', severity: 'low', message: 'mark', file: 'setup.js', line: 3, column: 8, snippet: 'y(); mark(1)', entryKind: 'install' },
      { ruleId: 'mark', severity: 'low', message: 'mark', file: 'lib.js', line: 1, column: 1, snippet: 'mark()', entryKind: 'require' },
      { ruleId: 'mark', severity: 'low', message: 'mark', file: 'other.js', line: 2, column: 1, snippet: 'mark()', entryKind: 'other' },
    ])
  })

  it('keeps the snippet of a 1 MB single-line file short, around the node', () => {
    const prefix = `var a="${'x'.repeat(1 << 20)}";`
    const code = `${prefix}mark(${'0,'.repeat(100)}0);${'var b=2;'.repeat(1000)}`
    const result = analyzePackage(input({ 'min.js': code }), [markRule])
    const [finding] = result.findings
    expect(finding?.line).toBe(1)
    expect(finding?.column).toBe(prefix.length + 1)
    expect(finding!.snippet!.length).toBeLessThanOrEqual(200)
    expect(finding!.snippet).toContain('mark(0,0,')
    expect(finding!.snippet!.startsWith('…')).toBe(true)
  })

  it('uses the descriptor’s own file, line, severity and snippet over the node’s', () => {
    const rule = ruleOf('explicit', (context) => ({
      manifest: () => context.report({ message: 'pkg', file: 'package.json', severity: 'high', snippet: '"x": 1' }),
      CallExpression: (node) => context.report({ node, message: 'call', line: 9 }),
    }))
    const result = analyzePackage(input({ 'a.js': 'f()' }), [rule])
    expect(result.findings).toEqual([
      { ruleId: 'explicit', severity: 'high', message: 'pkg', file: 'package.json', snippet: '"x": 1' },
      { ruleId: 'explicit', severity: 'low', message: 'call', file: 'a.js', line: 9, column: 1, snippet: '', entryKind: 'other' },
    ])
  })

  it('analyses node -e code of install scripts as install-time sources named after the script', () => {
    const files: string[] = []
    const rule = ruleOf('inline', (context) => ({
      text: () => files.push(`${context.file!.path} ${context.file!.entryKind} ${context.file!.installScripts.join(',')}`),
    }))
    const manifest = { scripts: { postinstall: `node -e "mark('x')"`, install: `node -e 'a()' && node -e 'b()'` } }
    const result = analyzePackage(input({ 'package.json': JSON.stringify(manifest) }), [rule, markRule])
    expect(files).toEqual([
      'package.json#scripts.install install install',
      'package.json#scripts.install.1 install install',
      'package.json#scripts.postinstall install postinstall',
    ])
    expect(result.findings.filter((f) => f.ruleId === 'mark')).toEqual([
      expect.objectContaining({ file: 'package.json#scripts.postinstall', line: 1, snippet: "mark('x')", entryKind: 'install' }),
    ])
    expect(result.jsFiles).toBe(0)
  })

  it('gives AST listeners the ancestors, constant folding and module resolution of the file', () => {
    const seen: string[] = []
    const rule = ruleOf('ctx', (context) => ({
      CallExpression(node) {
        const ref = context.moduleOf(node.callee)
        if (!ref) return
        seen.push(`${ref.module}.${ref.member}(${context.staticString(node.arguments[0])}) in ${context.ancestors().map((a) => a.type).join('>')}`)
      },
    }))
    analyzePackage(input({ 'a.js': "const cp = require('child' + '_process'); const c = 'l' + 's'; function f() { cp.exec(c) }" }), [rule])
    expect(seen).toEqual(['child_process.exec(ls) in Program>FunctionDeclaration>BlockStatement>ExpressionStatement'])
  })

  it('keeps bindings per file', () => {
    const seen: Array<string | undefined> = []
    const rule = ruleOf('ctx', (context) => ({ CallExpression: (node: t.CallExpression) => void seen.push(context.moduleOf(node.callee)?.module) }))
    analyzePackage(input({ 'a.js': "const x = require('fs'); x()", 'b.js': 'x()' }), [rule])
    expect(seen).toEqual([undefined, 'fs', undefined])
  })

  it('skips files listed without content (too large to read)', () => {
    const files = new Map<string, PackageFile>([['big.js', { path: 'big.js', size: 1e9 }]])
    const rule = ruleOf('text', (context): RuleListeners => ({ text: () => context.report({ message: 'seen' }) }))
    const result = analyzePackage({ ref, files }, [rule])
    expect(result).toEqual({ findings: [], errors: [], jsFiles: 0 })
  })

  it('releases each JavaScript source once its analysis is done; findings made later keep their snippets', () => {
    const contentsSeen: string[] = []
    /** Reports at Package:exit what the first file's turn located (as the theft rules do with sinks.ts locate). */
    const deferred = ruleOf('deferred', (context) => {
      let first: { file: string; line: number; snippet: string } | undefined
      return {
        CallExpression(node) {
          if (first || node.callee.type !== 'Identifier' || node.callee.name !== 'send') return
          first = { file: context.file!.path, line: node.loc!.start.line, snippet: context.file!.text.split('\n')[node.loc!.start.line - 1]!.trim() }
        },
        text() {
          contentsSeen.push(`${context.file!.path}: ${[...context.pkg.files.values()].filter((f) => f.content && f.path.endsWith('.js')).map((f) => f.path).join(',')}`)
        },
        'Package:exit'() {
          if (first) context.report({ message: 'sent earlier', ...first })
        },
      }
    })
    const files = input({ 'package.json': '{"main":"b.js"}', 'a.js': 'x()\nsend(process.env)\n', 'b.js': "require('./a.js')\nmark()", 'README.md': 'read me' })
    const result = analyzePackage(files, [deferred, markRule])
    // Dependencies first: a.js, then b.js, which no longer has a.js's bytes around.
    expect(contentsSeen).toEqual(['a.js: a.js,b.js', 'b.js: b.js'])
    expect(result.findings).toEqual([
      expect.objectContaining({ ruleId: 'mark', file: 'b.js', line: 2, snippet: 'mark()' }),
      { ruleId: 'deferred', severity: 'low', message: 'sent earlier', file: 'a.js', line: 2, snippet: 'send(process.env)' },
    ])
    expect(result.jsFiles).toBe(2)
    expect([...files.files.values()].filter((f) => f.content).map((f) => f.path)).toEqual(['package.json', 'README.md'])
  })

  it('gives manifest listeners the fetch failure and anomalies', () => {
    const rule = ruleOf('pkg', (context) => ({
      manifest: () => context.report({ message: `${context.pkg.fetchFailure?.reason} ${context.pkg.anomalies.map((a) => a.kind).join(',')}` }),
    }))
    const result = analyzePackage({ ref, files: new Map(), fetchFailure: { reason: 'E404' }, anomalies: [{ kind: 'symlink', path: 'x', detail: 'y' }] }, [rule])
    expect(result.findings.map((f) => f.message)).toEqual(['E404 symlink'])
  })
})

describe('decodeText', () => {
  it('decodes UTF-8 by default and UTF-16 LE/BE with a BOM', () => {
    expect(decodeText(Buffer.from('héllo'))).toBe('héllo')
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]))).toBe('hi')
    expect(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x68, 0x00, 0x69]))).toBe('hi')
    expect(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x68, 0x00]))).toBe('h')
  })
})

describe('excerpt', () => {
  it('returns short lines trimmed', () => {
    expect(excerpt('   short line   ')).toBe('short line')
  })

  it('cuts long lines around the column', () => {
    const line = `${'a'.repeat(1000)}TARGET${'b'.repeat(1000)}`
    const part = excerpt(line, 1001)
    expect(part).toContain('TARGET')
    expect(part.startsWith('…') && part.endsWith('…')).toBe(true)
    expect(part.length).toBeLessThanOrEqual(162)
    expect(excerpt(line).startsWith('aaa')).toBe(true)
  })
})
