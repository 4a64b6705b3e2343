/** Bounds on what is read from one package tarball, so a hostile archive cannot exhaust memory. */
export interface ReadLimits {
  /** Compressed bytes read from the network or cache. */
  maxCompressedBytes: number
  /** Sum of the sizes of all entries. */
  maxUnpackedBytes: number
  /** Largest single file kept in memory; larger files are listed without content. */
  maxFileBytes: number
  maxFiles: number
  /** Unpacked bytes per compressed byte above which the archive is treated as a decompression bomb. */
  maxCompressionRatio: number
  maxPathDepth: number
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxCompressedBytes: 256 * 1024 * 1024,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
  maxFiles: 100_000,
  maxCompressionRatio: 200,
  maxPathDepth: 64,
}
