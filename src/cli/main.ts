import { writeFile } from 'node:fs/promises'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { EXIT, exitCodeOf } from '../report/exit-code.ts'
import { UsageError } from '../resolve/usage-error.ts'
import type { ProgressEvent, ScanOptions } from '../scan.ts'
import { SEVERITIES, type ScanReport, type Severity } from '../types.ts'
import { TOOL_VERSION } from '../version.ts'

/** Flags of `scan` and `diff` alike. */
interface CommonFlags {
  format: 'table' | 'json' | 'sarif' | 'markdown'
  output?: string
  /** A path, or false for --no-config. */
  config?: string | false
  failOn: Severity
  omit: Array<'dev' | 'optional'>
  cache?: string
  registry?: string
  allowNonRegistry: boolean
  offline: boolean
  concurrency: number
  threads?: number
  fetchRetries?: number
  fetchTimeout?: number
  progress: boolean
  color?: boolean
  all: boolean
  resultCache: boolean
}

interface ScanFlags extends CommonFlags {
  dependencies: boolean
}

interface DiffFlags extends CommonFlags {
  base?: string
  baseLockfile?: string
}

// Each command imports what it runs (scan, diff, the chosen report format) when it runs: Node
// loads and strips the types of every module imported, and `--version` or a rescan whose results
// are all cached needs little of it.

/** Runs the CLI and returns its exit code (0 clean, 1 findings, 2 usage error, 3 incomplete). */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.clean
  const program = new Command()
    .name('tarsier')
    .description('Finds malicious packages in an npm dependency tree by reading their code, never running it.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })

  const scanCommand = program
    .command('scan')
    .description('scan a project directory, a lockfile, a package.json, a .tgz file, or a registry spec such as left-pad@1.3.0')
    .argument('[target]', 'what to scan', '.')
    .option('--no-dependencies', "scan only a directory's own files, not its dependency tree")
  addScanOptions(scanCommand).action(async (target: string, flags: ScanFlags) => {
    exitCode = await runScan(target, flags)
  })

  const diffCommand = program
    .command('diff')
    .description("scan only the packages a lockfile change adds or changes, against a git ref's lockfile or a base lockfile")
    .argument('[path]', 'project directory or lockfile of the head', '.')
    .option('--base <git-ref>', 'compare with the lockfile at this git ref (read with git, never checked out)')
    .option('--base-lockfile <file>', 'compare with this lockfile')
  addScanOptions(diffCommand).action(async (path: string, flags: DiffFlags) => {
    exitCode = await runDiff(path, flags)
  })

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.clean : EXIT.usage
    }
    if (error instanceof UsageError) {
      process.stderr.write(`tarsier: ${error.message}\n`)
      return EXIT.usage
    }
    // Resolution failures (unreadable lockfile, registry down): say what failed, not where.
    const e = error as Error & { code?: string }
    process.stderr.write(`tarsier: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}\n`)
    if (process.env.TARSIER_DEBUG) process.stderr.write(`${e.stack}\n`)
    return EXIT.incomplete
  }
  return exitCode
}

/** Options shared by `scan` and `diff`: output, gating, registry and fetching. */
function addScanOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'sarif', 'markdown']).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--config <file>', 'configuration file: rules and suppressions (default: tarsier.config.json of the project; in a diff, as it is at the base ref)')
    .option('--no-config', 'apply no configuration file')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(SEVERITIES).default('high'))
    .option('--omit <types>', 'leave out dev and/or optional dependencies (comma-separated)', parseOmit, [])
    .option('--cache <dir>', 'tarball cache directory (default: $XDG_CACHE_HOME/tarsier)')
    .option('--registry <url>', 'registry to fetch from (default: from .npmrc)')
    .option('--allow-non-registry', 'also fetch and scan git, remote-URL and local-path dependencies', false)
    .option('--offline', 'use only the cache; never contact the registry', false)
    .option('--concurrency <n>', 'packages fetched at once', parsePositiveInt, 8)
    .option('--threads <n>', 'worker threads that analyse packages (default: one per core, at most 8)', parsePositiveInt)
    .option('--fetch-retries <n>', 'retries of a failed registry download, with backoff (default: fetch-retries of .npmrc, else 2)', parseNonNegativeInt)
    .option('--fetch-timeout <ms>', 'a registry request idle this long fails (default: fetch-timeout of .npmrc, else 60000)', parseMilliseconds)
    .option('--all', 'show low and info findings in the table too', false)
    .option('--no-result-cache', "analyse every package and the project's own files again, even if the same rules already analysed the same bytes")
    .option('--no-progress', 'no progress line on stderr')
    .option('--no-color', 'no colours in the table')
}

