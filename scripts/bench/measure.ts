// Runs one command as a subprocess and measures its wall time and peak resident memory.
//
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the child's getrusage ru_maxrss) when it is
// installed; otherwise from polling /proc: the highest VmHWM of the child and of every descendant
// seen, and the highest sum of their VmRSS at one instant, whichever is larger. Worker threads live
// in the child's process, so either way they are counted.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type RssSource = 'GNU time' | '/proc polling'

export interface Measured {
  wallMs: number
  /** Undefined when it could not be measured (the reason is in `stderr`). */
  peakRssBytes: number | undefined
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** The last 8 KB of the command's stderr. */
  stderr: string
  /** 1-minute load average just before and just after the run (other work on the machine). */
  loadBefore: number
  loadAfter: number
}

export interface RunOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
}

const GNU_TIME = '/usr/bin/time'
let gnuTimeWorks: boolean | undefined

/** How peak RSS will be measured on this machine (TARSIER_BENCH_RSS=proc forces polling). */
export function rssSource(): RssSource {
  if (process.env.TARSIER_BENCH_RSS === 'proc') return '/proc polling'
  if (gnuTimeWorks === undefined) {
    gnuTimeWorks = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0
  }
  return gnuTimeWorks ? 'GNU time' : '/proc polling'
}

export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
  } catch {
    return Number.NaN
  }
}

export async function runMeasured(command: string, args: readonly string[], options: RunOptions = {}): Promise<Measured> {
  return rssSource() === 'GNU time' ? runWithGnuTime(command, args, options) : runWithProcPolling(command, args, options)
}

const RSS_LINE = /^TARSIER_BENCH_MAXRSS_KB=(\d+)$/m

async function runWithGnuTime(command: string, args: readonly string[], options: RunOptions): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'tarsier-bench-time-'))
  const out = join(dir, 'time.txt')
  try {
    const run = await spawnAndWait(GNU_TIME, ['-f', 'TARSIER_BENCH_MAXRSS_KB=%M', '-o', out, command, ...args], options)
    const text = await readFile(out, 'utf8').catch(() => '')
    const kb = RSS_LINE.exec(text)?.[1]
    // GNU time exits with the command's status, and notes a signal in its output file.
    const signal = /terminated by signal (\d+)/.exec(text)?.[1]
    return {
      ...run,
      peakRssBytes: kb === undefined ? undefined : Number(kb) * 1024,
      ...(signal && { exitCode: null, signal: signalName(Number(signal)) }),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function runWithProcPolling(command: string, args: readonly string[], options: RunOptions): Promise<Measured> {
  let peak = 0
  let timer: NodeJS.Timeout | undefined
  const run = await spawnAndWait(command, args, options, (pid) => {
    const sample = () => {
      let sum = 0
      for (const p of [pid, ...descendants(pid)]) {
        const status = procStatus(p)
        if (!status) continue
        peak = Math.max(peak, status.hwm)
        sum += status.rss
      }
      peak = Math.max(peak, sum)
    }
    sample()
    timer = setInterval(sample, 50)
  })
  clearInterval(timer)
  return { ...run, peakRssBytes: peak > 0 ? peak : undefined }
}

function spawnAndWait(command: string, args: readonly string[], options: RunOptions, onSpawn?: (pid: number) => void): Promise<Omit<Measured, 'peakRssBytes'>> {
  return new Promise((resolve, reject) => {
    const loadBefore = loadAverage()
    const started = performance.now()
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8192)
    })
    child.on('error', reject)
    child.on('spawn', () => {
      if (child.pid !== undefined) onSpawn?.(child.pid)
    })
    child.on('close', (exitCode, signal) => {
      resolve({ wallMs: performance.now() - started, exitCode, signal, stderr, loadBefore, loadAfter: loadAverage() })
    })
  })
}

function procStatus(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') }
  } catch {
    return undefined
  }
}

function descendants(pid: number): number[] {
  const found: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const current = queue.shift()!
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${current}/task`)
    } catch {
      continue
    }
    for (const task of tasks) {
      let children = ''
      try {
        children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8')
      } catch {
        continue
      }
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        found.push(child)
        queue.push(child)
      }
    }
  }
  return found
}

function signalName(n: number): NodeJS.Signals {
  const names: Record<number, NodeJS.Signals> = { 1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' }
  return names[n] ?? 'SIGTERM'
}
