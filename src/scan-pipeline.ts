import pLimit from 'p-limit'
import PQueue from 'p-queue'

/** What fetching one item gave: its final result already, or something for the analysis. */
export type Fetched<Ready, Result> = { done: Result | Promise<Result> } | { ready: Ready }

export interface PipelineStages<Item, Ready, Result> {
  /** Downloads in flight at once. */
  fetchConcurrency: number
  /** Analyses in flight at once: one per worker, so that the next is chosen only when a worker is free. */
  analysisConcurrency: number
  fetch(item: Item): Promise<Fetched<Ready, Result>>
  /** The analysis work an item is expected to be (its size in bytes): the largest waiting starts first. */
  weight(ready: Ready): number | Promise<number>
  /** Whether the item holds its contents in memory while it waits: it then keeps its download slot until its analysis starts. */
  heldInMemory(ready: Ready): boolean
  analyze(ready: Ready): Promise<Result>
}

/**
 * Fetches every item and analyses it, with the two stages apart: downloads go on while the
 * workers are busy, and each free worker takes the largest item fetched so far. A package is
 * analysed on one worker from start to end, so a large one that starts late leaves the other
 * workers idle at the end: in a cold scan of bench/large-app, with a download slot held until its
 * package was analysed, `next` (80 MB of JavaScript, 418th in the lockfile) finished 22 s after
 * every other package. Items waiting as a cache entry cost no memory; items held as bytes keep
 * their download slot, so at most `fetchConcurrency` of them wait at once. Results keep the
 * order of `items`.
 */
export async function runPipeline<Item, Ready, Result>(items: readonly Item[], stages: PipelineStages<Item, Ready, Result>): Promise<Result[]> {
  const fetchLimit = pLimit(stages.fetchConcurrency)
  const analyses = new PQueue({ concurrency: stages.analysisConcurrency })
  return Promise.all(
    items.map(async (item) => {
      // Wrapped, so that the download slot is given back without waiting for the analysis itself.
      const { result } = await fetchLimit(async () => {
        const fetched = await stages.fetch(item)
        if ('done' in fetched) return { result: fetched.done }
        const { ready } = fetched
        let started!: () => void
        const taken = new Promise<void>((resolvePromise) => (started = resolvePromise))
        const result = analyses.add(
          () => {
            started()
            return stages.analyze(ready)
          },
          { priority: await stages.weight(ready) },
        )
        if (stages.heldInMemory(ready)) await taken
        return { result }
      })
      return result
    }),
  )
}
