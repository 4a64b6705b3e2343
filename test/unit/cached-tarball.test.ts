import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import cacache from 'cacache'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hasCachedTarball, isUnreadableCachedTarball, readCachedTarball } from '../../src/fetch/cached-tarball.ts'
import { DEFAULT_LIMITS } from '../../src/fetch/limits.ts'
import { noise, tarBuffer } from '../helpers/hostile.ts'

let cache: string
beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), 'tarsier-cached-tarball-'))
})
afterEach(() => rm(cache, { recursive: true, force: true }))

const tgz = async () =>
  gzipSync(
    await tarBuffer([
      { name: 'package/package.json', type: 'file', content: '{"name":"a","version":"1.0.0"}' },
      { name: 'package/index.js', type: 'file', content: 'module.exports = 1' },
      // Incompressible, so that the archive spans many reads.
      { name: 'package/data.bin', type: 'file', content: noise(256 * 1024) },
    ]),
  )

/** Stores a tarball as pacote does (content-addressed by its sha512) and returns its integrity and content file. */
async function put(bytes: Buffer): Promise<{ integrity: string; path: string }> {
  const integrity = await cacache.put(cache, 'make-fetch-happen:request-cache:http://registry.invalid/a/-/a-1.0.0.tgz', bytes)
  const info = await cacache.get.info(cache, 'make-fetch-happen:request-cache:http://registry.invalid/a/-/a-1.0.0.tgz')
  return { integrity, path: info!.path }
}

/** Replaces the stored bytes, as a disk error or anyone who can write the cache could. */
async function overwrite(path: string, bytes: Buffer): Promise<void> {
  await chmod(path, 0o644)
  await writeFile(path, bytes)
}

describe('cached tarballs', () => {
  it('a cache that cannot be read (its folder is a file) holds nothing', async () => {
    const { integrity } = await put(await tgz())
    const file = join(cache, 'not-a-folder')
    await writeFile(file, 'x')
    expect(await hasCachedTarball(cache, integrity)).toBe(true)
    expect(await hasCachedTarball(file, integrity)).toBe(false)
  })

  it('are found by integrity and unpacked in memory, verified against it', async () => {
    const bytes = await tgz()
    const { integrity } = await put(bytes)
    expect(await hasCachedTarball(cache, integrity)).toBe(true)
    const contents = await readCachedTarball({ kind: 'cached-tarball', cache, integrity })
    expect([...contents.files.keys()].sort()).toEqual(['data.bin', 'index.js', 'package.json'])
    expect(contents.files.get('index.js')?.content?.toString()).toBe('module.exports = 1')
    expect(contents.compressedBytes).toBe(bytes.length)
    expect(contents.anomalies).toEqual([])
  })

  it('a cache entry whose bytes no longer match the integrity is rejected, not read', async () => {
    const bytes = await tgz()
    const { integrity, path } = await put(bytes)
    const altered = Buffer.from(bytes)
    altered[altered.length - 100]! ^= 0xff
    await overwrite(path, altered)
    expect(await hasCachedTarball(cache, integrity)).toBe(true)
    const read = readCachedTarball({ kind: 'cached-tarball', cache, integrity })
    await expect(read).rejects.toThrow(/^the cached tarball could not be read \(sha512-.*integrity checksum failed/)
    expect(isUnreadableCachedTarball(await read.catch((e: unknown) => e))).toBe(true)
  })

  it('a truncated entry is rejected too', async () => {
    const bytes = await tgz()
    const { integrity, path } = await put(bytes)
    await overwrite(path, bytes.subarray(0, bytes.length >> 1))
    await expect(readCachedTarball({ kind: 'cached-tarball', cache, integrity })).rejects.toSatisfy(isUnreadableCachedTarball)
  })

  it('is read to its end and verified even when the reader stops early at a limit', async () => {
    const bytes = await tgz()
    const { integrity, path } = await put(bytes)
    const limits = { ...DEFAULT_LIMITS, maxCompressedBytes: 1024 }
    const intact = await readCachedTarball({ kind: 'cached-tarball', cache, integrity }, limits)
    expect(intact.anomalies.map((a) => a.kind)).toEqual(['too-large'])
    const altered = Buffer.from(bytes)
    altered[altered.length - 100]! ^= 0xff
    await overwrite(path, altered)
    await expect(readCachedTarball({ kind: 'cached-tarball', cache, integrity }, limits)).rejects.toSatisfy(isUnreadableCachedTarball)
  })

  it('an integrity the cache does not hold is not found, and reading it is rejected', async () => {
    const integrity = `sha512-${Buffer.alloc(64, 1).toString('base64')}`
    expect(await hasCachedTarball(cache, integrity)).toBe(false)
    await expect(readCachedTarball({ kind: 'cached-tarball', cache, integrity })).rejects.toSatisfy(isUnreadableCachedTarball)
    expect(isUnreadableCachedTarball(new Error('something else'))).toBe(false)
  })
})
