import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { ReadLimits } from './limits.ts'
import type { TarballContents } from './tarball-reader.ts'

/**
 * A registry tarball in the tarball cache is handed to its worker as the cache and the lockfile's
 * integrity, not as bytes: the worker streams it from the cache (content-addressed by that
 * integrity) into the reader, and cacache checks every byte against the integrity on the way.
 * The main thread neither holds nor copies the tarballs waiting for a worker (`next`'s is 43 MB).
 */
export interface CachedTarball {
  kind: 'cached-tarball'
  /** The cacache directory (`<cache>/_cacache`). */
  cache: string
  integrity: string
}

/** Errors reach the main thread as their message only: this start marks a cache entry that could not be read or verified. */
const UNREADABLE = 'the cached tarball could not be read'

/** Whether the cache holds content under `integrity` (a stat, nothing read): the worker verifies what it reads. */
export async function hasCachedTarball(cache: string, integrity: string): Promise<boolean> {
  return Boolean(await cachedContent(cache, integrity))
}

/** The size of the content the cache holds under `integrity` (a stat, nothing read), or undefined. */
export async function cachedTarballSize(cache: string, integrity: string): Promise<number | undefined> {
  const found = await cachedContent(cache, integrity)
  return found ? found.size : undefined
}

async function cachedContent(cache: string, integrity: string) {
  const { default: cacache } = await import('cacache')
  // hasContent answers `false` for a missing entry and `undefined` for an error other than ENOENT (ENOTDIR, EACCES…).
  return cacache.get.hasContent(cache, integrity).catch(() => false as const)
}

/**
 * Unpacks a cached tarball in memory, as readTarball does. Resolves only once the whole entry was
 * read and matched its integrity, even when the reader stopped early at a limit; rejects otherwise.
 */
export async function readCachedTarball(source: CachedTarball, limits?: ReadLimits): Promise<TarballContents> {
  const [{ default: cacache }, { readTarball }] = await Promise.all([import('cacache'), import('./tarball-reader.ts')])
  try {
    const stream = Readable.from(cacache.get.stream.byDigest(source.cache, source.integrity))
    const [contents] = await Promise.all([readTarball(stream, limits), finished(stream)])
    return contents
  } catch (error) {
    throw new Error(`${UNREADABLE} (${source.integrity}): ${error instanceof Error ? error.message : String(error)}`)
  }
}

export function isUnreadableCachedTarball(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith(UNREADABLE)
}
