import type * as t from '@babel/types'
import { describe, expect, it } from 'vitest'
import { parseSource } from '../../src/analyze/parse.ts'
import { walk } from '../../src/analyze/walk.ts'

function parsed(path: string, code: string, packageType?: string): t.File {
  const result = parseSource(path, code, packageType)
  if (!result.ok) throw new Error(`expected ${path} to parse: ${result.error}`)
  return result.ast
}

function nodeTypes(ast: t.File): Set<string> {
  const types = new Set<string>()
  walk(ast.program, { enter: (n) => types.add(n.type) })
  return types
}

/** The require calls the parser kept, proof that the code after the odd syntax was read. */
function requires(ast: t.File): string[] {
  const out: string[] = []
  walk(ast.program, {
    enter(n) {
      if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'StringLiteral') out.push(n.arguments[0].value)
    },
  })
  return out
}

describe('parseSource', () => {
  it('parses plain CommonJS', () => {
    expect(requires(parsed('index.js', "const cp = require('child_process')"))).toEqual(['child_process'])
  })

  it('parses TypeScript-only syntax in a .js file', () => {
    const ast = parsed('index.js', "enum Mode { A, B }\nconst x = obj!.y\nrequire('child_process')")
    expect(nodeTypes(ast)).toContain('TSEnumDeclaration')
    expect(requires(ast)).toEqual(['child_process'])
  })

  it('parses JSX in a .js file', () => {
    const ast = parsed('index.js', "const el = <div className=\"x\">{require('os').hostname()}</div>")
    expect(nodeTypes(ast)).toContain('JSXElement')
    expect(requires(ast)).toEqual(['os'])
  })

  it('parses Flow in a .js file', () => {
    const ast = parsed('index.js', "// @flow\ntype T = {| a: number |}\nfunction f(x: ?string): T { return require('fs') }")
    expect(nodeTypes(ast)).toContain('TypeAlias')
    expect(requires(ast)).toEqual(['fs'])
  })

  it('tries the Flow plugin only on files with a @flow pragma (it is quadratic on long comments)', () => {
    // 200 K blanks in a comment: instant without the Flow plugin, minutes with it.
    const ast = parsed('index.js', `/* ${' '.repeat(200_000)} */\nrequire('child_process')`)
    expect(requires(ast)).toEqual(['child_process'])
  })

  it('refuses extreme nesting before the parser spends seconds overflowing its stack', () => {
    const deep = `x = ${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect(parseSource('index.js', deep)).toEqual({ ok: false, error: expect.stringContaining('nest 100000 levels deep') })
    const fine = `x = ${'['.repeat(200)}${']'.repeat(200)}`
    expect(parseSource('index.js', fine).ok).toBe(true)
  })

  it('parses TypeScript and TSX files', () => {
    expect(nodeTypes(parsed('a.ts', 'const f = <T,>(x: T): T => x; let y = <string>z'))).toContain('TSTypeAssertion')
    expect(nodeTypes(parsed('a.tsx', 'const el = <A<string> prop={x as number} />'))).toContain('TSAsExpression')
    expect(nodeTypes(parsed('a.mts', 'export type A = string; import x = require("y")'))).toContain('TSImportEqualsDeclaration')
  })

  it('parses decorators', () => {
    expect(nodeTypes(parsed('index.js', '@sealed class A { @field x = 1 }'))).toContain('Decorator')
  })

  it('parses script-only syntax: with, legacy octal, HTML comments', () => {
    const ast = parsed('index.js', "with (obj) { a = require('net') }\nvar n = 010, s = '\\101'\n<!-- old comment\nvar z = 1")
    expect(nodeTypes(ast)).toContain('WithStatement')
    expect(requires(ast)).toEqual(['net'])
  })

  it('allows top-level return in CommonJS and top-level await in modules', () => {
    expect(nodeTypes(parsed('a.cjs', 'if (x) return\nrequire("a")'))).toContain('ReturnStatement')
    expect(nodeTypes(parsed('a.mjs', 'await import("b")'))).toContain('AwaitExpression')
  })

  it('parses .mjs as a module', () => {
    const ast = parsed('a.mjs', "import fs from 'fs'\nexport default fs")
    expect(ast.program.sourceType).toBe('module')
    expect(nodeTypes(ast)).toContain('ImportDeclaration')
  })

  it('parses .cjs as a script', () => {
    expect(parsed('a.cjs', 'module.exports = 1').program.sourceType).toBe('script')
  })

  it('treats .js as a module when the package is "type": "module"', () => {
    expect(parsed('a.js', 'const x = 1', 'module').program.sourceType).toBe('module')
    expect(parsed('a.js', 'import x from "y"').program.sourceType).toBe('module')
    expect(parsed('a.js', 'const x = require("y")').program.sourceType).toBe('script')
  })

  it('returns ok:false with the parser message for invalid syntax', () => {
    const result = parseSource('index.js', 'const x = ;')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/Unexpected token \(1:\d+\)/)
  })

  it('parses the prefix of a file that breaks half-way, and says where it was cut', () => {
    const line = parseSource('index.js', 'a()\nb()\nconst x = ;')
    expect(line).toMatchObject({ ok: true, partial: expect.stringContaining('before line 3') })
    const oneLine = parseSource('index.js', 'a();b();const x = ;')
    expect(oneLine).toMatchObject({ ok: true, partial: expect.stringContaining('before column 9') })
  })

  it('returns ok:false for an unterminated string', () => {
    const result = parseSource('index.js', 'x = "abc')
    expect(result).toEqual({ ok: false, error: expect.stringContaining('Unterminated string') })
  })

  it('gives up on nesting deeper than the parser stack, without throwing', () => {
    // Under the bracket limit but past this thread's stack: the parser's RangeError is caught.
    const result = parseSource('index.js', `x = ${'('.repeat(4_000)}1${')'.repeat(4_000)}`)
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^parser gave up/) })
  })
})
