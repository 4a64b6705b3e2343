import { createHash } from 'node:crypto'
import { join } from 'node:path'
import cacache from 'cacache'
import pLimit from 'p-limit'
import type { AnalysisOutcome } from './analyze/worker/task.ts'
import type { TarballContents } from './fetch/tarball-reader.ts'
import { contentsDigest } from './contents-digest.ts'
import type { ReadLimits } from './fetch/limits.ts'
import { RULESET_ID } from './ruleset-id.ts'
import type { PackageRef } from './types.ts'

/**
 * Analysis results, in a cacache store beside the tarball cache (cacache checks every entry it
 * reads against its integrity: a damaged entry is a miss, never another result):
 * - registry packages, keyed by the tarball's integrity and the rule set; besides one entry per
 *   package, a tree's entry holds the results of all its packages, keyed by the hash of their
 *   integrities, so that an unchanged tree is one read instead of one per package;
 * - the project's own files, keyed by a hash of the files read and the rule set: any changed byte
 *   is a miss.
 * Other directories, local tarballs and packages without integrity are not cached.
 * One instance serves one scan.
 */
export class ResultCache {
  readonly #path: string
  #treeKey: string | undefined
  /** Results of this scan's tree known to be analysed by these rules, by tarball integrity. */
  readonly #known = new Map<string, AnalysisOutcome>()
  #inTreeEntry = 0

  constructor(cacheDir: string) {
    this.#path = join(cacheDir, '_results')
  }

  static keyOf(ref: PackageRef): string | undefined {
    if (!isCacheable(ref)) return undefined
    return `tarsier:result:${RULESET_ID}:${ref.integrity}`
  }

  /** The key of the project's own files as read, for the analysis of `ref` under `limits`. */
  static rootKeyOf(ref: PackageRef, contents: TarballContents, limits: ReadLimits | undefined): string {
    const digest = createHash('sha256').update(JSON.stringify({ ref, limits: limits ?? null })).update(contentsDigest(contents)).digest('hex')
    return `tarsier:root-result:${RULESET_ID}:${digest}`
  }

  /**
   * The cached results of the packages of a tree, by index of `refs`: from the tree's entry when
   * this tree was scanned before, else (and for those it lacks) from each package's entry.
   */
  async getAll(refs: readonly PackageRef[]): Promise<Array<AnalysisOutcome | undefined>> {
    const integrities = [...new Set(refs.filter(isCacheable).map((r) => r.integrity!))].sort()
    this.#treeKey = `tarsier:tree-results:${RULESET_ID}:${createHash('sha256').update(integrities.join('\n')).digest('hex')}`
    const entry = await this.#read<Record<string, AnalysisOutcome>>(this.#treeKey)
    if (entry && typeof entry === 'object') for (const integrity of integrities) if (Object.hasOwn(entry, integrity)) this.#known.set(integrity, entry[integrity]!)
    this.#inTreeEntry = this.#known.size
    const limit = pLimit(16)
    await Promise.all(
      integrities
        .filter((integrity) => !this.#known.has(integrity))
        .map((integrity) =>
          limit(async () => {
            const outcome = await this.#read<AnalysisOutcome>(`tarsier:result:${RULESET_ID}:${integrity}`)
            if (outcome) this.#known.set(integrity, outcome)
          }),
        ),
    )
    return refs.map((ref) => (isCacheable(ref) ? this.#known.get(ref.integrity!) : undefined))
  }

  async put(ref: PackageRef, outcome: AnalysisOutcome): Promise<void> {
    const key = ResultCache.keyOf(ref)
    if (!key) return
    this.#known.set(ref.integrity!, outcome)
    await this.#write(key, outcome)
  }

  /** Writes the entry of the tree given to getAll when this scan added results to it. */
  async saveTree(): Promise<void> {
    if (!this.#treeKey || this.#known.size <= this.#inTreeEntry) return
    await this.#write(this.#treeKey, Object.fromEntries(this.#known))
    this.#inTreeEntry = this.#known.size
  }

  /** The result stored under a rootKeyOf key. */
  getRoot(key: string): Promise<AnalysisOutcome | undefined> {
    return this.#read<AnalysisOutcome>(key)
  }

  putRoot(key: string, outcome: AnalysisOutcome): Promise<void> {
    return this.#write(key, outcome)
  }

  async #read<T>(key: string): Promise<T | undefined> {
    try {
      const { data } = await cacache.get(this.#path, key)
      return JSON.parse(data.toString('utf8')) as T
    } catch {
      // Not there, or its bytes do not match the integrity recorded for them (EINTEGRITY).
      return undefined
    }
  }

  async #write(key: string, value: unknown): Promise<void> {
    try {
      await cacache.put(this.#path, key, JSON.stringify(value))
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}

/** Results that do not depend on this run's load or download: the same tarball and rules give the same ones. */
export function isReusable(outcome: AnalysisOutcome): boolean {
  return !outcome.budgetLimited && outcome.errors.length === 0
}

function isCacheable(ref: PackageRef): boolean {
  return ref.source === 'registry' && Boolean(ref.integrity) && !ref.directory && !ref.tarballPath
}
