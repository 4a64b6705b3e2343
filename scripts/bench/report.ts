// Figures → Markdown: the table printed on stdout and BENCHMARKS.md.
import type { MachineInfo } from './machine.ts'
import type { DiffPackage, TreeName } from './projects.ts'

export type ModeId = 'cold' | 'warm' | 'rescan' | 'diff' | 'diff-cold' | 'nodesecure-cold' | 'nodesecure-warm'
export type Tool = 'Tarsier' | 'NodeSecure'

export interface RunFigures {
  wallMs: number
  peakRssBytes: number | undefined
  exitCode: number | null
  signal: string | null
  /** The tool's own timing (Tarsier's `durationMs`, NodeSecure's time inside `workingDir`). */
  innerMs: number | undefined
  /** Packages in the tree the tool was given. */
  packages: number
  /** Packages whose code was read (Tarsier: status `scanned`; NodeSecure: tarballs analysed). */
  analysed: number
  files: number
  jsFiles: number
  /** Unpacked bytes of the analysed packages, every file (not only JavaScript). */
  bytes: number
  errors: string[]
  loadBefore: number
  loadAfter: number
}

export interface ModeResult {
  id: ModeId
  tool: Tool
  label: string
  runs: RunFigures[]
}

export interface BenchRun {
  tree: TreeName
  runsPerMode: number
  machine: MachineInfo
  modes: ModeResult[]
  diffPackages: DiffPackage[]
  /** Entries other than the tarball cache found in the cache directory after a scan. */
  resultCacheEntries: string[]
  concurrency: number | undefined
  /** Hash of the copy of the CLI that was measured; absent when the working tree ran in place. */
  snapshotHash?: string
  nodesecure: { skipped: boolean; reason?: string; location?: string; version?: string }
  loadAtEnd: number
}

export const TARGETS = {
  warm: 10_000,
  cold: 20_000,
  rescan: 1_000,
  diff: 3_000,
  rssBytes: 1e9,
} as const

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const defined = (values: ReadonlyArray<number | undefined>): number[] => values.filter((v): v is number => v !== undefined && Number.isFinite(v))

export function medianWall(mode: ModeResult | undefined): number | undefined {
  return mode && mode.runs.length > 0 ? median(mode.runs.map((r) => r.wallMs)) : undefined
}

export function medianRss(mode: ModeResult | undefined): number | undefined {
  const values = defined(mode?.runs.map((r) => r.peakRssBytes) ?? [])
  return values.length > 0 ? median(values) : undefined
}

export function maxRss(modes: readonly ModeResult[]): number | undefined {
  const values = defined(modes.flatMap((m) => m.runs.map((r) => r.peakRssBytes)))
  return values.length > 0 ? Math.max(...values) : undefined
}

export const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`)
export const gb = (bytes: number | undefined): string => (bytes === undefined ? '–' : `${(bytes / 1e9).toFixed(2)} GB`)
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`
const int = (n: number): string => n.toLocaleString('en-US')

/** One row per mode: medians, with the spread of the runs. */
export function resultsTable(modes: readonly ModeResult[]): string {
  const rows = [
    '| tool | mode | runs | wall, median (min–max) | own timing, median | peak RSS, median (max) | packages analysed / in tree | files | JS files | unpacked bytes (all files) | packages/s | exit codes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const mode of modes) {
    if (mode.runs.length === 0) continue
    const walls = mode.runs.map((r) => r.wallMs)
    const last = mode.runs[mode.runs.length - 1]!
    const rss = defined(mode.runs.map((r) => r.peakRssBytes))
    const inner = defined(mode.runs.map((r) => r.innerMs))
    const wall = median(walls)
    const exits = [...new Set(mode.runs.map((r) => (r.signal ? r.signal : String(r.exitCode))))].join(', ')
    rows.push(
      `| ${mode.tool} | ${mode.label} | ${mode.runs.length} | ${seconds(wall)} (${seconds(Math.min(...walls))}–${seconds(Math.max(...walls))}) | ${inner.length > 0 ? seconds(median(inner)) : '–'} | ${rss.length > 0 ? `${gb(median(rss))} (${gb(Math.max(...rss))})` : '–'} | ${int(last.analysed)} / ${int(last.packages)} | ${int(last.files)} | ${int(last.jsFiles)} | ${mb(last.bytes)} | ${(last.packages / (wall / 1000)).toFixed(1)} | ${exits} |`,
    )
  }
  return rows.join('\n')
}

