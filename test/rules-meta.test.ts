import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rules } from '../rules/index.ts'
import { SEVERITIES, type Rule } from '../src/types.ts'

const root = new URL('../', import.meta.url)
const ruleFiles = readdirSync(new URL('rules/', root))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .sort()

const modules = new Map<string, Rule>()
for (const name of ruleFiles) {
  const mod = (await import(new URL(`rules/${name}.ts`, root).href)) as { default?: Rule }
  if (mod.default) modules.set(name, mod.default)
}

describe('rule registry', () => {
  it('finds rule files', () => {
    expect(ruleFiles.length).toBeGreaterThan(0)
  })

  it('lists every rule file in rules/index.ts, and nothing else', () => {
    expect(rules.map((r) => r.meta.id).sort()).toEqual(ruleFiles)
  })

  it('registers the module’s own default export', () => {
    for (const rule of rules) expect(modules.get(rule.meta.id), rule.meta.id).toBe(rule)
  })

  it('keeps rules/index.ts sorted by id', () => {
    const ids = rules.map((r) => r.meta.id)
    expect(ids).toEqual([...ids].sort())
  })

  it('has no duplicate ids', () => {
    expect(new Set(rules.map((r) => r.meta.id)).size).toBe(rules.length)
  })
})

describe.each(ruleFiles)('rule %s', (name) => {
  const rule = () => {
    const r = modules.get(name)
    if (!r) throw new Error(`rules/${name}.ts has no default export`)
    return r
  }

  it('default-exports a rule whose meta.id is the file name, in kebab-case', () => {
    expect(rule().meta.id).toBe(name)
    expect(name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    expect(typeof rule().create).toBe('function')
  })

  it('has a valid severity and a description', () => {
    expect(SEVERITIES).toContain(rule().meta.severity)
    expect(rule().meta.description.trim().length).toBeGreaterThan(10)
  })

  it('has a doc page rules/<id>.md whose first heading is the id', () => {
    expect(rule().meta.docs).toBe(`rules/${name}.md`)
    const path = new URL(`rules/${name}.md`, root)
    expect(existsSync(path), `rules/${name}.md is missing`).toBe(true)
    const firstHeading = readFileSync(path, 'utf8')
      .split('\n')
      .find((line) => /^#{1,6}\s/.test(line))
    expect(firstHeading).toBe(`# ${name}`)
  })

  it('has tests in test/rules/<id>.test.ts', () => {
    expect(existsSync(new URL(`test/rules/${name}.test.ts`, root)), `test/rules/${name}.test.ts is missing`).toBe(true)
  })
})
