import { availableParallelism } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { Piscina } from 'piscina'
import type { ReadLimits } from '../../fetch/limits.ts'
import type { PackageRef } from '../../types.ts'
import { createTracker, readTracker } from './file-tracker.ts'
import type { PackageSourceData } from '../../fetch/package-source.ts'
import type { AnalysisOutcome, AnalysisTask } from './task.ts'

export interface Budget {
  /** Wall-clock time one file may take (parse and every rule) before its worker is stopped. */
  fileMs: number
  /** Time for the parts of a package outside any file (unpacking, manifest rules). */
  packageMs: number
  /** Old-generation heap of each worker. */
  workerMemoryMb: number
  /**
   * Heap of the one worker that analyses a package again when it ran a worker out of memory;
   * only when that is not enough either is the file in flight set aside. 0: no such retry.
   */
  retryMemoryMb: number
}

/**
 * V8 lets a heap grow towards its limit before it collects much, and the analysis makes garbage
 * fast (an AST and its data flow per file): with 2 GB per worker, `next` (80 MB of JavaScript)
 * held 1.4 GB although what is live at any time is a few hundred MB (768 MB holds TypeScript's
 * 9 MB `typescript.js` and `tsc.js`). The few files that need more get the larger retry.
 */
export const DEFAULT_BUDGET: Budget = { fileMs: 30_000, packageMs: 120_000, workerMemoryMb: 768, retryMemoryMb: 2048 }

/**
 * Young generation of each worker: two 32 MB semi-spaces. V8's default for these heaps is 64 MB
 * semi-spaces, which the ASTs of large files fill and which stay resident after (about 130 MB of
 * pages per worker, more than its live data); at 32 MB `next` in process peaked at 760–850 MB
 * against 910–960 MB, in the same CPU time. At 16 MB the CPU time grew.
 */
const YOUNG_GENERATION_MB = 96

/** A package whose analysis could not finish even with its overrunning files set aside. */
export class AnalysisFailure extends Error {}

// The bundled GitHub Action (dist/action/index.js) is its own worker script: it exports the analysis.
const WORKER_URL = typeof __TARSIER_BUNDLE__ !== 'undefined' ? import.meta.url : new URL(`./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href
const MAX_ATTEMPTS = 6
const WATCH_INTERVAL_MS = 200

/**
 * Runs package analyses in worker threads, so that parsing and rules use every core and one
 * hostile file can neither stall nor crash the scan: each file has a time budget and each worker a
 * memory limit. A package that runs a worker out of memory is analysed again by a worker with
 * more (`retryMemoryMb`); when that, or the time budget, runs out too, the file in flight is
 * analysed again with less (first lexical rules only, then not at all), and the reason becomes an
 * `unparsed-file` finding.
 */
export class AnalysisPool {
  readonly #pool: Piscina
  readonly #budget: Budget
  /** Started on the first package that runs a worker of `#pool` out of memory. */
  #retryPool: Piscina | undefined

  constructor(options: { threads?: number; budget?: Partial<Budget> } = {}) {
    this.#budget = { ...DEFAULT_BUDGET, ...options.budget }
    const threads = options.threads ?? Math.max(1, Math.min(availableParallelism(), 8))
    this.#pool = startPool(threads, this.#budget.workerMemoryMb)
  }

  async analyze(ref: PackageRef, source: PackageSourceData, limits?: ReadLimits): Promise<AnalysisOutcome> {
    const skipFiles = new Map<string, { level: 'parse' | 'all'; reason: string }>()
    let pool = this.#pool
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const tracker = createTracker()
      const controller = new AbortController()
      let overrun: string | undefined
      let generation = -1
      let since = Date.now()
      const started = Date.now()
      const watchdog = setInterval(() => {
        const now = readTracker(tracker)
        if (now.generation !== generation) {
          generation = now.generation
          since = Date.now()
          return
        }
        const inFile = now.path !== ''
        if (inFile && Date.now() - since > this.#budget.fileMs) {
          overrun = `its analysis took longer than the ${this.#budget.fileMs / 1000} s budget per file`
          controller.abort()
        } else if (!inFile && Date.now() - started > this.#budget.packageMs) {
          overrun = `unpacking and package-level analysis took longer than ${this.#budget.packageMs / 1000} s`
          controller.abort()
        }
      }, WATCH_INTERVAL_MS)
      const task: AnalysisTask = { ref, source, ...(limits && { limits }), skipFiles: [...skipFiles], tracker }
      try {
        const outcome = (await pool.run(task, { signal: controller.signal })) as AnalysisOutcome
        return skipFiles.size > 0 ? { ...outcome, budgetLimited: true } : outcome
      } catch (error) {
        const { path } = readTracker(tracker)
        const reason = overrun ?? workerDeath(error)
        if (!reason) throw error
        if (!overrun && pool === this.#pool && outOfMemory(error) && this.#budget.retryMemoryMb > this.#budget.workerMemoryMb) {
          this.#retryPool ??= startPool(1, this.#budget.retryMemoryMb)
          pool = this.#retryPool
          continue
        }
        if (!path) throw new AnalysisFailure(`analysis of the package stopped: ${reason}`)
        const previous = skipFiles.get(path)
        if (previous?.level === 'all') throw new AnalysisFailure(`analysis of ${path} stopped twice: ${reason}`)
        skipFiles.set(path, {
          level: previous ? 'all' : 'parse',
          reason: previous ? `${previous.reason}, and so did reading its text` : `not parsed: ${reason}`,
        })
      } finally {
        clearInterval(watchdog)
      }
    }
    throw new AnalysisFailure(`analysis gave up after ${MAX_ATTEMPTS} attempts`)
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.destroy(), this.#retryPool?.destroy()])
  }
}

function startPool(threads: number, memoryMb: number): Piscina {
  // The CLI's own thread runs with small semi-spaces (bin/tarsier.js), and V8 lets that flag
  // override the young generation a worker is given below: unset it before any worker starts.
  setFlagsFromString('--max-semi-space-size=0')
  return new Piscina({
    filename: WORKER_URL,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 2_000,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, stackSizeMb: 32 },
  })
}

function outOfMemory(error: unknown): boolean {
  const e = error as { code?: string; message?: string }
  return e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(e.message ?? '')
}

/** Why a worker died, when it did (memory, stack), else undefined for ordinary errors. */
function workerDeath(error: unknown): string | undefined {
  const e = error as { code?: string; message?: string }
  if (outOfMemory(error)) return 'it needed more memory than a worker may use'
  const message = (e.message ?? '').toLowerCase()
  const afterWorker = message.includes('worker') ? message.slice(message.indexOf('worker')) : ''
  if (/terminated|exited/.test(message) || /died|stopped/.test(afterWorker)) return `its worker stopped (${e.message})`
  return undefined
}
