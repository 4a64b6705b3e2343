import { posix } from 'node:path'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import tar from 'tar-stream'
import type { PackageFile, TarballAnomaly } from '../types.ts'
import { keptBytes } from './kept-content.ts'
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts'

export interface TarballContents {
  files: Map<string, PackageFile>
  anomalies: TarballAnomaly[]
  compressedBytes: number
  unpackedBytes: number
}

/**
 * Size of gunzip's output chunks. zlib's default of 16 KB makes one round trip to libuv's thread
 * pool, one `data` event and one write into the tar parser per 16 KB: reading every cached tarball
 * of bench/large-app (1,501 MB unpacked, most of it native binaries that must be inflated to reach
 * the entries after them) took 7.9–8.8 s and 8.4–9.4 CPU-seconds on one thread. With 256 KB: 4.5–4.6 s
 * and 5.0–5.1 (64 KB: 5.6 s; 128 KB, 512 KB and 1 MB: 4.9–5.0 s), for the same peak memory.
 */
const GUNZIP_CHUNK_BYTES = 256 * 1024

/** Below this many unpacked bytes the compression ratio is not judged (small files compress well). */
const RATIO_GRACE_BYTES = 16 * 1024 * 1024

/**
 * Reads an npm tarball (gzipped or plain tar) into memory without touching the disk. Entry
 * paths lose their first component (`package/`), as npm does when it installs. Links, paths that
 * escape the package, special files and exceeded limits become anomalies; the rest is still read.
 * Errors of the source stream (network, integrity) reject; a corrupt archive resolves with what
 * was read before the damage and a `corrupt` anomaly.
 */
export function readTarball(source: Readable, limits: ReadLimits = DEFAULT_LIMITS): Promise<TarballContents> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, PackageFile>()
    const anomalies: TarballAnomaly[] = []
    let compressedBytes = 0
    let unpackedBytes = 0
    let settled = false
    let stopped = false
    const extract = tar.extract()
    let gunzip: ReturnType<typeof createGunzip> | undefined

    const finish = () => {
      if (settled) return
      settled = true
      resolve({ files, anomalies, compressedBytes, unpackedBytes })
    }
    const stop = (anomaly: TarballAnomaly) => {
      if (stopped) return
      stopped = true
      anomalies.push(anomaly)
      source.resume() // let the producer (and its integrity check) drain
      gunzip?.destroy()
      extract.destroy()
      finish()
    }
    const corrupt = (error: Error) => {
      if (!stopped) stop({ kind: 'corrupt', path: '', detail: `archive is damaged: ${error.message}` })
    }

    source.on('error', (error) => {
      if (settled) return
      settled = true
      gunzip?.destroy()
      extract.destroy()
      reject(error)
    })
    let sink: NodeJS.WritableStream | undefined
    source.on('end', () => {
      if (stopped) return
      if (!sink) corrupt(new Error('empty tarball'))
      else sink.end()
    })
    source.on('data', (chunk: Buffer) => {
      if (stopped) return
      compressedBytes += chunk.length
      if (compressedBytes > limits.maxCompressedBytes) {
        stop({ kind: 'too-large', path: '', detail: `tarball is larger than ${limits.maxCompressedBytes} bytes; the rest was not read` })
        return
      }
      if (!sink) {
        if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
          gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES })
          gunzip.on('error', corrupt)
          gunzip.on('data', (d: Buffer) => {
            unpackedBytes += d.length
            if (unpackedBytes > RATIO_GRACE_BYTES && unpackedBytes / compressedBytes > limits.maxCompressionRatio) {
              stop({ kind: 'compression-ratio', path: '', detail: `unpacks to more than ${limits.maxCompressionRatio}× its compressed size (decompression bomb)` })
            } else if (unpackedBytes > limits.maxUnpackedBytes) {
              stop({ kind: 'too-large', path: '', detail: `unpacks to more than ${limits.maxUnpackedBytes} bytes; the rest was not read` })
            }
          })
          gunzip.pipe(extract)
          sink = gunzip
        } else {
          sink = extract
        }
      }
      if (!sink.write(chunk)) {
        source.pause()
        sink.once('drain', () => source.resume())
      }
    })

    extract.on('error', corrupt)
    extract.on('finish', finish)
    extract.on('close', finish)

    extract.on('entry', (header, stream, next) => {
      if (!gunzip) unpackedBytes += header.size ?? 0
      const raw = header.name
      const rel = stripFirstComponent(raw)
      const anomaly = classifyEntry(header, raw, rel, limits)
      if (anomaly) anomalies.push(anomaly)
      const keep = !anomaly || anomaly.kind === 'duplicate-entry' || anomaly.kind === 'invalid-name'
      if (!keep || (header.type !== 'file' && header.type !== 'contiguous-file')) {
        stream.on('end', next)
        stream.resume()
        return
      }
      if (files.has(rel)) anomalies.push({ kind: 'duplicate-entry', path: rel, detail: 'the tarball holds this path more than once; npm keeps the last copy' })
      if (files.size >= limits.maxFiles) {
        stop({ kind: 'too-many-files', path: rel, detail: `more than ${limits.maxFiles} files; the rest was not read` })
        return
      }
      const size = header.size ?? 0
      if (size > limits.maxFileBytes) {
        anomalies.push({ kind: 'file-too-large', path: rel, detail: `${size} bytes, above the ${limits.maxFileBytes}-byte limit: listed, not read` })
        files.set(rel, { path: rel, size })
        stream.on('end', next)
        stream.resume()
        return
      }
      const keepBytes = keptBytes(rel, size)
      const chunks: Buffer[] = []
      let length = 0
      let kept = 0
      stream.on('data', (data: unknown) => {
        const c = data as Buffer
        length += c.length
        if (kept >= keepBytes || length > limits.maxFileBytes) return
        const part = kept + c.length > keepBytes ? c.subarray(0, keepBytes - kept) : c
        chunks.push(part)
        kept += part.length
      })
      stream.on('end', () => {
        const content = length <= limits.maxFileBytes ? ownBuffer(chunks, kept) : undefined
        files.set(rel, { path: rel, size: length, ...(content && { content }), ...(content && kept < length && { partial: true }) })
        next()
      })
    })
  })
}

