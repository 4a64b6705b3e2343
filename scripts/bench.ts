// `npm run bench`: wall time and peak memory of the real CLI on bench/<tree> — cold, warm,
// unchanged rescan, a PR diff of 10 packages (`tarsier diff`) — beside NodeSecure's scanner on the same
// lockfile, against the targets of issue 9. Prints a Markdown table and writes BENCHMARKS.md.
// Every scan runs as a subprocess so its peak RSS can be measured (scripts/bench/measure.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, InvalidArgumentError, Option } from 'commander'
import { machineInfo } from './bench/machine.ts'
import { loadAverage, runMeasured } from './bench/measure.ts'
import type { NodeSecureSummary } from './bench/nodesecure-summary.ts'
import { TREES, writeDiffBase, type DiffPackage, type TreeName } from './bench/projects.ts'
import { snapshotCli } from './bench/snapshot.ts'
import { benchmarksMarkdown, gb, NOTES_MARKER, resultsTable, seconds, targetsTable, nodesecureTable, type BenchRun, type ModeId, type ModeResult, type RunFigures } from './bench/report.ts'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(REPO_ROOT, 'bin', 'tarsier.js')
const NODESECURE_RUNNER = join(REPO_ROOT, 'scripts', 'bench', 'nodesecure-runner.ts')
const NODESECURE_SIDE_INSTALL = join(REPO_ROOT, 'bench', 'nodesecure')
/** The part of a --cache directory that holds tarballs (src/scan.ts: `join(cacheDir, '_cacache')`). */
const TARBALL_CACHE = '_cacache'
const DIFF_PACKAGES = 10

const MODES: readonly ModeId[] = ['cold', 'warm', 'rescan', 'diff', 'diff-cold', 'nodesecure-cold', 'nodesecure-warm']
const LABELS: Record<ModeId, string> = {
  cold: 'cold (empty cache)',
  warm: 'warm (tarballs cached)',
  rescan: 'unchanged rescan',
  diff: `PR diff, ${DIFF_PACKAGES} packages (tarsier diff, warm)`,
  'diff-cold': `PR diff, ${DIFF_PACKAGES} packages (tarsier diff, cold)`,
  'nodesecure-cold': 'cold (empty ~/.npm)',
  'nodesecure-warm': 'warm (~/.npm primed)',
}

interface BenchFlags {
  runs: number
  tree: TreeName
  nodesecure: boolean
  modes: ModeId[]
  concurrency?: number
  output: string
  write: boolean
  json?: string
  keepTemp: boolean
  snapshot: boolean
  render?: string
}

interface TarsierReport {
  durationMs: number
  summary: { packages: number; scanned: number }
  warnings: string[]
  packages: Array<{ name: string; version: string; status: string; error?: string; stats: { files: number; jsFiles: number; bytes: number } }>
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer')
  return n
}

function modeList(value: string): ModeId[] {
  const modes = value.split(',').map((s) => s.trim()).filter(Boolean)
  for (const m of modes) if (!MODES.includes(m as ModeId)) throw new InvalidArgumentError(`expected some of ${MODES.join(', ')}`)
  return modes as ModeId[]
}

