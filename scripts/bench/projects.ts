// The benchmark's trees (bench/<tree>/) and the base lockfile of the PR diff mode.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const TREES = ['large-app', 'express-app'] as const
export type TreeName = (typeof TREES)[number]

interface LockEntry {
  version?: string
  integrity?: string
  link?: boolean
  [key: string]: unknown
}

interface Lockfile {
  name?: string
  version?: string
  lockfileVersion: number
  requires?: boolean
  packages: Record<string, LockEntry>
}

export interface DiffPackage {
  name: string
  version: string
}

/**
 * The base side of a PR that adds `count` packages: the tree's lockfile without `count` of its
 * top-level registry entries (`node_modules/<name>`), sorted by path and taken at evenly spaced
 * positions, so the choice is the same on every run and spread over the alphabet rather than all
 * from one scope. `tarsier diff --base-lockfile <this> <tree>` then resolves the whole tree and
 * scans exactly those packages, as it would a pull request's lockfile change.
 */
export async function writeDiffBase(treeDir: string, outDir: string, count: number): Promise<DiffPackage[]> {
  const lock = JSON.parse(await readFile(join(treeDir, 'package-lock.json'), 'utf8')) as Lockfile
  const topLevel = Object.keys(lock.packages)
    .filter((path) => /^node_modules\/(?:@[^/]+\/)?[^/@][^/]*$/.test(path))
    .filter((path) => {
      const entry = lock.packages[path]!
      return !entry.link && typeof entry.version === 'string' && typeof entry.integrity === 'string'
    })
    .sort()
  if (topLevel.length < count) throw new Error(`${treeDir}: only ${topLevel.length} top-level packages, ${count} wanted`)
  const picked = Array.from({ length: count }, (_, i) => topLevel[Math.floor(((i + 0.5) * topLevel.length) / count)]!)
  const chosen = picked.map((path) => ({ name: path.slice('node_modules/'.length), version: lock.packages[path]!.version! }))
  for (const path of picked) delete lock.packages[path]
  await writeFile(join(outDir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`)
  return chosen
}
