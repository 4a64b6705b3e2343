import { lstat, open, readdir, readFile, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { PackageFile, TarballAnomaly } from '../types.ts'
import { keptBytes } from './kept-content.ts'
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts'
import type { TarballContents } from './tarball-reader.ts'

/** Folders of a project that are not its own code: dependencies are scanned through the tree. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn'])

export interface ReadDirectoryOptions {
  /**
   * Also read the git hooks of the directory (`.git/hooks/*`, without the `.sample` stubs git
   * creates): for the project being scanned, whose hooks run on checkout, merge, commit and push.
   * Nothing else under `.git` is read.
   */
  gitHooks?: boolean
}

/**
 * Reads a package or project directory into memory with the same limits as a tarball. Symbolic
 * links are reported, never followed; `node_modules` and VCS folders are skipped (except the git
 * hooks of a project, when asked).
 */
export async function readDirectory(root: string, limits: ReadLimits = DEFAULT_LIMITS, options: ReadDirectoryOptions = {}): Promise<TarballContents> {
  const files = new Map<string, PackageFile>()
  const anomalies: TarballAnomaly[] = []
  let unpackedBytes = 0
  const queue: Array<{ dir: string; rel: string; depth: number; onlyFiles?: (name: string) => boolean }> = [{ dir: root, rel: '', depth: 0 }]
  if (options.gitHooks) queue.push({ dir: join(root, '.git', 'hooks'), rel: '.git/hooks', depth: 2, onlyFiles: (name) => !name.endsWith('.sample') })
  while (queue.length > 0) {
    const { dir, rel, depth, onlyFiles } = queue.shift()!
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (error) {
      // A project without .git (or with a .git file: a worktree or submodule) simply has no hooks here.
      if (onlyFiles) continue
      anomalies.push({ kind: 'corrupt', path: rel, detail: `cannot read directory: ${(error as Error).message}` })
      continue
    }
    if (onlyFiles) entries = entries.filter((e) => !e.isDirectory() && onlyFiles(e.name))
    entries.sort((a, b) => (a.name < b.name ? -1 : 1))
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name
      const full = join(dir, entry.name)
      if (entry.isSymbolicLink()) {
        const target = await readlink(full).catch(() => '?')
        anomalies.push({ kind: 'symlink', path, detail: `symbolic link to ${target}` })
      } else if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue
        if (depth + 1 > limits.maxPathDepth) {
          anomalies.push({ kind: 'too-large', path, detail: `nested deeper than ${limits.maxPathDepth} levels` })
          continue
        }
        queue.push({ dir: full, rel: path, depth: depth + 1 })
      } else if (entry.isFile()) {
        if (files.size >= limits.maxFiles) {
          anomalies.push({ kind: 'too-many-files', path, detail: `more than ${limits.maxFiles} files; the rest was not read` })
          return { files, anomalies, compressedBytes: unpackedBytes, unpackedBytes }
        }
        const { size } = await lstat(full)
        if (size > limits.maxFileBytes) {
          anomalies.push({ kind: 'file-too-large', path, detail: `${size} bytes, above the ${limits.maxFileBytes}-byte limit: listed, not read` })
          files.set(path, { path, size })
          continue
        }
        unpackedBytes += size
        if (unpackedBytes > limits.maxUnpackedBytes) {
          anomalies.push({ kind: 'too-large', path, detail: `more than ${limits.maxUnpackedBytes} bytes; the rest was not read` })
          return { files, anomalies, compressedBytes: unpackedBytes, unpackedBytes }
        }
        const keep = keptBytes(path, size)
        files.set(path, keep < size ? { path, size, content: await readHead(full, keep), partial: true } : { path, size, content: await readFile(full) })
      } else {
        anomalies.push({ kind: 'special-file', path, detail: 'not a regular file' })
      }
    }
  }
  return { files, anomalies, compressedBytes: unpackedBytes, unpackedBytes }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
