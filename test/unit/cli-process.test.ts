import { spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TARSIER_BIN, tempDir } from '../helpers/fixtures.ts'

/** Runs `tarsier --version` with a preload that prints, in each process image, its pid, MALLOC_ARENA_MAX, semi-space flag and MALLOC_MMAP_THRESHOLD_. */
async function arenasSeen(env: NodeJS.ProcessEnv): Promise<{ lines: string[]; stdout: string; status: number | null }> {
  const dir = await tempDir('cli-process')
  const preload = join(dir, 'report-arenas.mjs')
  await writeFile(preload, "process.stderr.write(`image ${process.pid} ${process.env.MALLOC_ARENA_MAX ?? 'unset'} ${process.execArgv.filter((a) => a.startsWith('--max-semi')).join(',') || '-'} ${process.env.MALLOC_MMAP_THRESHOLD_ ?? 'unset'}\\n`)\n")
  const { MALLOC_ARENA_MAX: _, MALLOC_MMAP_THRESHOLD_: __, ...rest } = process.env
  const run = spawnSync(process.execPath, ['--import', preload, TARSIER_BIN, '--version'], { env: { ...rest, ...env }, encoding: 'utf8' })
  return { lines: run.stderr.split('\n').filter((l) => l.startsWith('image ')), stdout: run.stdout, status: run.status }
}

describe.runIf(process.platform === 'linux')('the CLI process on Linux', () => {
  it('replaces itself once with two malloc arenas, keeping its pid, arguments and output', async () => {
    const { lines, stdout, status } = await arenasSeen({})
    expect(lines).toHaveLength(2)
    const [first, second] = lines.map((l) => l.split(' '))
    expect(first![2]).toBe('unset')
    expect(second![2]).toBe('2')
    expect([first![3], second![3]]).toEqual(['-', '--max-semi-space-size=4'])
    expect([first![4], second![4]]).toEqual(['unset', '131072'])
    expect(second![1]).toBe(first![1])
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    expect(status).toBe(0)
  })

  it('leaves a MALLOC_ARENA_MAX the user set alone', async () => {
    const { lines, status } = await arenasSeen({ MALLOC_ARENA_MAX: '8' })
    expect(lines).toEqual([expect.stringMatching(/ 8 - unset$/)])
    expect(status).toBe(0)
  })

  it('leaves a MALLOC_MMAP_THRESHOLD_ the user set alone', async () => {
    const { lines, status } = await arenasSeen({ MALLOC_MMAP_THRESHOLD_: '65536' })
    expect(lines).toHaveLength(2)
    expect(lines.map((l) => l.split(' ')[4])).toEqual(['65536', '65536'])
    expect(status).toBe(0)
  })
})

describe('young generations', () => {
  // In a process started as the CLI starts itself (small semi-spaces for its own thread), a worker
  // started after the analysis pool was made gets the young generation it asks for.
  const script = (makePool: boolean) => `
    import { Worker } from 'node:worker_threads'
    import v8 from 'node:v8'
    ${makePool ? `const { AnalysisPool } = await import(${JSON.stringify(new URL('../../src/analyze/worker/pool.ts', import.meta.url).href)}); await new AnalysisPool({ threads: 1 }).close()` : ''}
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size >> 20
    const churn = 'let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ a: i, b: [i] }); if (keep.length > 200000) keep = [] }'
    eval(churn)
    const worker = new Worker(churn + '; require("node:worker_threads").parentPort.postMessage(require("node:v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size >> 20)', { eval: true, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 96 } })
    worker.once('message', (workerMb) => { console.log(JSON.stringify({ main: newSpace(), worker: workerMb })); process.exit(0) })
  `
  const run = (makePool: boolean) => {
    const out = spawnSync(process.execPath, ['--max-semi-space-size=4', '--input-type=module', '-e', script(makePool)], { encoding: 'utf8' })
    expect(out.status, out.stderr).toBe(0)
    return JSON.parse(out.stdout) as { main: number; worker: number }
  }

  it('the main thread keeps its small young generation; once the pool exists, workers get theirs', () => {
    const withPool = run(true)
    expect(withPool.main).toBeLessThanOrEqual(8)
    expect(withPool.worker).toBeGreaterThan(8)
    // Without the pool's reset, V8's flag would have overridden the worker's own limit.
    expect(run(false).worker).toBeLessThanOrEqual(8)
  })
})
