import cacache from 'cacache'
import { join } from 'node:path'
import type { AnalysisOutcome } from './analyze/worker/task.ts'
import { RULESET_ID } from './ruleset-id.ts'
import type { PackageRef } from './types.ts'

/**
 * Analysis results of registry packages, keyed by the tarball's integrity and the rule set, in
 * a cacache store beside the tarball cache: a package already analysed by the same rules costs
 * nothing on the next run. Directories, local tarballs and packages without integrity are not cached.
 */
export class ResultCache {
  readonly #path: string

  constructor(cacheDir: string) {
    this.#path = join(cacheDir, '_results')
  }

  static keyOf(ref: PackageRef): string | undefined {
    if (ref.source !== 'registry' || !ref.integrity || ref.directory || ref.tarballPath) return undefined
    return `tarsier:result:${RULESET_ID}:${ref.integrity}`
  }

  async get(ref: PackageRef): Promise<AnalysisOutcome | undefined> {
    const key = ResultCache.keyOf(ref)
    if (!key) return undefined
    try {
      const { data } = await cacache.get(this.#path, key)
      return JSON.parse(data.toString('utf8')) as AnalysisOutcome
    } catch {
      return undefined
    }
  }

  async put(ref: PackageRef, outcome: AnalysisOutcome): Promise<void> {
    const key = ResultCache.keyOf(ref)
    if (!key) return
    try {
      await cacache.put(this.#path, key, JSON.stringify(outcome))
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}
