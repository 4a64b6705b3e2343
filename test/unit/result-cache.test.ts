import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import cacache from 'cacache'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AnalysisOutcome } from '../../src/analyze/worker/task.ts'
import { contentsDigest } from '../../src/contents-digest.ts'
import type { TarballContents } from '../../src/fetch/tarball-reader.ts'
import { ResultCache } from '../../src/result-cache.ts'
import type { PackageRef } from '../../src/types.ts'

let cacheDir: string
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'tarsier-results-'))
})
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true })
})

const store = () => join(cacheDir, '_results')

const ref = (name: string, extra: Partial<PackageRef> = {}): PackageRef => ({
  name,
  version: '1.0.0',
  spec: `${name}@1.0.0`,
  source: 'registry',
  location: `node_modules/${name}`,
  dev: false,
  optional: false,
  integrity: `sha512-${Buffer.from(name).toString('base64')}`,
  ...extra,
})

const outcome = (message: string): AnalysisOutcome => ({
  findings: message ? [{ ruleId: 'env-exfiltration', severity: 'critical', message, file: 'steal.js', line: 1 }] : [],
  errors: [],
  jsFiles: 1,
  files: 2,
  bytes: 100,
})

const STEALER = outcome('The whole process.env is sent in a network request')
const CLEAN = outcome('')

/** Replaces the bytes stored for `key` (as a disk error or someone with write access could). */
async function overwriteContent(key: string, text: string): Promise<void> {
  const info = await cacache.get.info(store(), key)
  expect(info, `${key} is in the store`).toBeTruthy()
  await chmod(info!.path, 0o644)
  await writeFile(info!.path, text)
}

/** One scan's use of the cache: the cached results, then the packages it analysed. */
async function scanWith(refs: PackageRef[], analysed: Map<string, AnalysisOutcome>): Promise<Array<AnalysisOutcome | undefined>> {
  const cache = new ResultCache(cacheDir)
  const found = await cache.getAll(refs)
  for (const [i, r] of refs.entries()) if (!found[i] && analysed.has(r.name)) await cache.put(r, analysed.get(r.name)!)
  await cache.saveTree()
  return found
}

const treeKeys = async () => Object.keys(await cacache.ls(store())).filter((k) => k.startsWith('tarsier:tree-results:'))

describe('ResultCache', () => {
  const tree = [ref('stealer'), ref('greeter'), ref('local', { source: 'file', tarballPath: '/x.tgz' })]
  const analysed = new Map([
    ['stealer', STEALER],
    ['greeter', CLEAN],
  ])

  it('finds what a scan of the same packages stored, from one entry for the whole tree', async () => {
    expect(await scanWith(tree, analysed)).toEqual([undefined, undefined, undefined])
    expect(await treeKeys()).toHaveLength(1)
    // Without the entries of each package, the tree's entry alone answers.
    for (const r of tree.slice(0, 2)) await cacache.rm.entry(store(), ResultCache.keyOf(r)!)
    expect(await scanWith(tree, new Map())).toEqual([STEALER, CLEAN, undefined])
  })

  it("a changed tree finds each package's own entry, and gets an entry of its own", async () => {
    await scanWith(tree, analysed)
    const changed = [ref('stealer'), ref('greeter', { version: '1.0.1', integrity: 'sha512-b3RoZXI=' })]
    expect(await scanWith(changed, new Map([['greeter', CLEAN]]))).toEqual([STEALER, undefined])
    expect(await treeKeys()).toHaveLength(2)
    expect(await scanWith(changed, new Map())).toEqual([STEALER, CLEAN])
  })

  it("a tree entry whose bytes were changed is not used: each package's entry is read instead", async () => {
    await scanWith(tree, analysed)
    const [treeKey] = await treeKeys()
    // Valid JSON that would pass the stealer off as clean.
    await overwriteContent(treeKey!, JSON.stringify({ [tree[0]!.integrity!]: CLEAN, [tree[1]!.integrity!]: CLEAN }))
    expect(await scanWith(tree, new Map())).toEqual([STEALER, CLEAN, undefined])
  })

  it("a package entry whose bytes were changed is a miss, not another package's result", async () => {
    await scanWith(tree, analysed)
    for (const key of await treeKeys()) await cacache.rm.entry(store(), key)
    await overwriteContent(ResultCache.keyOf(tree[0]!)!, JSON.stringify(CLEAN))
    expect(await scanWith(tree, new Map())).toEqual([undefined, CLEAN, undefined])
  })

  it('keys only registry packages with an integrity, by integrity', () => {
    expect(ResultCache.keyOf(ref('a'))).toMatch(/^tarsier:result:.+:sha512-YQ==$/)
    expect(ResultCache.keyOf(ref('a', { integrity: undefined }))).toBeUndefined()
    expect(ResultCache.keyOf(ref('a', { source: 'git' }))).toBeUndefined()
    expect(ResultCache.keyOf(ref('a', { directory: '/p/node_modules/a' }))).toBeUndefined()
    expect(ResultCache.keyOf(ref('a', { source: 'root', integrity: undefined, directory: '/p' }))).toBeUndefined()
  })
})

describe('contentsDigest and the key of the project files', () => {
  const contents = (files: Record<string, string | { size: number; content?: string; partial?: boolean }>, anomalies: TarballContents['anomalies'] = []): TarballContents => {
    const map = new Map(
      Object.entries(files).map(([path, f]) => {
        const file = typeof f === 'string' ? { size: f.length, content: f } : f
        return [path, { path, size: file.size, ...(file.content !== undefined && { content: Buffer.from(file.content) }), ...(file.partial && { partial: true }) }]
      }),
    )
    const unpackedBytes = [...map.values()].reduce((n, f) => n + f.size, 0)
    return { files: map, anomalies, compressedBytes: unpackedBytes, unpackedBytes }
  }
  const base = { 'index.js': 'module.exports = 1', 'package.json': '{"name":"app"}' }

  it('is the same for the same files, and differs for any change of bytes, names, kept parts or anomalies', () => {
    const digest = contentsDigest(contents(base))
    expect(contentsDigest(contents(base))).toBe(digest)
    const variants = [
      contents({ ...base, 'index.js': 'module.exports = 2' }),
      contents({ 'index.cjs': base['index.js'], 'package.json': base['package.json'] }),
      contents({ ...base, 'extra.js': '' }),
      contents({ ...base, 'index.js': { size: 18 } }),
      contents({ ...base, 'index.js': { size: 40, content: base['index.js'], partial: true } }),
      contents(base, [{ kind: 'symlink', path: 'link', detail: 'symbolic link to /etc/passwd' }]),
      // The same bytes split otherwise between two files.
      contents({ 'index.js': 'module.exports = 1{"name"', 'package.json': ':"app"}' }),
    ]
    const digests = variants.map(contentsDigest)
    expect(new Set([digest, ...digests]).size).toBe(variants.length + 1)
  })

  it('keys the project by its files, its place and the read limits', () => {
    const root = ref('app', { source: 'root', version: '', integrity: undefined, directory: '/work/app', location: '' })
    const key = ResultCache.rootKeyOf(root, contents(base), undefined)
    expect(key).toMatch(/^tarsier:root-result:/)
    expect(ResultCache.rootKeyOf(root, contents(base), undefined)).toBe(key)
    expect(ResultCache.rootKeyOf(root, contents({ ...base, 'index.js': 'module.exports = 2' }), undefined)).not.toBe(key)
    expect(ResultCache.rootKeyOf({ ...root, directory: '/work/other' }, contents(base), undefined)).not.toBe(key)
  })
})
