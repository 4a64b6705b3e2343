// The benchmark's trees (bench/<tree>/) and the small project that stands in for a PR diff.
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

// Fields that tie an entry to the rest of the tree (edges and the flags arborist derives from
// them). Without them the ten entries form a small tree of their own, with no missing edges.
const TREE_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'dev', 'optional', 'devOptional', 'peer'] as const

/**
 * Until `tarsier diff` exists, a PR that changes `count` packages is emulated by a lockfile
 * project holding only `count` packages of the tree: top-level registry entries of the lockfile
 * (`node_modules/<name>`), sorted by path and taken at evenly spaced positions, so the choice is
 * the same on every run and spread over the alphabet rather than all from one scope. Each entry
 * keeps its version and integrity (the tarball scanned is the same one) but loses its dependency
 * edges and dev/optional flags; the root depends on the ten at their exact versions.
 */
export async function writeDiffProject(treeDir: string, outDir: string, count: number): Promise<DiffPackage[]> {
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

  const chosen: DiffPackage[] = []
  const packages: Record<string, LockEntry> = {}
  const rootDependencies: Record<string, string> = {}
  for (const path of picked) {
    const entry: LockEntry = { ...lock.packages[path]! }
    for (const field of TREE_FIELDS) delete entry[field]
    const name = path.slice('node_modules/'.length)
    packages[path] = entry
    rootDependencies[name] = entry.version!
    chosen.push({ name, version: entry.version! })
  }
  const manifest = { name: 'tarsier-bench-pr-diff', version: '1.0.0', private: true, dependencies: rootDependencies }
  const lockfile: Lockfile = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: manifest.name, version: manifest.version, dependencies: rootDependencies }, ...packages },
  }
  await writeFile(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  await writeFile(join(outDir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`)
  return chosen
}
