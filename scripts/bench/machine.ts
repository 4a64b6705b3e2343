// Where and on what the benchmark ran.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { loadAverage, rssSource, type RssSource } from './measure.ts'

export interface MachineInfo {
  date: string
  cpuModel: string
  cores: number
  memoryBytes: number
  node: string
  tarsierVersion: string
  commit: string
  /** Tracked files changed since the commit (the CLI measured is the working tree). */
  dirty: boolean
  rssSource: RssSource
  loadAtStart: number
}

export function machineInfo(repoRoot: string): MachineInfo {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' })
  const commit = git('rev-parse', '--short=12', 'HEAD').stdout.trim() || 'unknown'
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim().length > 0
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    tarsierVersion: manifest.version,
    commit,
    dirty,
    rssSource: rssSource(),
    loadAtStart: loadAverage(),
  }
}

function cpuModel(): string {
  try {
    const line = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]
    if (line) return line.trim()
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown'
}
