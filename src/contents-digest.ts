import { createHash } from 'node:crypto'
import type { TarballContents } from './fetch/tarball-reader.ts'

/**
 * A SHA-256 of everything an analysis is given of a package's files: each path, size and kept
 * bytes (in the order read), whether they are the whole file, the anomalies and the byte count.
 * Lengths are hashed before variable parts, so that no two different contents hash alike.
 */
export function contentsDigest(contents: TarballContents): string {
  const hash = createHash('sha256')
  const header = (...values: Array<string | number | boolean>) => hash.update(`${JSON.stringify(values)}\n`)
  header(contents.files.size, contents.unpackedBytes, contents.compressedBytes)
  for (const [key, file] of contents.files) {
    header(key, file.path, file.size, file.partial ?? false, file.content ? file.content.byteLength : -1)
    if (file.content) hash.update(file.content)
  }
  hash.update(JSON.stringify(contents.anomalies))
  return hash.digest('hex')
}
