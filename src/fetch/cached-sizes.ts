import { join } from 'node:path'
import cacache from 'cacache'
import pLimit from 'p-limit'
import type { PackageRef } from '../types.ts'

/**
 * The order in which to scan packages: those whose tarballs are in the cache, largest first, then
 * the rest in their given order. The analysis of one package runs on one worker from start to end,
 * so a large package (next: 43 MB of tarball, 80 MB of JavaScript) that starts last makes every
 * other worker wait for it; started first, the others work through the small packages meanwhile.
 * Sizes come from the cache's index by integrity (a `stat`, no reading); a cold cache keeps the order.
 */
export async function largestCachedFirst(refs: readonly PackageRef[], cacheDir: string): Promise<number[]> {
  const path = join(cacheDir, '_cacache')
  const limit = pLimit(32)
  const sizes = await Promise.all(
    refs.map((ref) =>
      limit(async () => {
        if (!ref.integrity || ref.source !== 'registry') return -1
        try {
          const found = await cacache.get.hasContent(path, ref.integrity)
          return found ? found.size : -1
        } catch {
          return -1
        }
      }),
    ),
  )
  // Array.prototype.sort is stable: equal sizes (and every uncached package) keep their order.
  return refs.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]!)
}
