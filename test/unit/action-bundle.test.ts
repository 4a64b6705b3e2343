import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { buildAction } from '../../scripts/build-action.ts'
import { tempDir } from '../helpers/fixtures.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

describe('the GitHub Action', () => {
  it('dist/action/index.js is the bundle of the current sources (else: npm run build:action, and commit it)', async () => {
    const out = await tempDir('action-build')
    try {
      const fresh = await readFile(await buildAction(out))
      const committed = await readFile(join(ROOT, 'dist', 'action', 'index.js')).catch(() => Buffer.alloc(0))
      // A byte comparison; on failure say what to do rather than print megabytes.
      expect(committed.equals(fresh), 'dist/action/index.js is stale: run `npm run build:action` and commit dist/action/index.js').toBe(true)
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  }, 60_000)

  it('action.yml runs the bundle on node24 and declares the inputs the code reads', async () => {
    const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; main: string }; inputs: Record<string, unknown>; outputs: Record<string, unknown> }
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action/index.js' })
    const source = await readFile(join(ROOT, 'src', 'action', 'inputs.ts'), 'utf8')
    const read = [...source.matchAll(/core\.getInput\('([a-z-]+)'\)/g)].map((m) => m[1]).sort()
    expect(Object.keys(action.inputs).sort()).toEqual(read)
    const main = await readFile(join(ROOT, 'src', 'action', 'main.ts'), 'utf8')
    const set = [...main.matchAll(/core\.setOutput\('([a-z-]+)'/g)].map((m) => m[1]).sort()
    expect(Object.keys(action.outputs).sort()).toEqual(set)
  })
})