async function runScan(target: string, flags: ScanFlags): Promise<number> {
  const showProgress = progressShown(flags)
  const { scan } = await import('../scan.ts')
  const report = await scan({ target, ...scanOptionsOf(flags), rootOnly: !flags.dependencies })
  if (showProgress) process.stderr.write('\r\x1b[K')
  return emitReport(report, flags)
}

async function runDiff(path: string, flags: DiffFlags): Promise<number> {
  const showProgress = progressShown(flags)
  const { diffScan } = await import('../diff.ts')
  const report = await diffScan({ path, ...scanOptionsOf(flags), ...(flags.base !== undefined && { base: flags.base }), ...(flags.baseLockfile !== undefined && { baseLockfile: flags.baseLockfile }) })
  if (showProgress) process.stderr.write('\r\x1b[K')
  return emitReport(report, flags)
}

function progressShown(flags: CommonFlags): boolean {
  return flags.progress && process.stderr.isTTY === true
}

function scanOptionsOf(flags: CommonFlags): Omit<ScanOptions, 'target'> {
  return {
    ...(flags.cache && { cacheDir: flags.cache }),
    ...(flags.registry && { registry: flags.registry }),
    omit: new Set(flags.omit),
    allowNonRegistry: flags.allowNonRegistry,
    offline: flags.offline,
    concurrency: flags.concurrency,
    ...(flags.threads !== undefined && { threads: flags.threads }),
    network: { ...(flags.fetchRetries !== undefined && { retries: flags.fetchRetries }), ...(flags.fetchTimeout !== undefined && { timeoutMs: flags.fetchTimeout }) },
    resultCache: flags.resultCache,
    ...(flags.config !== false && { config: typeof flags.config === 'string' ? { explicit: flags.config } : {} }),
    ...(progressShown(flags) && { onProgress: progressLine }),
  }
}

/** Writes the report in the asked format, to stdout or the output file, and returns the exit code. */
async function emitReport(report: ScanReport, flags: CommonFlags): Promise<number> {
  const toFile = flags.output !== undefined
  const text = await formatReport(report, flags, toFile)
  if (toFile) await writeFile(flags.output!, text)
  else process.stdout.write(text)
  return exitCodeOf(report, flags.failOn)
}

async function formatReport(report: ScanReport, flags: CommonFlags, toFile: boolean): Promise<string> {
  switch (flags.format) {
    case 'json': {
      const { formatJson } = await import('../report/json.ts')
      return formatJson(report)
    }
    case 'sarif': {
      const [{ formatSarif }, { toolRepositoryUrl }] = await Promise.all([import('../report/sarif.ts'), import('../report/tool-repository.ts')])
      return formatSarif(report, { ...(toolRepositoryUrl() && { docsBaseUrl: `${toolRepositoryUrl()}/blob/main/` }) })
    }
    case 'markdown': {
      const { formatMarkdown } = await import('../report/markdown.ts')
      return formatMarkdown(report, { minSeverity: flags.all ? 'info' : 'low' })
    }
    case 'table': {
      const { formatTable } = await import('../report/table.ts')
      return formatTable(report, {
        color: !toFile && flags.color !== false && process.stdout.isTTY === true && !process.env.NO_COLOR,
        width: Math.min(process.stdout.columns ?? 120, 200),
        minSeverity: flags.all ? 'info' : 'medium',
      })
    }
  }
}

function progressLine(event: ProgressEvent): void {
  const line = event.phase === 'resolve' ? 'resolving the dependency tree…' : `[${event.done}/${event.total}] ${event.current ?? ''}`
  process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 80) - 1)}`)
}

function parseOmit(value: string): Array<'dev' | 'optional'> {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean)
  for (const p of parts) if (p !== 'dev' && p !== 'optional') throw new InvalidArgumentError('expected dev, optional or dev,optional')
  return parts as Array<'dev' | 'optional'>
}

function parsePositiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected an integer from 1 to 64')
  return n
}

function parseNonNegativeInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new InvalidArgumentError('expected an integer from 0 to 20')
  return n
}

function parseMilliseconds(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 100 || n > 3_600_000) throw new InvalidArgumentError('expected milliseconds from 100 to 3600000')
  return n
}
