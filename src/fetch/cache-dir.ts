import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where fetched tarballs are cached between runs: `$XDG_CACHE_HOME/tarsier`, else `~/.cache/tarsier`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return join(base, 'tarsier')
}
