import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

// Nothing configured in the repository may run a program: no hooks, no fsmonitor.
const SAFE_GIT = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null']
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' }

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', [...SAFE_GIT, ...args], { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
  return stdout.trim()
}

/**
 * The commit `ref` names in the clone at `dir`, fetched from `origin` (one commit deep) when the
 * clone does not have it: `actions/checkout` clones one commit unless `fetch-depth: 0`.
 */
export async function ensureCommit(dir: string, ref: string, log: (line: string) => void): Promise<string> {
  if (ref.startsWith('-')) throw new Error(`${ref}: not a git ref`)
  const local = await git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).catch(() => '')
  if (local) return local
  log(`fetching ${ref} from origin (the checkout does not have it)`)
  try {
    await git(dir, ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', '--', ref])
  } catch (error) {
    const stderr = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim()
    throw new Error(`the base ${ref} is not in the checkout and could not be fetched (${stderr.split('\n').pop()}): use actions/checkout with fetch-depth: 0, or run git fetch --depth=1 origin ${ref} before this step`)
  }
  return git(dir, ['rev-parse', '--verify', 'FETCH_HEAD^{commit}'])
}
