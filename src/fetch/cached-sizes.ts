import { join } from 'node:path'
import pLimit from 'p-limit'
import type { PackageRef } from '../types.ts'
import { cachedTarballSize } from './cached-tarball.ts'

/**
 * The order in which to scan packages: those whose tarballs are in the cache, largest first, then
 * the rest in their given order. A package is analysed on one worker from start to end, so a large
 * one that starts late keeps the other workers waiting at the end: `next` (43 MB of tarball, 80 MB
 * of JavaScript) started 17 s into a warm scan of bench/large-app and ran alone for its last 20 s.
 * Started first, it runs while the other worker goes through the small packages. Sizes come from
 * the cache's index by integrity (a `stat`, nothing read); a cold cache keeps the given order.
 */
export async function largestCachedFirst(refs: readonly PackageRef[], cacheDir: string): Promise<number[]> {
  if (refs.length === 0) return []
  const path = join(cacheDir, '_cacache')
  const limit = pLimit(32)
  const sizes = await Promise.all(
    refs.map((ref) => limit(async () => (ref.integrity && ref.source === 'registry' ? ((await cachedTarballSize(path, ref.integrity)) ?? -1) : -1))),
  )
  // Array.prototype.sort is stable: equal sizes (and every uncached package) keep their order.
  return refs.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]!)
}
