/**
 * Every regular expression written in the rules and the engine runs on attacker-chosen text, so
 * none may backtrack catastrophically. Each literal (and each `RegExp(...)` built from a literal)
 * is checked with recheck, which proves a pattern linear or finds an attack string. A vulnerable
 * pattern, or one it cannot decide, fails the test: rewrite it (split it, or use string methods).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parse } from '@babel/parser'
import { checkSync } from 'recheck'
import { describe, expect, it } from 'vitest'
import { walk } from '../../src/analyze/walk.ts'

const ROOT = new URL('../../', import.meta.url).pathname

interface FoundRegExp {
  where: string
  source: string
  flags: string
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

function regExpsOf(file: string): FoundRegExp[] {
  const ast = parse(readFileSync(file, 'utf8'), { sourceType: 'module', plugins: ['typescript'] })
  const found: FoundRegExp[] = []
  const where = (line: number | undefined) => `${relative(ROOT, file)}:${line ?? '?'}`
  walk(ast.program, { enter: (node) => {
    if (node.type === 'RegExpLiteral') found.push({ where: where(node.loc?.start.line), source: node.pattern, flags: node.flags })
    if ((node.type === 'NewExpression' || node.type === 'CallExpression') && node.callee.type === 'Identifier' && node.callee.name === 'RegExp') {
      const [pattern, flags] = node.arguments
      if (pattern?.type === 'StringLiteral') found.push({ where: where(node.loc?.start.line), source: pattern.value, flags: flags?.type === 'StringLiteral' ? flags.value : '' })
    }
  }, exit: () => {} })
  return found
}

const regExps = ['rules', 'src'].flatMap((dir) => sourceFiles(join(ROOT, dir))).flatMap(regExpsOf)

describe('regular expressions of the rules and the engine', () => {
  it('are found (the collector works)', () => {
    expect(regExps.length).toBeGreaterThan(100)
  })

  it('none can backtrack catastrophically', { timeout: 300_000 }, () => {
    const unsafe: string[] = []
    for (const { where, source, flags } of regExps) {
      // The automaton checker decides exactly (bounded repeats expanded), but gives up on large
      // alternations and lookarounds; recheck's fuzzer then searches for an attack string.
      let result = checkSync(source, flags, { checker: 'automaton', timeout: 1_000, maxRepeatCount: 1_000, maxNFASize: 1_000_000, maxPatternSize: 100_000 })
      if (result.status === 'unknown') result = checkSync(source, flags, { checker: 'fuzz', timeout: 10_000 })
      // A fuzzer's "polynomial" on bounded repeats can be a guess made under load: the exact
      // checker, given more time, settles it either way.
      if (result.status === 'vulnerable' && result.complexity.isFuzz) {
        const exact = checkSync(source, flags, { checker: 'automaton', timeout: 20_000, maxRepeatCount: 1_000, maxNFASize: 1_000_000, maxPatternSize: 100_000 })
        if (exact.status !== 'unknown') result = exact
      }
      if (result.status === 'vulnerable') unsafe.push(`${where} /${source}/${flags}: ${result.complexity.summary}, attack ${result.attack.pattern}`)
      else if (result.status === 'unknown') unsafe.push(`${where} /${source}/${flags}: not decided (${result.error.kind})`)
    }
    expect(unsafe).toEqual([])
  })
})
