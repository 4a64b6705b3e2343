import { describe, expect, it } from 'vitest'
import { analyzePackage, type PackageAnalysis } from '../analyze/engine.ts'
import { readDirectory } from '../fetch/directory-reader.ts'
import type { FetchFailure, Finding, PackageFile, PackageRef, Rule, Severity, TarballAnomaly } from '../types.ts'

/** A package to analyse: inline code and files, or a fixture directory (read from disk, never run). */
export interface TestCase {
  name?: string
  /** Code of the main file (`filename`, default `index.js`). */
  code?: string
  filename?: string
  /** Other files of the package: path → content (a Buffer for binary files). */
  files?: Record<string, string | Buffer>
  /** The tarball's package.json; default `{ name: 'fixture', version: '1.0.0' }`. */
  manifest?: Record<string, unknown>
  /** Makes `filename` run at install time: adds `"postinstall": "node <filename>"` to the manifest. */
  installTime?: boolean
  /** A package directory, relative to the repository root. */
  fixture?: string
  ref?: Partial<PackageRef>
  anomalies?: TarballAnomaly[]
  fetchFailure?: FetchFailure
}

export interface ExpectedFinding {
  message?: string | RegExp
  severity?: Severity
  line?: number
  file?: string
}

export interface InvalidCase extends TestCase {
  /** The rule's findings, in report order; a number checks only how many. */
  errors: ExpectedFinding[] | number
}

export interface RuleTests {
  valid: Array<TestCase | string>
  invalid: InvalidCase[]
}

const REPO_ROOT = new URL('../../', import.meta.url)

/** Analyses one test case with the given rules, as the scanner would analyse a fetched package. */
export async function analyzeCase(testCase: TestCase | string, rules: readonly Rule[]): Promise<PackageAnalysis> {
  const c: TestCase = typeof testCase === 'string' ? { code: testCase } : testCase
  const files = new Map<string, PackageFile>()
  let anomalies = c.anomalies ?? []
  if (c.fixture) {
    const contents = await readDirectory(new URL(c.fixture, REPO_ROOT).pathname)
    for (const [path, file] of contents.files) files.set(path, file)
    anomalies = [...anomalies, ...contents.anomalies]
  }
  const filename = c.filename ?? 'index.js'
  const add = (path: string, text: string | Buffer) => files.set(path, { path, size: Buffer.byteLength(text), content: Buffer.from(text) })
  if (c.code !== undefined) add(filename, c.code)
  for (const [path, text] of Object.entries(c.files ?? {})) add(path, text)
  if (!files.has('package.json') || c.manifest || c.installTime) {
    const existing = files.get('package.json')?.content
    const manifest: Record<string, unknown> = c.manifest ?? (existing ? (JSON.parse(existing.toString()) as Record<string, unknown>) : { name: 'fixture', version: '1.0.0' })
    if (c.installTime) manifest.scripts = { ...(manifest.scripts as object | undefined), postinstall: `node ${filename}` }
    add('package.json', JSON.stringify(manifest))
  }
  // Like a package resolved from a registry: the lockfile names what the package.json says,
  // unless the case sets another identity (to test what happens when they differ).
  let own: { name?: unknown; version?: unknown } = {}
  try {
    const parsed: unknown = JSON.parse(files.get('package.json')?.content?.toString() ?? '{}')
    if (parsed && typeof parsed === 'object') own = parsed
  } catch {
    // A case about a broken package.json: the default identity.
  }
  const name = typeof own.name === 'string' ? own.name : 'fixture'
  const version = typeof own.version === 'string' ? own.version : '1.0.0'
  const ref: PackageRef = {
    name,
    version,
    spec: `${name}@${version}`,
    source: 'registry',
    location: 'node_modules/fixture',
    dev: false,
    optional: false,
    ...c.ref,
  }
  return analyzePackage({ ref, files, anomalies, ...(c.fetchFailure && { fetchFailure: c.fetchFailure }) }, rules)
}

function label(c: TestCase | string, index: number): string {
  if (typeof c === 'string') return c.length > 70 ? `${c.slice(0, 67)}…` : c
  return c.name ?? c.fixture ?? (c.code && c.code.length <= 70 ? c.code : `case ${index + 1}`)
}

/** ESLint-style rule tests on vitest: valid cases produce no finding of the rule, invalid ones exactly the expected. */
export class RuleTester {
  run(rule: Rule, tests: RuleTests): void {
    describe(rule.meta.id, () => {
      describe('valid', () => {
        tests.valid.forEach((c, i) => {
          it(label(c, i), async () => {
            const { findings, errors } = await analyzeCase(c, [rule])
            expect(errors).toEqual([])
            expect(findings.filter((f) => f.ruleId === rule.meta.id)).toEqual([])
          })
        })
      })
      describe('invalid', () => {
        tests.invalid.forEach((c, i) => {
          it(label(c, i), async () => {
            const { findings, errors } = await analyzeCase(c, [rule])
            expect(errors).toEqual([])
            const own = findings.filter((f) => f.ruleId === rule.meta.id)
            if (typeof c.errors === 'number') {
              expect(own).toHaveLength(c.errors)
              return
            }
            expect(own.map(summary)).toHaveLength(c.errors.length)
            c.errors.forEach((expected, j) => matches(own[j]!, expected))
          })
        })
      })
    })
  }
}

function summary(f: Finding): string {
  return `${f.severity} ${f.file ?? ''}:${f.line ?? ''} ${f.message}`
}

function matches(actual: Finding, expected: ExpectedFinding): void {
  if (expected.severity) expect(actual.severity, summary(actual)).toBe(expected.severity)
  if (expected.line !== undefined) expect(actual.line, summary(actual)).toBe(expected.line)
  if (expected.file !== undefined) expect(actual.file, summary(actual)).toBe(expected.file)
  if (typeof expected.message === 'string') expect(actual.message).toContain(expected.message)
  else if (expected.message) expect(actual.message).toMatch(expected.message)
}
