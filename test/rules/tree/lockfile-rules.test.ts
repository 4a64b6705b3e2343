import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { treeRules } from '../../../rules/tree/index.ts'
import { runTreeRules } from '../../../src/analyze/tree-rule.ts'
import type { PackageResult, TargetKind } from '../../../src/types.ts'

const REGISTRY = { registry: 'https://registry.npmjs.org/', '@acme:registry': 'https://npm.acme.example/api/npm/' }

function pkg(overrides: Partial<PackageResult> & { name: string; version: string; location: string }): PackageResult {
  return { source: 'registry', dev: false, optional: false, status: 'scanned', verdict: 'clean', findings: [], stats: { files: 0, jsFiles: 0, bytes: 0 }, integrity: 'sha512-aaa', ...overrides }
}

function run(packages: PackageResult[], targetKind: TargetKind = 'lockfile', config: Record<string, string> = REGISTRY): PackageResult[] {
  runTreeRules(treeRules, packages, config, targetKind)
  return packages
}

const ids = (p: PackageResult) => p.findings.map((f) => `${f.ruleId} ${f.severity}`)

describe('tree rules', () => {
  it('are declared like package rules, sorted, each with its doc page', () => {
    const list = treeRules.map((r) => r.meta.id)
    expect(list).toEqual([...list].sort())
    for (const rule of treeRules) {
      expect(rule.meta.docs).toBe(`rules/tree/${rule.meta.id}.md`)
      const doc = new URL(`../../../${rule.meta.docs}`, import.meta.url)
      expect(existsSync(doc), rule.meta.docs).toBe(true)
      expect(readFileSync(doc, 'utf8').split('\n')[0]).toBe(`# ${rule.meta.id}`)
    }
  })
})

describe('lockfile-injection', () => {
  it('flags a registry package resolved from a host that no configuration names', () => {
    const [evil] = run([pkg({ name: 'lodash', version: '4.17.21', location: 'node_modules/lodash', resolved: 'https://npm.attacker.example/lodash/-/lodash-4.17.21.tgz' })])
    expect(ids(evil!)).toEqual(['lockfile-injection high'])
    expect(evil!.findings[0]!.message).toContain('npm.attacker.example')
    expect(evil!.verdict).toBe('suspicious')
  })

  it('accepts the public registry under its names, the configured registry and scoped registries', () => {
    const packages = run([
      pkg({ name: 'a', version: '1.0.0', location: 'node_modules/a', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' }),
      pkg({ name: 'b', version: '1.0.0', location: 'node_modules/b', resolved: 'https://registry.yarnpkg.com/b/-/b-1.0.0.tgz' }),
      pkg({ name: '@acme/c', version: '1.0.0', location: 'node_modules/@acme/c', resolved: 'https://npm.acme.example/api/npm/@acme/c/-/c-1.0.0.tgz' }),
      pkg({ name: 'd', version: '1.0.0', location: 'node_modules/d', source: 'git', resolved: 'git+ssh://git@github.com/x/d.git#abc' }),
    ])
    expect(packages.flatMap(ids)).toEqual([])
  })
})

describe('lockfile-integrity-conflict', () => {
  it('flags both copies of one version with two hashes', () => {
    const packages = run([
      pkg({ name: 'debug', version: '4.3.4', location: 'node_modules/debug', integrity: 'sha512-AAA' }),
      pkg({ name: 'debug', version: '4.3.4', location: 'node_modules/express/node_modules/debug', integrity: 'sha512-BBB' }),
      pkg({ name: 'debug', version: '2.6.9', location: 'node_modules/x/node_modules/debug', integrity: 'sha512-CCC' }),
    ])
    expect(packages.map(ids)).toEqual([['lockfile-integrity-conflict critical'], ['lockfile-integrity-conflict critical'], []])
    expect(packages[0]!.verdict).toBe('malicious')
    expect(packages[0]!.findings[0]!.message).toContain('node_modules/express/node_modules/debug')
  })

  it('leaves copies with the same hash alone', () => {
    const packages = run([pkg({ name: 'ms', version: '2.1.3', location: 'node_modules/ms' }), pkg({ name: 'ms', version: '2.1.3', location: 'node_modules/a/node_modules/ms' })])
    expect(packages.flatMap(ids)).toEqual([])
  })
})

describe('lockfile-missing-integrity', () => {
  it('flags a lockfile registry entry without a hash, low', () => {
    const [entry] = run([pkg({ name: 'x', version: '1.0.0', location: 'node_modules/x', integrity: undefined })])
    expect(ids(entry!)).toEqual(['lockfile-missing-integrity low'])
    expect(entry!.verdict).toBe('clean')
  })

  it('says nothing for installed trees, specs, the root and non-registry entries', () => {
    for (const kind of ['node_modules', 'registry-spec', 'package.json'] as const) {
      expect(run([pkg({ name: 'x', version: '1.0.0', location: 'node_modules/x', integrity: undefined })], kind).flatMap(ids)).toEqual([])
    }
    const packages = run([
      pkg({ name: 'app', version: '', location: '', source: 'root', integrity: undefined }),
      pkg({ name: 'y', version: '1.0.0', location: 'node_modules/y', source: 'git', integrity: undefined }),
    ])
    expect(packages.flatMap(ids)).toEqual([])
  })
})