export function targetsTable(run: BenchRun): string {
  const byId = (id: ModeId) => run.modes.find((m) => m.id === id)
  const tarsierModes = run.modes.filter((m) => m.tool === 'Tarsier')
  const rows = [
    '| target (issue 9, 2 cores) | limit | measured | |',
    '|---|---:|---:|---|',
  ]
  const row = (name: string, limitText: string, value: number | undefined, limit: number, format: (v: number | undefined) => string) => {
    const verdict = value === undefined ? 'not measured' : value <= limit ? '**met**' : '**not met**'
    rows.push(`| ${name} | ${limitText} | ${format(value)} | ${verdict} |`)
  }
  row('warm scan (tarballs cached)', '≤ 10 s', medianWall(byId('warm')), TARGETS.warm, seconds)
  row('cold scan (empty cache)', '≤ 20 s', medianWall(byId('cold')), TARGETS.cold, seconds)
  row('unchanged rescan', '≤ 1 s', medianWall(byId('rescan')), TARGETS.rescan, seconds)
  row('PR diff of 10 packages (`tarsier diff`, warm)', '≤ 3 s', medianWall(byId('diff')), TARGETS.diff, seconds)
  row('peak RSS (highest of all Tarsier runs above)', '≤ 1 GB', maxRss(tarsierModes), TARGETS.rssBytes, gb)
  return rows.join('\n')
}

export function nodesecureTable(run: BenchRun): string | undefined {
  const byId = (id: ModeId) => run.modes.find((m) => m.id === id)
  const pairs: Array<[string, ModeResult | undefined, ModeResult | undefined]> = [
    ['cold', byId('nodesecure-cold'), byId('cold')],
    ['warm', byId('nodesecure-warm'), byId('warm')],
  ]
  if (!pairs.some(([, ns]) => ns && ns.runs.length > 0)) return undefined
  const rows = [
    '| | NodeSecure wall | Tarsier wall | NodeSecure time / Tarsier time | same, run by run: median (min–max) | NodeSecure peak RSS | Tarsier peak RSS | packages analysed (NodeSecure / Tarsier) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const [name, ns, tarsier] of pairs) {
    const nsWall = medianWall(ns)
    const tWall = medianWall(tarsier)
    const ratio = nsWall !== undefined && tWall !== undefined ? `${(nsWall / tWall).toFixed(2)}×` : '–'
    const count = (m: ModeResult | undefined) => (m && m.runs.length > 0 ? int(m.runs[m.runs.length - 1]!.analysed) : '–')
    // Runs alternate between the tools, so run i of one and run i of the other saw about the same load.
    const paired = ns && tarsier ? ns.runs.slice(0, tarsier.runs.length).map((r, i) => r.wallMs / tarsier.runs[i]!.wallMs) : []
    const pairedText = paired.length > 1 ? `${median(paired).toFixed(2)}× (${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)})` : paired.length === 1 ? `${paired[0]!.toFixed(2)}×` : '–'
    rows.push(`| ${name} | ${seconds(nsWall)} | ${seconds(tWall)} | ${ratio} | ${pairedText} | ${gb(medianRss(ns))} | ${gb(medianRss(tarsier))} | ${count(ns)} / ${count(tarsier)} |`)
  }
  return rows.join('\n')
}

