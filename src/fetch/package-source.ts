import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { FetchFailure } from '../types.ts'
import { readCachedTarball, type CachedTarball } from './cached-tarball.ts'
import { readDirectory } from './directory-reader.ts'
import type { ReadLimits } from './limits.ts'
import { readTarball, type TarballContents } from './tarball-reader.ts'

/** Where a package's files are read from: the tarball cache, bytes fetched (and verified) by pacote, a local file, or disk. */
export type PackageSourceData =
  | CachedTarball
  /** `fetchFailure` is set when the bytes were had only after a download that failed verification. */
  | { kind: 'tarball-bytes'; bytes: Uint8Array; fetchFailure?: FetchFailure }
  | { kind: 'tarball-file'; path: string }
  | { kind: 'directory'; path: string; gitHooks?: boolean }
  /** Files already read (the project's own, read once to look up its cached result). */
  | { kind: 'read'; contents: TarballContents }
  | { kind: 'none'; fetchFailure: FetchFailure }

/** Reads a package's files into memory from its source; undefined when there is nothing to read. */
export async function readPackageSource(source: PackageSourceData, limits?: ReadLimits): Promise<TarballContents | undefined> {
  switch (source.kind) {
    case 'cached-tarball':
      return readCachedTarball(source, limits)
    case 'tarball-bytes':
      return readTarball(Readable.from([Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength)]), limits)
    case 'tarball-file':
      return readTarball(createReadStream(source.path), limits)
    case 'directory':
      return readDirectory(source.path, limits, { gitHooks: source.gitHooks ?? false })
    case 'read':
      return withBufferContents(source.contents)
    case 'none':
      return undefined
  }
}

/** Contents sent to a worker thread arrive with each Buffer cloned as a plain Uint8Array. */
function withBufferContents(contents: TarballContents): TarballContents {
  for (const file of contents.files.values()) {
    const content = file.content
    if (content && !Buffer.isBuffer(content)) file.content = Buffer.from((content as Uint8Array).buffer, (content as Uint8Array).byteOffset, (content as Uint8Array).byteLength)
  }
  return contents
}
