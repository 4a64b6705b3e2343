import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { delimiter, dirname, join } from 'node:path'

export interface RunResult {
  code: number
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  env: NodeJS.ProcessEnv
  /** Killed (SIGKILL) after this many milliseconds. */
  timeoutMs?: number
}

/** Runs a program without a shell and collects its output. Never rejects on a non-zero exit. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 55_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ code: code ?? -1, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') })
    })
  })
}

/**
 * The environment of a child process, cut off from this machine's npm setup: no `npm_*`
 * variables (`npm test` exports the user's config, e.g. `npm_config_omit_lockfile_registry_resolved`),
 * no XDG cache, HOME in the given temp dir, and the node running the tests first on PATH.
 */
export function isolatedEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || /^(?:XDG_CACHE_HOME|XDG_CONFIG_HOME|NODE_OPTIONS|TARSIER_MARKER_DIR)$/.test(key)) continue
    env[key] = value
  }
  env.HOME = home
  env.USERPROFILE = home
  env.PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter)
  env.NO_COLOR = '1'
  return { ...env, ...extra }
}

/** npm as the node running the tests runs it: `npm_execpath` under `npm test`, else `npm` from PATH. */
function npmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env.npm_execpath
  if (execPath && /npm-cli\.js$/.test(execPath) && existsSync(execPath)) return { command: process.execPath, prefix: [execPath] }
  return { command: 'npm', prefix: [] }
}

export interface NpmOptions {
  cwd?: string
  /** Temp directory used as HOME, npm cache and user config; created when missing. */
  home: string
  /** Lines of the user config file (`~/.npmrc`); empty by default. */
  userConfig?: string
  env?: NodeJS.ProcessEnv
}

/**
 * Runs npm with a temp HOME, cache and user config, so that the machine's `~/.npmrc` does not
 * leak in. Callers pass `--ignore-scripts` for every command that could run a lifecycle script.
 */
export async function runNpm(args: readonly string[], options: NpmOptions): Promise<RunResult> {
  await mkdir(options.home, { recursive: true })
  const userconfig = join(options.home, '.npmrc')
  await writeFile(userconfig, options.userConfig ?? '')
  const { command, prefix } = npmCommand()
  const env = isolatedEnv(options.home, {
    npm_config_userconfig: userconfig,
    npm_config_cache: join(options.home, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_loglevel: 'warn',
    ...options.env,
  })
  return run(command, [...prefix, ...args], { ...(options.cwd && { cwd: options.cwd }), env, timeoutMs: 110_000 })
}

/** Throws with npm's output when it failed. */
export function expectSuccess(result: RunResult, what: string): RunResult {
  if (result.code !== 0) throw new Error(`${what} failed with exit code ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
  return result
}
