// A frozen copy of the CLI for the length of a benchmark.
//
// The working tree can change while the benchmark runs (other people edit rules and the engine), and
// the result cache is keyed by a hash of rules/, src/analyze/, src/fetch/ and data/: an edit between
// two runs would turn an unchanged rescan into a full scan, and runs of one table would measure
// different code. So the files the CLI runs from are copied once, at the start, and every scan runs
// that copy (its node_modules is a symlink to the repository's).
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { cp, mkdir, symlink } from 'node:fs/promises'
import { join, relative } from 'node:path'

/** What `bin/tarsier.js` needs at run time (dist/ only when it has been built). */
const RUNTIME = ['bin', 'src', 'rules', 'data', 'schemas', 'dist', 'package.json']

export interface Snapshot {
  root: string
  cli: string
  /** sha256 of the copied files (paths and contents), first 12 hex digits. */
  hash: string
}

export async function snapshotCli(repoRoot: string, into: string): Promise<Snapshot> {
  await mkdir(into, { recursive: true })
  for (const entry of RUNTIME) {
    const from = join(repoRoot, entry)
    if (existsSync(from)) await cp(from, join(into, entry), { recursive: true })
  }
  await symlink(join(repoRoot, 'node_modules'), join(into, 'node_modules'), 'dir')
  return { root: into, cli: join(into, 'bin', 'tarsier.js'), hash: hashFiles(into) }
}

function hashFiles(root: string): string {
  const hash = createHash('sha256')
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === 'node_modules') continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) hash.update(relative(root, path)).update('\0').update(readFileSync(path))
    }
  }
  walk(root)
  return hash.digest('hex').slice(0, 12)
}
