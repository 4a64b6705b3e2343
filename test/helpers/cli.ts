import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { inject } from 'vitest'
import type { Finding, PackageResult, ScanReport } from '../../src/types.ts'
import { TARSIER_BIN, tempDir } from './fixtures.ts'
import { isolatedEnv, run, type RunResult } from './process.ts'

/** The test registry started by test/helpers/registry-setup.ts. */
export function registryUrl(): string {
  return inject('registryUrl')
}

/**
 * Temp directories for CLI runs: HOME, tarball cache, TMPDIR, working directory and the marker
 * directory of the safety fixture. Everything the CLI may write goes inside `root`.
 */
export interface Sandbox {
  root: string
  home: string
  cache: string
  tmp: string
  markers: string
  /** Empty working directory of the CLI. */
  cwd: string
  /** Scratch space for the test itself (projects, tarballs), outside what the CLI should touch. */
  work: string
  dispose(): Promise<void>
}

export async function createSandbox(): Promise<Sandbox> {
  const root = await tempDir('sandbox')
  const dirs = { home: join(root, 'home'), cache: join(root, 'cache'), tmp: join(root, 'tmp'), markers: join(root, 'markers'), cwd: join(root, 'cwd'), work: join(root, 'work') }
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })))
  return { root, ...dirs, dispose: () => rm(root, { recursive: true, force: true }) }
}

export interface CliOptions {
  sandbox: Sandbox
  /** Adds `--registry <test registry>` (default true). */
  registry?: boolean
  /** Adds `--cache <sandbox cache>` (default true). */
  cache?: boolean
  cwd?: string
  env?: NodeJS.ProcessEnv
}

export interface CliResult extends RunResult {
  args: string[]
}

/**
 * Runs `node bin/tarsier.js scan …` in a subprocess, as a user would: the node running the
 * tests, HOME/TMPDIR in the sandbox, TARSIER_MARKER_DIR set, no npm_* variables.
 */
export async function tarsier(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const { sandbox } = options
  const full = [
    ...args,
    ...(options.registry !== false ? ['--registry', registryUrl()] : []),
    ...(options.cache !== false ? ['--cache', sandbox.cache] : []),
  ]
  const env = isolatedEnv(sandbox.home, { TMPDIR: sandbox.tmp, TARSIER_MARKER_DIR: sandbox.markers, ...options.env })
  const result = await run(process.execPath, [TARSIER_BIN, ...full], { cwd: options.cwd ?? sandbox.cwd, env, timeoutMs: 55_000 })
  return { ...result, args: full }
}

/** `tarsier scan <target> --format json …`, parsed. Fails the test with the CLI's output when stdout is not a report. */
export async function scanJson(target: string, extraArgs: readonly string[], options: CliOptions): Promise<CliResult & { report: ScanReport }> {
  const result = await tarsier(['scan', target, '--format', 'json', ...extraArgs], options)
  let report: ScanReport
  try {
    report = JSON.parse(result.stdout) as ScanReport
  } catch {
    throw new Error(`tarsier ${result.args.join(' ')} did not print a JSON report (exit ${result.code})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
  }
  return { ...result, report }
}

/** A readable dump of a CLI run, for assertion messages. */
export function describeRun(result: CliResult): string {
  return `tarsier ${result.args.join(' ')} → exit ${result.code}\n--- stderr\n${result.stderr.slice(0, 4000)}\n--- stdout\n${result.stdout.slice(0, 4000)}`
}

export function packageNamed(report: ScanReport, name: string, version?: string): PackageResult {
  const matches = report.packages.filter((p) => p.name === name && (version === undefined || p.version === version))
  if (matches.length !== 1) {
    throw new Error(`expected one package ${name}${version ? `@${version}` : ''} in the report, found ${matches.length}: ${report.packages.map((p) => `${p.name}@${p.version} (${p.location})`).join(', ')}`)
  }
  return matches[0]!
}

export function findingsOf(pkg: PackageResult, ruleId: string): Finding[] {
  return pkg.findings.filter((f) => f.ruleId === ruleId)
}
