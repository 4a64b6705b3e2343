import { execFile } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join, posix, relative, sep } from 'node:path'
import { promisify } from 'node:util'
import { UsageError } from './usage-error.ts'

const run = promisify(execFile)

/** Files of the base commit that a diff needs, read from git's object store: nothing is checked out. */
export interface BaseFiles {
  /** The commit the ref names. */
  commit: string
  /** Text of the lockfile at the base, undefined when the base has none (every package is new). */
  lockfile?: string
  /** The root `package.json` beside it at the base, when there is one. */
  manifest?: string
}

// git runs here on a repository that may have been written by an attacker: no repository config
// key that names a program may take effect. `cat-file` and `rev-parse` run no hooks, pager,
// textconv or filter; the fsmonitor hook (run by index refreshes) is switched off regardless.
const SAFE_GIT = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'protocol.allow=never']
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_PAGER: 'cat' }
const MAX_OUTPUT = 512 * 1024 * 1024

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', [...SAFE_GIT, ...args], { cwd, env: GIT_ENV, maxBuffer: MAX_OUTPUT, encoding: 'utf8' })
  return stdout
}

/** Reads the lockfile at `lockfilePath` (and its package.json) as they were at `ref`. */
export async function readBaseFiles(lockfilePath: string, ref: string): Promise<BaseFiles> {
  const dir = dirname(lockfilePath)
  const top = await topLevel(dir)
  if (top === undefined) throw new UsageError(`${dir} is not inside a git repository: pass --base-lockfile instead of --base`)
  const commit = await commitOf(top, ref)
  const relativePath = relative(realpathSync(top), realpathSync(lockfilePath)).split(sep).join(posix.sep)
  const lockfile = await blob(top, commit, relativePath)
  const manifestPath = posix.join(posix.dirname(relativePath), 'package.json')
  const manifest = await blob(top, commit, manifestPath)
  return { commit, ...(lockfile !== undefined && { lockfile }), ...(manifest !== undefined && { manifest }) }
}

/**
 * A file as it is at `ref`: its text (undefined when the commit does not have it) and the commit.
 * Undefined when `path` is not inside a git work tree. `path` need not exist on disk.
 */
export async function readFileAtRef(path: string, ref: string): Promise<{ commit: string; text?: string } | undefined> {
  let dir = dirname(path)
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir)
  const top = await topLevel(dir)
  if (top === undefined) return undefined
  const fromTop = relative(realpathSync(top), join(realpathSync(dir), relative(dir, path))).split(sep).join(posix.sep)
  if (fromTop.startsWith('../') || fromTop === '..') return undefined
  const commit = await commitOf(top, ref)
  const text = await blob(top, commit, fromTop)
  return { commit, ...(text !== undefined && { text }) }
}

async function topLevel(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir, ['rev-parse', '--show-toplevel'])).trim()
  } catch {
    return undefined
  }
}

async function commitOf(top: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new UsageError(`${ref}: not a git ref`)
  try {
    return (await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim()
  } catch {
    throw new UsageError(`${ref}: no such commit in ${top} (a shallow clone may need \`git fetch --depth=1 origin ${ref}\`)`)
  }
}

async function blob(top: string, commit: string, path: string): Promise<string | undefined> {
  try {
    return await git(top, ['cat-file', 'blob', `${commit}:${path}`])
  } catch {
    return undefined
  }
}
