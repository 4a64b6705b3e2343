import { describe, expect, it } from 'vitest'
import { runPipeline, type PipelineStages } from '../../src/scan-pipeline.ts'

interface Item {
  name: string
  size: number
}

/** Lets pending promise callbacks and timers of zero delay run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolvePromise) => setImmediate(resolvePromise))
}

/** A pipeline whose analyses wait until released by name, recording what was fetched and started. */
function recorder(options: { fetchConcurrency: number; analysisConcurrency: number; held?: boolean }) {
  const fetched: string[] = []
  const started: string[] = []
  const release = new Map<string, () => void>()
  const stages: PipelineStages<Item, Item, string> = {
    fetchConcurrency: options.fetchConcurrency,
    analysisConcurrency: options.analysisConcurrency,
    fetch: async (item) => {
      fetched.push(item.name)
      return { ready: item }
    },
    weight: (item) => item.size,
    heldInMemory: () => options.held ?? false,
    analyze: (item) => {
      started.push(item.name)
      return new Promise((resolvePromise) => release.set(item.name, () => resolvePromise(`analysed ${item.name}`)))
    },
  }
  const releaseAll = async () => {
    for (let i = 0; i < 100 && started.some((name) => release.has(name)); i++) {
      for (const name of started) {
        release.get(name)?.()
        release.delete(name)
      }
      await settle()
    }
  }
  return { stages, fetched, started, release, releaseAll }
}

const items = (...sizes: number[]): Item[] => sizes.map((size, i) => ({ name: `p${i}`, size }))

describe('runPipeline', () => {
  it('gives each item its analysis, in the order of the items', async () => {
    const { stages, releaseAll } = recorder({ fetchConcurrency: 3, analysisConcurrency: 2 })
    const run = runPipeline(items(5, 1, 9, 3, 7), stages)
    await settle()
    await releaseAll()
    expect(await run).toEqual(['analysed p0', 'analysed p1', 'analysed p2', 'analysed p3', 'analysed p4'])
  })

  it('goes on downloading while every worker is busy', async () => {
    const { stages, fetched, started, release, releaseAll } = recorder({ fetchConcurrency: 2, analysisConcurrency: 1 })
    const run = runPipeline(items(1, 1, 1, 1, 1, 1), stages)
    await settle()
    // One analysis holds the only worker; the download slots are not tied to it.
    expect(started).toEqual(['p0'])
    expect(fetched).toHaveLength(6)
    release.get('p0')!()
    await releaseAll()
    await run
  })

  it('hands a free worker the largest package fetched so far', async () => {
    const { stages, started, release, releaseAll } = recorder({ fetchConcurrency: 8, analysisConcurrency: 1 })
    const run = runPipeline(items(2, 10, 300, 40, 300, 5), stages)
    await settle()
    expect(started).toEqual(['p0'])
    release.get('p0')!()
    await releaseAll()
    // Equal sizes keep the order in which they were fetched.
    expect(started).toEqual(['p0', 'p2', 'p4', 'p3', 'p1', 'p5'])
    await run
  })

  it('keeps the download slot of a package held in memory until its analysis starts', async () => {
    const { stages, fetched, started, release, releaseAll } = recorder({ fetchConcurrency: 2, analysisConcurrency: 1, held: true })
    const run = runPipeline(items(1, 1, 1, 1, 1, 1), stages)
    await settle()
    // p0 is being analysed; p1 and p2 wait in memory, each in a download slot, so nothing more is fetched.
    expect(started).toEqual(['p0'])
    expect(fetched).toEqual(['p0', 'p1', 'p2'])
    release.get('p0')!()
    await settle()
    expect(started).toEqual(['p0', 'p1'])
    expect(fetched).toEqual(['p0', 'p1', 'p2', 'p3'])
    await releaseAll()
    expect(await run).toHaveLength(6)
  })

  it('takes no worker for an item whose result came with its fetch', async () => {
    let finishEarly!: (value: string) => void
    const early = new Promise<string>((resolvePromise) => (finishEarly = resolvePromise))
    const { stages, started, releaseAll } = recorder({ fetchConcurrency: 1, analysisConcurrency: 1 })
    const fetchOne = stages.fetch
    stages.fetch = async (item) => (item.name === 'p0' ? { done: early } : fetchOne(item))
    const run = runPipeline(items(1, 2, 3), stages)
    await settle()
    // The early item is still running elsewhere, and the others go through the one worker meanwhile.
    expect(started).toEqual(['p1'])
    await releaseAll()
    expect(started).toEqual(['p1', 'p2'])
    finishEarly('from the early scan')
    expect(await run).toEqual(['from the early scan', 'analysed p1', 'analysed p2'])
  })

  it('rejects when an analysis fails', async () => {
    const stages: PipelineStages<Item, Item, string> = {
      fetchConcurrency: 2,
      analysisConcurrency: 2,
      fetch: async (item) => ({ ready: item }),
      weight: (item) => item.size,
      heldInMemory: () => false,
      analyze: async (item) => {
        if (item.name === 'p1') throw new Error('worker failed')
        return item.name
      },
    }
    await expect(runPipeline(items(1, 2, 3), stages)).rejects.toThrow('worker failed')
  })
})