/**
 * The chunks joined in a buffer of their own. Buffer.concat takes small buffers from Node's shared
 * 64 KB pool, where they sit next to gunzip's output chunks: one small file then kept a whole slab
 * alive (57 of next's 207 MB), and a file whose analysis is done could not free its memory.
 */
function ownBuffer(chunks: readonly Buffer[], length: number): Buffer {
  const out = Buffer.allocUnsafeSlow(length)
  let offset = 0
  for (const chunk of chunks) offset += chunk.copy(out, offset)
  return out
}

function stripFirstComponent(name: string): string {
  const slash = name.indexOf('/')
  return slash === -1 ? name : name.slice(slash + 1)
}

function classifyEntry(header: tar.Header, raw: string, rel: string, limits: ReadLimits): TarballAnomaly | undefined {
  if (raw.includes('\uFFFD') || raw.includes('\0')) return { kind: 'invalid-name', path: rel, detail: 'entry name is not valid UTF-8' }
  if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw)) return { kind: 'absolute-path', path: raw, detail: 'entry has an absolute path' }
  const normalized = posix.normalize(rel)
  // Backslashes count as separators: tar on Windows reads `a\..\..\x` as climbing out.
  if (normalized.startsWith('../') || normalized === '..' || rel.split(/[\\/]/).includes('..')) {
    return { kind: 'path-traversal', path: raw, detail: 'entry path climbs out of the package directory with ../' }
  }
  if (rel.split('/').length > limits.maxPathDepth) return { kind: 'too-large', path: rel, detail: `path is nested deeper than ${limits.maxPathDepth} levels` }
  switch (header.type) {
    case 'symlink':
      return { kind: 'symlink', path: rel, detail: `symbolic link to ${header.linkname ?? '?'}` }
    case 'link':
      return { kind: 'hardlink', path: rel, detail: `hard link to ${header.linkname ?? '?'}` }
    case 'character-device':
    case 'block-device':
    case 'fifo':
      return { kind: 'special-file', path: rel, detail: `${header.type} entry` }
    default:
      return undefined
  }
}
