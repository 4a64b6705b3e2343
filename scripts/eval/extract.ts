import { createReadStream } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve, sep } from 'node:path'
import { createGunzip } from 'node:zlib'
import tar from 'tar-stream'

export interface Extraction {
  dir: string
  files: number
  /** Entries that were not written: links, special files, paths escaping the directory. */
  refused: string[]
  remove(): Promise<void>
}

const MAX_FILE_BYTES = 64 * 1024 * 1024
const MAX_TOTAL_BYTES = 256 * 1024 * 1024
const MAX_ENTRIES = 20_000

/**
 * Extracts an npm-style tarball (`package/` prefix) into a fresh directory under the system temp
 * directory, for scanning as a project. Only regular files and directories are written, with
 * mode 0600/0700 (nothing executable); absolute paths, `..` components, links and special files
 * are refused. Entries are buffered in memory before being written, and every target path is
 * checked to stay inside the directory.
 */
export async function extractToTemp(tarballPath: string): Promise<Extraction> {
  const dir = await mkdtemp(join(tmpdir(), 'tarsier-eval-'))
  const remove = () => rm(dir, { recursive: true, force: true })
  const refused: string[] = []
  let files = 0
  let total = 0
  let entries = 0
  try {
    const extract = tar.extract()
    const done = new Promise<void>((resolveDone, reject) => {
      extract.on('finish', resolveDone)
      extract.on('error', reject)
    })
    const source = createReadStream(tarballPath)
    const gunzip = createGunzip()
    source.on('error', (e) => extract.destroy(e))
    gunzip.on('error', (e) => extract.destroy(e))
    source.pipe(gunzip).pipe(extract)

    extract.on('entry', (header, stream, next) => {
      const skip = (why: string) => {
        refused.push(`${header.name}: ${why}`)
        stream.on('end', () => next())
        stream.resume()
      }
      if (++entries > MAX_ENTRIES) return skip('too many entries')
      const rel = safeRelativePath(header.name)
      if (typeof rel !== 'string') return skip(rel.reason)
      if (header.type === 'directory') {
        // Folders are created for the files they hold; an empty one does not matter to a scan.
        stream.on('end', () => next())
        stream.resume()
        return
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') return skip(`${header.type} entry refused`)
      if (rel === '') return skip('empty path')
      const target = resolve(dir, rel)
      if (!target.startsWith(dir + sep)) return skip('path escapes the extraction directory')
      const chunks: Buffer[] = []
      let size = 0
      stream.on('data', (data: unknown) => {
        const c = data as Buffer
        size += c.length
        total += c.length
        if (size <= MAX_FILE_BYTES && total <= MAX_TOTAL_BYTES) chunks.push(c)
      })
      stream.on('end', () => {
        if (size > MAX_FILE_BYTES || total > MAX_TOTAL_BYTES) {
          refused.push(`${header.name}: too large`)
          next()
          return
        }
        mkdir(dirname(target), { recursive: true, mode: 0o700 })
          .then(() => writeFile(target, Buffer.concat(chunks, size), { mode: 0o600, flag: 'wx' }))
          .then(
            () => {
              files++
              next()
            },
            (error: NodeJS.ErrnoException) => {
              refused.push(`${header.name}: ${error.code ?? error.message}`)
              next()
            },
          )
      })
    })
    await done
    return { dir, files, refused, remove }
  } catch (error) {
    await remove()
    throw error
  }
}

/** The entry path without its first component (`package/`), or why it is refused. */
function safeRelativePath(name: string): string | { reason: string } {
  if (name.includes('\0')) return { reason: 'NUL in path' }
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return { reason: 'absolute path refused' }
  const parts = name.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) return { reason: '.. in path refused' }
  return parts.slice(1).join('/')
}