const log = (line: string) => process.stderr.write(`${line}\n`)

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run bench --')
    .description('Wall time and peak RSS of the Tarsier CLI on bench/<tree>, beside NodeSecure, against the targets of issue 9')
    .option('--runs <n>', 'runs per mode; medians are reported', positiveInt, 3)
    .addOption(new Option('--tree <name>', 'which tree of bench/ to scan').choices(TREES).default('large-app'))
    .option('--skip-nodesecure', 'do not run NodeSecure', false)
    .option('--modes <list>', `comma-separated subset of ${MODES.join(', ')}`, modeList, [...MODES])
    .option('--concurrency <n>', "passed to tarsier scan --concurrency (default: the CLI's default)", positiveInt)
    .option('--output <file>', 'the Markdown file written', join(REPO_ROOT, 'BENCHMARKS.md'))
    .option('--no-write', 'print the table only; do not write the Markdown file')
    .option('--json <file>', 'also write every run’s raw figures as JSON')
    .option('--keep-temp', 'keep the temporary caches and projects (their path is printed)', false)
    .option('--no-snapshot', 'run the working tree in place instead of a copy taken at the start')
    .option('--render <json>', 'measure nothing: print the table and write the Markdown file from the figures of an earlier --json')
    .parse(argv, { from: 'user' })
  const opts = program.opts<Omit<BenchFlags, 'nodesecure'> & { skipNodesecure: boolean }>()
  const flags: BenchFlags = { ...opts, nodesecure: !opts.skipNodesecure }

  if (flags.render) {
    await output(JSON.parse(await readFile(resolve(flags.render), 'utf8')) as BenchRun, flags)
    return 0
  }

  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number]
  if (major < 22 || (major === 22 && minor < 18)) {
    log(`npm run bench needs Node 22.18 or newer to run the TypeScript CLI (this is ${process.version}); \`npm run bench\` in the repository uses the Node 24 it installs.`)
    return 2
  }

  const machine = machineInfo(REPO_ROOT)
  const treeDir = join(REPO_ROOT, 'bench', flags.tree)
  const lockfile = join(treeDir, 'package-lock.json')
  if (!existsSync(lockfile)) {
    log(`no ${lockfile}`)
    return 2
  }
  const nodesecure = flags.nodesecure ? locateNodeSecure() : { skipped: true, reason: '`--skip-nodesecure`' }
  if (flags.nodesecure && nodesecure.skipped) log(`NodeSecure is skipped: ${nodesecure.reason}`)
  const wanted = (id: ModeId) => flags.modes.includes(id) && (!id.startsWith('nodesecure') || !nodesecure.skipped)

  const temp = await mkdtemp(join(tmpdir(), 'tarsier-bench-'))
  const cleanup = () => {
    if (!flags.keepTemp) rmSync(temp, { recursive: true, force: true })
  }
  process.once('SIGINT', () => {
    cleanup()
    process.exit(130)
  })
  const snapshot = flags.snapshot ? await snapshotCli(REPO_ROOT, join(temp, 'cli')) : undefined
  const cli = snapshot?.cli ?? CLI
  const cliCwd = snapshot?.root ?? REPO_ROOT
  log(`tarsier ${machine.tarsierVersion} (${machine.commit}${machine.dirty ? ', uncommitted changes' : ''}${snapshot ? `, snapshot ${snapshot.hash}` : ', working tree in place'}), Node ${machine.node}, ${machine.cores} cores, load ${machine.loadAtStart.toFixed(1)}; bench/${flags.tree}, ${flags.runs} run(s) per mode; temp ${temp}`)

  const modes: ModeResult[] = []
  const resultCacheEntries = new Set<string>()
  let counter = 0
  const work = join(temp, 'work')
  await mkdir(work)
  const freshDir = async (prefix: string) => {
    const dir = join(temp, `${prefix}-${++counter}`)
    await mkdir(dir)
    return dir
  }

  /** Removes what is not the tarball cache; remembers what it found (a result cache, presumably). */
  const pruneToTarballs = async (cacheDir: string) => {
    for (const entry of await readdir(cacheDir).catch(() => [] as string[])) {
      if (entry === TARBALL_CACHE) continue
      resultCacheEntries.add(entry)
      await rm(join(cacheDir, entry), { recursive: true, force: true })
    }
  }
  const noteCacheEntries = async (cacheDir: string) => {
    for (const entry of await readdir(cacheDir).catch(() => [] as string[])) if (entry !== TARBALL_CACHE) resultCacheEntries.add(entry)
  }

  /** `tarsier scan <target>`, or with `command` another command and its own arguments (`diff --base-lockfile …`). */
  const tarsier = async (target: string, cacheDir: string, command: readonly string[] = ['scan']): Promise<RunFigures> => {
    const reportFile = join(work, `report-${++counter}.json`)
    const args = [cli, ...command, target, '--cache', cacheDir, '--format', 'json', '--output', reportFile, '--no-progress', ...(flags.concurrency ? ['--concurrency', String(flags.concurrency)] : [])]
    const measured = await runMeasured(process.execPath, args, { cwd: cliCwd })
    const report = await readFile(reportFile, 'utf8').then((t) => JSON.parse(t) as TarsierReport, () => undefined)
    await rm(reportFile, { force: true })
    const errors: string[] = []
    if (!report || (measured.exitCode !== 0 && measured.exitCode !== 1 && measured.exitCode !== 3)) {
      errors.push(`exit ${measured.signal ?? measured.exitCode}: ${measured.stderr.trim().split('\n').slice(-3).join(' / ') || '(no stderr)'}`)
    }
    for (const w of report?.warnings ?? []) errors.push(`warning: ${w}`)
    for (const p of report?.packages ?? []) {
      if (p.status !== 'scanned') errors.push(`${p.name}@${p.version}: ${p.status}${p.error ? `: ${p.error}` : ''}`)
      else if (p.error) errors.push(`${p.name}@${p.version}: ${p.error}`)
    }
    const sum = (key: 'files' | 'jsFiles' | 'bytes') => (report?.packages ?? []).reduce((n, p) => n + p.stats[key], 0)
    return {
      wallMs: measured.wallMs,
      peakRssBytes: measured.peakRssBytes,
      exitCode: measured.exitCode,
      signal: measured.signal,
      innerMs: report?.durationMs,
      packages: report?.summary.packages ?? 0,
      analysed: report?.summary.scanned ?? 0,
      files: sum('files'),
      jsFiles: sum('jsFiles'),
      bytes: sum('bytes'),
      errors,
      loadBefore: measured.loadBefore,
      loadAfter: measured.loadAfter,
    }
  }

  const nodesecureRun = async (home: string): Promise<RunFigures> => {
    const summaryFile = join(work, `nodesecure-${++counter}.json`)
    const measured = await runMeasured(process.execPath, [NODESECURE_RUNNER, nodesecure.entry!, treeDir, summaryFile], {
      cwd: REPO_ROOT,
      // NodeSecure keeps its pacote cache in `${os.homedir()}/.npm`.
      env: { ...process.env, HOME: home },
    })
    const summary = await readFile(summaryFile, 'utf8').then((t) => JSON.parse(t) as NodeSecureSummary & { durationMs: number }, () => undefined)
    await rm(summaryFile, { force: true })
    const errors = [...(summary?.errors ?? [])]
    if (!summary || measured.exitCode !== 0) errors.push(`exit ${measured.signal ?? measured.exitCode}: ${measured.stderr.trim().split('\n').slice(-3).join(' / ') || '(no stderr)'}`)
    return {
      wallMs: measured.wallMs,
      peakRssBytes: measured.peakRssBytes,
      exitCode: measured.exitCode,
      signal: measured.signal,
      innerMs: summary?.durationMs,
      packages: summary?.packages ?? 0,
      analysed: summary?.analysed ?? 0,
      files: summary?.files ?? 0,
      jsFiles: summary?.jsFiles ?? 0,
      bytes: summary?.bytes ?? 0,
      errors,
      loadBefore: measured.loadBefore,
      loadAfter: measured.loadAfter,
    }
  }

  interface Measurement {
    id: ModeId
    tool: ModeResult['tool']
    runOnce: (i: number) => Promise<RunFigures>
  }
  /**
   * Runs the measurements of a step run by run in turn (Tarsier cold, NodeSecure cold, Tarsier
   * cold, …), so that when the machine's load changes both tools see it.
   */
  const alternate = async (...measurements: Measurement[]) => {
    const results = measurements.map((m) => {
      const mode: ModeResult = { id: m.id, tool: m.tool, label: LABELS[m.id], runs: [] }
      modes.push(mode)
      return mode
    })
    for (let i = 0; i < flags.runs; i++) {
      for (const [k, m] of measurements.entries()) {
        const figures = await m.runOnce(i)
        results[k]!.runs.push(figures)
        log(`[${m.tool} ${m.id} ${i + 1}/${flags.runs}] ${seconds(figures.wallMs)} wall, ${gb(figures.peakRssBytes)} peak RSS, exit ${figures.signal ?? figures.exitCode}, ${figures.analysed}/${figures.packages} packages, load ${figures.loadBefore.toFixed(1)}→${figures.loadAfter.toFixed(1)}${figures.errors.length > 0 ? `, ${figures.errors.length} error(s)` : ''}`)
      }
    }
  }
  const when = (id: ModeId, measurement: Omit<Measurement, 'id'>): Measurement[] => (wanted(id) ? [{ id, ...measurement }] : [])

  let diffPackages: DiffPackage[] = []
  try {
    // The warm cache and ~/.npm: those of the last cold run, or primed when cold is not measured.
    let warmCache: string | undefined
    let warmHome: string | undefined
    const ensureWarmCache = async () => {
      if (warmCache) return warmCache
      warmCache = await freshDir('cache')
      log('priming a tarball cache (not measured)…')
      await tarsier(lockfile, warmCache)
      return warmCache
    }
    const ensureWarmHome = async () => {
      if (warmHome) return warmHome
      warmHome = await freshDir('home')
      log('priming NodeSecure’s ~/.npm (not measured)…')
      await nodesecureRun(warmHome)
      return warmHome
    }

    await alternate(
      ...when('cold', {
        tool: 'Tarsier',
        runOnce: async (i) => {
          const cache = await freshDir('cache')
          const figures = await tarsier(lockfile, cache)
          await noteCacheEntries(cache)
          if (i === flags.runs - 1) warmCache = cache
          else await rm(cache, { recursive: true, force: true })
          return figures
        },
      }),
      ...when('nodesecure-cold', {
        tool: 'NodeSecure',
        runOnce: async (i) => {
          const home = await freshDir('home')
          const figures = await nodesecureRun(home)
          if (i === flags.runs - 1) warmHome = home
          else await rm(home, { recursive: true, force: true })
          return figures
        },
      }),
    )

    if (wanted('warm') || wanted('rescan') || wanted('diff')) await ensureWarmCache()
    if (wanted('nodesecure-warm')) await ensureWarmHome()
    await alternate(
      ...when('warm', {
        tool: 'Tarsier',
        runOnce: async () => {
          await pruneToTarballs(warmCache!)
          const figures = await tarsier(lockfile, warmCache!)
          await noteCacheEntries(warmCache!)
          return figures
        },
      }),
      ...when('nodesecure-warm', { tool: 'NodeSecure', runOnce: () => nodesecureRun(warmHome!) }),
    )
    if (warmHome) await rm(warmHome, { recursive: true, force: true })

    // The previous scan of this lockfile with this cache is the last warm run (or the priming run).
    await alternate(...when('rescan', { tool: 'Tarsier', runOnce: () => tarsier(lockfile, warmCache!) }))

    if (wanted('diff') || wanted('diff-cold')) {
      const base = await freshDir('pr-base')
      diffPackages = await writeDiffBase(treeDir, base, DIFF_PACKAGES)
      const diff = ['diff', '--base-lockfile', join(base, 'package-lock.json')]
      await alternate(
        ...when('diff', {
          tool: 'Tarsier',
          runOnce: async () => {
            await pruneToTarballs(warmCache!)
            return tarsier(lockfile, warmCache!, diff)
          },
        }),
      )
      await alternate(
        ...when('diff-cold', {
          tool: 'Tarsier',
          runOnce: async () => {
            const cache = await freshDir('cache')
            const figures = await tarsier(lockfile, cache, diff)
            await rm(cache, { recursive: true, force: true })
            return figures
          },
        }),
      )
    }
  } finally {
    if (flags.keepTemp) log(`temporary files kept in ${temp}`)
    cleanup()
  }

  modes.sort((a, b) => MODES.indexOf(a.id) - MODES.indexOf(b.id))
  const run: BenchRun = {
    tree: flags.tree,
    runsPerMode: flags.runs,
    machine,
    modes,
    diffPackages,
    resultCacheEntries: [...resultCacheEntries].sort(),
    concurrency: flags.concurrency,
    ...(snapshot && { snapshotHash: snapshot.hash }),
    nodesecure: { ...nodesecure, ...(nodesecure.location && { location: nodesecure.location }) },
    loadAtEnd: loadAverage(),
  }

  if (flags.json) await writeFile(resolve(flags.json), `${JSON.stringify(run, null, 2)}\n`)
  await output(run, flags)
  return 0
}

