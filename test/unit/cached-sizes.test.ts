import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import cacache from 'cacache'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { largestCachedFirst } from '../../src/fetch/cached-sizes.ts'
import type { PackageRef } from '../../src/types.ts'

let cacheDir: string
const integrities: Record<string, string> = {}

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'tarsier-sizes-'))
  for (const [name, size] of [['small', 10], ['large', 5000], ['medium', 700]] as const) {
    integrities[name] = await cacache.put(join(cacheDir, '_cacache'), `key:${name}`, Buffer.alloc(size, name))
  }
})
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true })
})

const ref = (name: string, integrity?: string, source: PackageRef['source'] = 'registry'): PackageRef => ({
  name,
  version: '1.0.0',
  spec: `${name}@1.0.0`,
  source,
  location: `node_modules/${name}`,
  dev: false,
  optional: false,
  ...(integrity && { integrity }),
})

describe('largestCachedFirst', () => {
  it('puts cached tarballs first, largest first, and keeps the order of the rest', async () => {
    const refs = [
      ref('uncached-a', 'sha512-bm90IGluIHRoZSBjYWNoZQ=='),
      ref('small', integrities.small),
      ref('no-integrity'),
      ref('large', integrities.large),
      ref('git-dep', integrities.medium, 'git'),
      ref('medium', integrities.medium),
    ]
    const order = await largestCachedFirst(refs, cacheDir)
    expect(order.map((i) => refs[i]!.name)).toEqual(['large', 'medium', 'small', 'uncached-a', 'no-integrity', 'git-dep'])
  })

  it('keeps the order when there is no cache at all', async () => {
    const refs = [ref('b', integrities.large), ref('a', integrities.small)]
    expect(await largestCachedFirst(refs, join(cacheDir, 'missing'))).toEqual([0, 1])
  })
})
