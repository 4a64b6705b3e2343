import { JS_EXTENSIONS } from '../analyze/entry-kinds.ts'

/**
 * How much of a file other than source code and manifests is kept in memory. What the rules read
 * from such files fits in it: a binary's format from its first bytes, the head of a README, a
 * shell script or `.vscode/tasks.json`, an `.env` file. Platform binaries, source maps and type
 * declarations are most of the bytes of a real tree (about 900 of 1,100 MB in `bench/large-app`);
 * kept whole, a package like `@next/swc-*` held a worker's memory at 100 MB and more.
 */
export const HEAD_BYTES = 1024 * 1024

/**
 * Source maps are data no rule reads beyond its first bytes (bundled-binary's format check), and
 * they are as large as the code they map: `next` ships 2,751 of them, 99 MB, held in a worker
 * for the whole of its analysis when kept up to HEAD_BYTES.
 */
export const SOURCE_MAP_HEAD_BYTES = 4 * 1024

/** Bytes of a file of `size` bytes to keep: all of it for JavaScript/TypeScript and `package.json`, else the head. */
export function keptBytes(path: string, size: number): number {
  if (isWholeFile(path)) return size
  return Math.min(size, path.endsWith('.map') ? SOURCE_MAP_HEAD_BYTES : HEAD_BYTES)
}

function isWholeFile(path: string): boolean {
  return path === 'package.json' || path.endsWith('/package.json') || JS_EXTENSIONS.some((ext) => path.endsWith(ext))
}
