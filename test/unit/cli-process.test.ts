import { spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TARSIER_BIN, tempDir } from '../helpers/fixtures.ts'

/** Runs `tarsier --version` with a preload that prints, in each process image, its pid and MALLOC_ARENA_MAX. */
async function arenasSeen(env: NodeJS.ProcessEnv): Promise<{ lines: string[]; stdout: string; status: number | null }> {
  const dir = await tempDir('cli-process')
  const preload = join(dir, 'report-arenas.mjs')
  await writeFile(preload, "process.stderr.write(`image ${process.pid} ${process.env.MALLOC_ARENA_MAX ?? 'unset'}\\n`)\n")
  const { MALLOC_ARENA_MAX: _, ...rest } = process.env
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
    expect(second![1]).toBe(first![1])
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    expect(status).toBe(0)
  })

  it('leaves a MALLOC_ARENA_MAX the user set alone', async () => {
    const { lines, status } = await arenasSeen({ MALLOC_ARENA_MAX: '8' })
    expect(lines).toEqual([expect.stringMatching(/ 8$/)])
    expect(status).toBe(0)
  })
})