/** The Markdown table on stdout, and BENCHMARKS.md (keeping the notes below its marker). */
async function output(run: BenchRun, flags: BenchFlags): Promise<void> {
  const m = run.machine
  const sections = [`## Tarsier on bench/${run.tree} — ${run.runsPerMode} run(s) per mode, load ${m.loadAtStart.toFixed(1)}→${run.loadAtEnd.toFixed(1)} on ${m.cores} cores (noisy when the machine is shared)`, resultsTable(run.modes)]
  if (run.tree === 'large-app') sections.push(targetsTable(run))
  const ns = nodesecureTable(run)
  if (ns) sections.push(ns)
  process.stdout.write(`${sections.join('\n\n')}\n`)
  if (flags.write) {
    const file = resolve(flags.output)
    const previous = await readFile(file, 'utf8').catch(() => undefined)
    const at = previous?.indexOf(NOTES_MARKER) ?? -1
    await writeFile(file, benchmarksMarkdown(run, at >= 0 ? previous!.slice(at) : undefined))
    log(`wrote ${file}`)
  }
}

interface NodeSecureLocation {
  skipped: boolean
  reason?: string
  /** The scanner's ESM entry file. */
  entry?: string
  location?: string
  version?: string
}

/** The project's own node_modules first, then the side install in bench/nodesecure. */
function locateNodeSecure(): NodeSecureLocation {
  for (const base of [REPO_ROOT, NODESECURE_SIDE_INSTALL]) {
    let manifestPath: string
    try {
      manifestPath = createRequire(join(base, 'package.json')).resolve('@nodesecure/scanner/package.json')
    } catch {
      continue
    }
    const dir = dirname(manifestPath)
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; exports?: { '.'?: { import?: string } } }
    const entry = join(dir, manifest.exports?.['.']?.import ?? 'dist/index.js')
    return { skipped: false, entry, location: relative(REPO_ROOT, dir), version: manifest.version }
  }
  return { skipped: true, reason: '@nodesecure/scanner is not installed; run `npm ci --prefix bench/nodesecure`' }
}

process.exitCode = await main(process.argv.slice(2))
