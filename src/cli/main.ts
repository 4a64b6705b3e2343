import { writeFile } from 'node:fs/promises'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { formatJson } from '../report/json.ts'
import { EXIT, exitCodeOf } from '../report/exit-code.ts'
import { formatTable } from '../report/table.ts'
import { UsageError } from '../resolve/resolve-target.ts'
import { scan, type ProgressEvent } from '../scan.ts'
import { SEVERITIES, type Severity } from '../types.ts'
import { TOOL_VERSION } from '../version.ts'

interface ScanFlags {
  format: 'table' | 'json'
  output?: string
  failOn: Severity
  omit: Array<'dev' | 'optional'>
  cache?: string
  registry?: string
  allowNonRegistry: boolean
  offline: boolean
  concurrency: number
  fetchRetries?: number
  fetchTimeout?: number
  progress: boolean
  color?: boolean
  all: boolean
  dependencies: boolean
  resultCache: boolean
}

/** Runs the CLI and returns its exit code (0 clean, 1 findings, 2 usage error, 3 incomplete). */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.clean
  const program = new Command()
    .name('tarsier')
    .description('Finds malicious packages in an npm dependency tree by reading their code, never running it.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })

  program
    .command('scan')
    .description('scan a project directory, a lockfile, a package.json, a .tgz file, or a registry spec such as left-pad@1.3.0')
    .argument('[target]', 'what to scan', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(SEVERITIES).default('high'))
    .option('--omit <types>', 'leave out dev and/or optional dependencies (comma-separated)', parseOmit, [])
    .option('--cache <dir>', 'tarball cache directory (default: $XDG_CACHE_HOME/tarsier)')
    .option('--registry <url>', 'registry to fetch from (default: from .npmrc)')
    .option('--allow-non-registry', 'also fetch and scan git, remote-URL and local-path dependencies', false)
    .option('--offline', 'use only the cache; never contact the registry', false)
    .option('--concurrency <n>', 'packages fetched at once', parsePositiveInt, 8)
    .option('--fetch-retries <n>', 'retries of a failed registry download, with backoff (default: fetch-retries of .npmrc, else 2)', parseNonNegativeInt)
    .option('--fetch-timeout <ms>', 'a registry request idle this long fails (default: fetch-timeout of .npmrc, else 60000)', parseMilliseconds)
    .option('--all', 'show low and info findings in the table too', false)
    .option('--no-dependencies', "scan only a directory's own files, not its dependency tree")
    .option('--no-result-cache', 'analyse every package again, even if the same rules already analysed the same tarball')
    .option('--no-progress', 'no progress line on stderr')
    .option('--no-color', 'no colours in the table')
    .action(async (target: string, flags: ScanFlags) => {
      exitCode = await runScan(target, flags)
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

async function runScan(target: string, flags: ScanFlags): Promise<number> {
  const showProgress = flags.progress && process.stderr.isTTY === true
  const report = await scan({
    target,
    ...(flags.cache && { cacheDir: flags.cache }),
    ...(flags.registry && { registry: flags.registry }),
    omit: new Set(flags.omit),
    allowNonRegistry: flags.allowNonRegistry,
    offline: flags.offline,
    concurrency: flags.concurrency,
    network: { ...(flags.fetchRetries !== undefined && { retries: flags.fetchRetries }), ...(flags.fetchTimeout !== undefined && { timeoutMs: flags.fetchTimeout }) },
    rootOnly: !flags.dependencies,
    resultCache: flags.resultCache,
    ...(showProgress && { onProgress: progressLine }),
  })
  if (showProgress) process.stderr.write('\r\x1b[K')

  const toFile = flags.output !== undefined
  const text =
    flags.format === 'json'
      ? formatJson(report)
      : formatTable(report, {
          color: !toFile && flags.color !== false && process.stdout.isTTY === true && !process.env.NO_COLOR,
          width: Math.min(process.stdout.columns ?? 120, 200),
          minSeverity: flags.all ? 'info' : 'medium',
        })
  if (toFile) await writeFile(flags.output!, text)
  else process.stdout.write(text)
  return exitCodeOf(report, flags.failOn)
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
