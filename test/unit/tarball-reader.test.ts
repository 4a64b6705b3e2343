import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, type ReadLimits } from '../../src/fetch/limits.ts'
import { HEAD_BYTES, SOURCE_MAP_HEAD_BYTES } from '../../src/fetch/kept-content.ts'
import { readTarball } from '../../src/fetch/tarball-reader.ts'
import { chunked, noise, tarBuffer, type GenEntry } from '../helpers/hostile.ts'

const tgzOf = async (entries: GenEntry[]) => gzipSync(await tarBuffer(entries))

/** A source stream that hands the buffer over in chunks, like a network response. */
const streamOf = (buffer: Buffer, chunkSize = 16 * 1024) => chunked(buffer, chunkSize)

const limits = (overrides: Partial<ReadLimits>): ReadLimits => ({ ...DEFAULT_LIMITS, ...overrides })
const file = (name: string, content: string): GenEntry => ({ name, type: 'file', content })
const text = (contents: Awaited<ReturnType<typeof readTarball>>, path: string) => contents.files.get(path)?.content?.toString()
const kinds = (contents: Awaited<ReturnType<typeof readTarball>>) => contents.anomalies.map((a) => a.kind)

describe('readTarball', () => {
  it('reads a normal package, stripping the first path component', async () => {
    const tgz = await tgzOf([
      file('package/package.json', '{"name":"a","version":"1.0.0"}'),
      file('package/index.js', 'module.exports = 1'),
      file('package/lib/deep/util.js', 'exports.x = 2'),
    ])
    const contents = await readTarball(streamOf(tgz))
    expect([...contents.files.keys()].sort()).toEqual(['index.js', 'lib/deep/util.js', 'package.json'])
    expect(text(contents, 'index.js')).toBe('module.exports = 1')
    expect(contents.files.get('lib/deep/util.js')?.size).toBe('exports.x = 2'.length)
    expect(contents.anomalies).toEqual([])
    expect(contents.compressedBytes).toBe(tgz.length)
    expect(contents.unpackedBytes).toBeGreaterThan(0)
  })

  it('reads files that span many gunzip output chunks byte for byte, whatever the pieces the source arrives in', async () => {
    // Sizes around and well above gunzip's 256 KB output chunks, with small files between them,
    // so that entries start and end inside chunks; random bytes, so that they do not compress.
    const sources = [
      ['package/a.js', noise(3 * 256 * 1024 + 17, 1)],
      ['package/b.js', noise(1, 2)],
      ['package/c.js', noise(256 * 1024, 3)],
      ['package/d.js', noise(256 * 1024 - 1, 4)],
      ['package/e.js', noise(900_001, 5)],
    ] as const
    const tgz = await tgzOf(sources.map(([name, content]) => ({ name, type: 'file', content })))
    for (const pieces of [1024, 64 * 1024, tgz.length]) {
      const contents = await readTarball(streamOf(tgz, pieces))
      expect(contents.anomalies).toEqual([])
      for (const [name, content] of sources) expect(contents.files.get(name.slice('package/'.length))?.content?.equals(content)).toBe(true)
      expect(contents.unpackedBytes).toBeGreaterThan(sources.reduce((sum, [, content]) => sum + content.length, 0))
    }
  })

  it('gives each kept file memory of its own, so that releasing one frees it (no slab of the shared Buffer pool)', async () => {
    const tgz = await tgzOf([file('package/a.js', 'a()'), file('package/b.js', 'b()'), file('package/README.md', 'x'.repeat(5000))])
    const contents = await readTarball(streamOf(tgz))
    const buffers = [...contents.files.values()].map((f) => f.content!)
    for (const content of buffers) expect(content.buffer.byteLength).toBe(content.length)
    expect(new Set(buffers.map((b) => b.buffer)).size).toBe(3)
  })

  it('keeps source files and manifests whole and only the head of other large files', async () => {
    const big = HEAD_BYTES + 100_000
    const binary = Buffer.alloc(big, 0x41)
    binary.write('\x7fELF', 0, 'latin1')
    const contents = await readTarball(
      streamOf(
        await tgzOf([
          { name: 'package/bin/tool', type: 'file', content: binary },
          file('package/dist/bundle.js', `var a = ${'1+'.repeat(big / 2)}1`),
          file('package/small.md', '# readme'),
        ]),
        1024 * 1024,
      ),
    )
    const tool = contents.files.get('bin/tool')!
    expect(tool.size).toBe(big)
    expect(tool.partial).toBe(true)
    expect(tool.content?.length).toBe(HEAD_BYTES)
    expect(tool.content?.subarray(0, 4).toString('latin1')).toBe('\x7fELF')
    const bundle = contents.files.get('dist/bundle.js')!
    expect(bundle.partial).toBeUndefined()
    expect(bundle.content?.length).toBe(bundle.size)
    expect(contents.files.get('small.md')?.partial).toBeUndefined()
    expect(contents.unpackedBytes).toBeGreaterThan(2 * big)
  })

  it('keeps only the first bytes of a source map, and the whole of the code it maps', async () => {
    const map = JSON.stringify({ version: 3, sources: ['a.ts'], mappings: 'AAAA;'.repeat(20_000) })
    const code = `exports.a = 1\n//# sourceMappingURL=a.js.map\n${'//'.repeat(10_000)}`
    const contents = await readTarball(streamOf(await tgzOf([file('package/dist/a.js.map', map), file('package/dist/a.js', code)])))
    const kept = contents.files.get('dist/a.js.map')!
    expect(kept.size).toBe(map.length)
    expect(kept.partial).toBe(true)
    expect(kept.content?.toString()).toBe(map.slice(0, SOURCE_MAP_HEAD_BYTES))
    expect(text(contents, 'dist/a.js')).toBe(code)
  })

  it('keeps the paths of a tarball whose top folder is not `package/` (as npm does)', async () => {
    const contents = await readTarball(streamOf(await tgzOf([file('node-v1/index.js', 'x')])))
    expect([...contents.files.keys()]).toEqual(['index.js'])
  })

  it('reads a plain, uncompressed tar', async () => {
    const plain = await tarBuffer([file('package/index.js', 'plain'), file('package/package.json', '{}')])
    const contents = await readTarball(streamOf(plain))
    expect(text(contents, 'index.js')).toBe('plain')
    expect(contents.anomalies).toEqual([])
  })

  it('reports symbolic links without reading them as files', async () => {
    const contents = await readTarball(
      streamOf(await tgzOf([file('package/index.js', 'x'), { name: 'package/link.js', type: 'symlink', linkname: '/etc/passwd' }])),
    )
    expect(contents.files.has('link.js')).toBe(false)
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'symlink', path: 'link.js', detail: expect.stringContaining('/etc/passwd') })])
  })

  it('reports hard links', async () => {
    const contents = await readTarball(
      streamOf(await tgzOf([file('package/a.js', 'x'), { name: 'package/b.js', type: 'link', linkname: 'package/a.js' }])),
    )
    expect(contents.files.has('b.js')).toBe(false)
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'hardlink', path: 'b.js' })])
  })

  it('reports `../` traversal and does not keep the entry', async () => {
    const contents = await readTarball(streamOf(await tgzOf([file('package/../../.bashrc', 'evil'), file('package/ok.js', 'ok')])))
    expect(kinds(contents)).toEqual(['path-traversal'])
    expect(contents.anomalies[0]!.path).toBe('package/../../.bashrc')
    expect([...contents.files.keys()]).toEqual(['ok.js'])
  })

  it('reports `..` in the middle of a path even when it normalises inside the package', async () => {
    const contents = await readTarball(streamOf(await tgzOf([file('package/lib/../index.js', 'x')])))
    expect(kinds(contents)).toEqual(['path-traversal'])
    expect(contents.files.size).toBe(0)
  })

  it('reports `..\\` traversal with backslash separators (Windows tar reads them as folders)', async () => {
    const contents = await readTarball(streamOf(await tgzOf([file('package/a\\..\\..\\..\\evil.js', 'x')])))
    expect(kinds(contents)).toEqual(['path-traversal'])
    expect(contents.files.size).toBe(0)
  })

  it('reads long paths stored in PAX headers', async () => {
    const long = `${'deep/'.repeat(40)}file.js`
    const contents = await readTarball(streamOf(await tgzOf([file(`package/${long}`, 'long')])))
    expect(text(contents, long)).toBe('long')
    expect(contents.anomalies).toEqual([])
  })

  it('reports an entry name that is not valid UTF-8, and still reads the file', async () => {
    const plain = await tarBuffer([file('package/XX.js', 'named badly')])
    // Replace "XX" in the first header with bytes that are not UTF-8, then fix the header checksum.
    const at = plain.indexOf('XX')
    plain[at] = 0xff
    plain[at + 1] = 0xfe
    plain.fill(0x20, 148, 156)
    let sum = 0
    for (let i = 0; i < 512; i++) sum += plain[i]!
    plain.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
    const contents = await readTarball(streamOf(gzipSync(plain)))
    expect(kinds(contents)).toEqual(['invalid-name'])
    expect([...contents.files.values()].map((f) => f.content?.toString())).toEqual(['named badly'])
  })

  it('reports absolute paths', async () => {
    const contents = await readTarball(streamOf(await tgzOf([file('/etc/cron.d/x', 'evil'), file('package/ok.js', 'ok')])))
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'absolute-path', path: '/etc/cron.d/x' })])
    expect([...contents.files.keys()]).toEqual(['ok.js'])
  })

  it('reports special files (fifo, devices)', async () => {
    const contents = await readTarball(streamOf(await tgzOf([{ name: 'package/pipe', type: 'fifo' }])))
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'special-file', path: 'pipe' })])
  })

  it('reports a duplicate entry and keeps the last copy, as npm does', async () => {
    const contents = await readTarball(streamOf(await tgzOf([file('package/index.js', 'first'), file('package/index.js', 'second')])))
    expect(kinds(contents)).toEqual(['duplicate-entry'])
    expect(contents.anomalies[0]!.path).toBe('index.js')
    expect(text(contents, 'index.js')).toBe('second')
  })

  it('lists a file above maxFileBytes without its content', async () => {
    const big = 'x'.repeat(2000)
    const contents = await readTarball(streamOf(await tgzOf([file('package/big.js', big), file('package/small.js', 'ok')])), limits({ maxFileBytes: 1000 }))
    expect(contents.files.get('big.js')).toEqual({ path: 'big.js', size: 2000 })
    expect(text(contents, 'small.js')).toBe('ok')
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'file-too-large', path: 'big.js' })])
  })

  it('stops at maxFiles with a too-many-files anomaly, keeping the files read before', async () => {
    const entries = Array.from({ length: 10 }, (_, i) => file(`package/f${i}.js`, `${i}`))
    const contents = await readTarball(streamOf(await tgzOf(entries)), limits({ maxFiles: 3 }))
    expect(contents.files.size).toBe(3)
    expect([...contents.files.keys()]).toEqual(['f0.js', 'f1.js', 'f2.js'])
    expect(kinds(contents)).toEqual(['too-many-files'])
  })

  it('reports paths nested deeper than maxPathDepth', async () => {
    const contents = await readTarball(streamOf(await tgzOf([file(`package/${'d/'.repeat(5)}x.js`, 'x')])), limits({ maxPathDepth: 3 }))
    expect(kinds(contents)).toEqual(['too-large'])
    expect(contents.files.size).toBe(0)
  })

  it('resolves a truncated gzip with a corrupt anomaly and the files read before the damage', async () => {
    // Incompressible content, so that the first file is well inside the part that survives truncation.
    const tgz = await tgzOf([
      { name: 'package/first.js', type: 'file', content: 'first' },
      { name: 'package/a.bin', type: 'file', content: noise(64 * 1024, 1) },
      { name: 'package/b.bin', type: 'file', content: noise(64 * 1024, 2) },
      { name: 'package/c.bin', type: 'file', content: noise(64 * 1024, 3) },
    ])
    const truncated = tgz.subarray(0, Math.floor(tgz.length * 0.6))
    const contents = await readTarball(streamOf(truncated, 4096))
    expect(kinds(contents)).toContain('corrupt')
    expect(text(contents, 'first.js')).toBe('first')
    expect(contents.files.has('c.bin')).toBe(false)
  })

  it('resolves garbage after a gzip header with a corrupt anomaly', async () => {
    const garbage = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(200, 0x41)])
    const contents = await readTarball(streamOf(garbage))
    expect(kinds(contents)).toEqual(['corrupt'])
    expect(contents.files.size).toBe(0)
  })

  it('resolves an empty stream with a corrupt anomaly', async () => {
    const contents = await readTarball(Readable.from([]))
    expect(kinds(contents)).toEqual(['corrupt'])
  })

  it('rejects when the source stream fails (network, integrity)', async () => {
    const source = new Readable({
      read() {
        this.destroy(new Error('EINTEGRITY: sha512 mismatch'))
      },
    })
    await expect(readTarball(source)).rejects.toThrow('EINTEGRITY')
  })

  it('stops a compression-ratio bomb', async () => {
    // 20 MB of zeros compresses about a thousandfold; a ratio limit of 50 catches it.
    const tgz = await tgzOf([{ name: 'package/zeros.bin', type: 'file', content: Buffer.alloc(20 * 1024 * 1024) }])
    expect(tgz.length).toBeLessThan(1024 * 1024)
    const contents = await readTarball(streamOf(tgz), limits({ maxCompressionRatio: 50 }))
    expect(kinds(contents)).toEqual(['compression-ratio'])
    expect(contents.files.has('zeros.bin')).toBe(false)
  })

  it('stops at maxUnpackedBytes', async () => {
    const tgz = await tgzOf([{ name: 'package/zeros.bin', type: 'file', content: Buffer.alloc(4 * 1024 * 1024) }, file('package/after.js', 'x')])
    const contents = await readTarball(streamOf(tgz), limits({ maxUnpackedBytes: 1024 * 1024 }))
    expect(kinds(contents)).toEqual(['too-large'])
    expect(contents.files.has('after.js')).toBe(false)
  })

  it('stops at maxCompressedBytes', async () => {
    const tgz = await tgzOf([{ name: 'package/noise.bin', type: 'file', content: noise(256 * 1024, 7) }])
    const contents = await readTarball(streamOf(tgz), limits({ maxCompressedBytes: 32 * 1024 }))
    expect(kinds(contents)).toEqual(['too-large'])
    expect(contents.compressedBytes).toBeGreaterThan(32 * 1024)
  })
})