/** Distinct errors per mode (a package that failed in every run is listed once). */
export function errorList(modes: readonly ModeResult[]): string {
  const lines: string[] = []
  for (const mode of modes) {
    const counts = new Map<string, number>()
    for (const run of mode.runs) for (const e of new Set(run.errors)) counts.set(e, (counts.get(e) ?? 0) + 1)
    if (counts.size === 0) continue
    lines.push(`- ${mode.tool}, ${mode.label}:`)
    for (const [error, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  - ${error.length > 300 ? `${error.slice(0, 300)}…` : error}${n < mode.runs.length ? ` (in ${n} of ${mode.runs.length} runs)` : ''}`)
  }
  return lines.length > 0 ? lines.join('\n') : 'None.'
}

export const NOTES_MARKER = '<!-- Everything below this line is kept when npm run bench rewrites this file. -->'

export function benchmarksMarkdown(run: BenchRun, keptNotes: string | undefined): string {
  const m = run.machine
  const ns = nodesecureTable(run)
  const largeApp = run.tree === 'large-app'
  const resultCache =
    run.resultCacheEntries.length > 0
      ? `The cache directory held more than the tarball cache after a scan (${run.resultCacheEntries.map((e) => `\`${e}\``).join(', ')}), taken to be a result cache: *warm* runs start with it removed, *rescan* runs with it kept.`
      : 'The cache directory held nothing but the tarball cache (`_cacache`) after a scan: Tarsier has no result cache yet, so *rescan* is the same work as *warm* and its figure is another warm measurement.'
  return `# Benchmarks

Generated by \`npm run bench\` (issue 9); rerun it to refresh the figures above the notes marker.

\`\`\`sh
npm run bench                               # large-app, 3 runs per mode, NodeSecure beside it
npm run bench -- --runs 1 --skip-nodesecure # quick
npm run bench -- --tree express-app         # the 68-package tree
\`\`\`

Prerequisites: the NodeSecure side needs \`npm ci --prefix bench/nodesecure\` once (see below); without it
that side is skipped with a message. Peak memory is read from GNU time (\`/usr/bin/time\`, Debian/Ubuntu
package \`time\`) when it is installed, else by polling \`/proc\`.

## Run of ${m.date.slice(0, 10)}

- tree: \`bench/${run.tree}\` (${largeApp ? 'next, react, react-dom, express, lodash, axios, @babel/core; dev: webpack, eslint, jest, typescript' : 'express alone'}), ${run.runsPerMode} run${run.runsPerMode === 1 ? '' : 's'} per mode, medians reported
- machine: ${m.cores} cores (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB memory, Node ${m.node}, Linux
- Tarsier ${m.tarsierVersion} at commit \`${m.commit}\`${m.dirty ? ' **with uncommitted changes in the working tree**' : ''}; ${run.snapshotHash ? `the CLI measured is a copy of the working tree taken when the benchmark started (files hash \`${run.snapshotHash}\`)` : 'the CLI measured is the working tree, in place (`--no-snapshot`)'}${run.concurrency ? `, \`--concurrency ${run.concurrency}\`` : ''}
- NodeSecure: ${run.nodesecure.skipped ? `not measured (${run.nodesecure.reason})` : `\`@nodesecure/scanner\` ${run.nodesecure.version} from \`${run.nodesecure.location}\`, \`workingDir\` on the same lockfile`}
- peak RSS from ${m.rssSource}
- **load**: 1-minute load average ${m.loadAtStart.toFixed(1)} at the start and ${run.loadAtEnd.toFixed(1)} at the end, ${loadRange(run.modes)} during the runs, on ${m.cores} cores. ${loadNote(run)}

## Results

${resultsTable(run.modes)}

Wall time is measured around the subprocess (Node start-up, resolving the lockfile, fetching, analysis,
writing the JSON report). *Own timing* is the report's \`durationMs\` for Tarsier and the time inside
\`workingDir\` for NodeSecure. *Files*, *JS files* and *unpacked bytes* are the sums of the report's
per-package \`stats\` (\`files\`, \`jsFiles\`, \`bytes\`); bytes count every file of each package, not only
JavaScript. Packages/s is packages in the tree over the median wall time. GB are 10⁹ bytes.

## Targets

${largeApp ? targetsTable(run) : 'The issue 9 targets are for `large-app`; run `npm run bench` without `--tree` to check them.'}

${ns ? `## NodeSecure\n\n${ns}\n\nIssue 9's reference for NodeSecure on \`large-app\` (2 cores, \`@nodesecure/scanner\` 10.10): 57–66 s wall, 0.67–0.74 GB peak, warm or cold.\n\nNodeSecure is given the same lockfile (\`workingDir\` with \`packageLock\`, arborist's \`loadVirtual\`) with\n\`includeDevDeps: true\`, \`maxConcurrency: 8\` and no vulnerability strategy. It counts packages by distinct\nname@version (Tarsier by lockfile location), and lists the root project among them. It is run with\n\`HOME\` set to a temporary directory, because it keeps its pacote cache in \`~/.npm\`: a fresh \`HOME\` per\nrun for *cold*, one primed \`HOME\` for *warm*. Its runs alternate with Tarsier's (Tarsier cold, NodeSecure cold,\nTarsier cold, …, then the same for warm), so that a change in the machine's load affects both; the run-by-run\nratio compares runs taken one after the other. It also extracts every tarball to a temporary directory on\ndisk and analyses it from there.\n` : ''}
## Modes

- **cold**: a fresh, empty \`--cache\` directory per run.
- **warm**: the tarballs in the cache (the directory of the last cold run); before each run everything
  in the cache directory other than the tarball cache (\`_cacache\`) is removed, so that a result cache,
  when there is one, is not what is measured.
- **rescan**: the same cache left exactly as the previous scan of the same lockfile left it.
  ${resultCache}
- **PR diff (10 packages)**: \`tarsier diff --base-lockfile <base> <tree's lockfile>\`, where the base is the
  tree's lockfile without 10 of its top-level entries (at evenly spaced positions of the sorted lockfile): the
  whole head tree is resolved, the two lockfiles compared, and the 10 packages the "PR" adds fetched and
  analysed, with the warm cache (tarballs cached, result cache removed). The *cold* variant uses an empty
  cache. The packages: ${run.diffPackages.map((p) => `\`${p.name}@${p.version}\``).join(', ')}.

## Errors and incomplete scans

${errorList(run.modes)}

## NodeSecure installation

\`@nodesecure/scanner\` is not a devDependency of Tarsier: \`npm install -D @nodesecure/scanner\` fails in this
repository with \`Invalid comparator: cjs\`. The project's \`overrides\` entry \`"node-fetch@cjs": "2.7.0"\` (for
verdaccio-audit's \`"node-fetch": "cjs"\` dependency) makes npm's arborist call \`semver.intersects(spec, "cjs")\`
on every \`node-fetch\` edge with a version spec, and NodeSecure's tree has such edges
(\`"node-fetch": "npm:@pnpm/node-fetch@1.0.0"\`); npm 12.2.3 has the same code. The newest release, 10.13.0,
also needs \`@nodesecure/tree-walker@^4.0.2\`, which the reachable registry does not serve. NodeSecure
10.10.0, the version issue 9's reference figures were taken with, is therefore installed on its own in
\`bench/nodesecure/\` (its own \`package.json\` and lockfile; \`npm ci --prefix bench/nodesecure\`). If it is ever
installed in the project's own \`node_modules\`, the benchmark uses that copy first.

\`bench/nodesecure/package.json\` also pins the scanner's own \`@nodesecure/contact\` to 3.2.0 (an \`overrides\` entry;
\`@nodesecure/mama\` keeps 3.3.0, which it needs): with 3.3.0, which \`^3.0.0\` picks today, NodeSecure 10.10.0
finishes reading every tarball of \`large-app\` and then throws \`TypeError: Cannot use 'in' operator to search
for 'flags' in Fábio Santos <…>\` (a maintainer given as a string) while extracting contacts, so it returns no
result at all.

${keptNotes ?? `${NOTES_MARKER}\n`}`
}

function runLoads(modes: readonly ModeResult[]): number[] {
  return modes.flatMap((m) => m.runs.flatMap((r) => [r.loadBefore, r.loadAfter])).filter(Number.isFinite)
}

function loadRange(modes: readonly ModeResult[]): string {
  const loads = runLoads(modes)
  return loads.length > 0 ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : 'unknown'
}

/** The benchmark alone keeps the load between the core count and about twice it (main thread, workers, I/O). */
function loadNote(run: BenchRun): string {
  const highest = Math.max(...runLoads(run.modes), run.machine.loadAtStart, run.loadAtEnd)
  return highest > 2 * run.machine.cores
    ? 'Other work was running on the machine at the same time (the benchmark alone keeps the load between the core count and twice it), so these wall times are noisy and pessimistic; compare runs taken together, not across days.'
    : 'The load stayed about what the benchmark itself puts on the machine (its scans use every core), so little else was running; still, compare runs taken together, not across days.'
}
