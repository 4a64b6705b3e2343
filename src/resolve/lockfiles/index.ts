import { existsSync, realpathSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import mapWorkspaces from '@npmcli/map-workspaces'
import type { PackageRef } from '../../types.ts'
import { UsageError } from '../usage-error.ts'
import { readBunLock } from './bun.ts'
import { packagesOfGraph, recordOf, type LockGraph } from './graph.ts'
import type { Manifest, Manifests } from './manifest.ts'
import { OTHER_LOCKFILE_NAMES, type OtherLockfileName } from './names.ts'
import { readPnpmLock } from './pnpm.ts'
import { readYarnLock } from './yarn.ts'

export type { Manifest, Manifests } from './manifest.ts'
export { isOtherLockfile, OTHER_LOCKFILE_NAMES } from './names.ts'

const READERS: Record<OtherLockfileName, (text: string, manifests: Manifests) => LockGraph> = {
  'yarn.lock': readYarnLock,
  'pnpm-lock.yaml': readPnpmLock,
  'bun.lock': readBunLock,
}

const MAX_LOCKFILE_BYTES = 256 * 1024 * 1024
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024

export interface LockfileReadOptions {
  /** `package.json` of the root project: says which of yarn's direct dependencies are dev or optional. */
  manifest?: Manifest
  /** `package.json` of the root (`''`) and of workspace members, by directory relative to the project. */
  manifests?: Manifests
  /**
   * Absolute project directory. When set, workspace members and `file:` directories inside it get
   * a `directory` to read, and `file:` tarball specs become absolute.
   */
  projectDir?: string
}

export interface LockfilePackages {
  packages: PackageRef[]
  warnings: string[]
}

/**
 * The packages of a `yarn.lock` (v1 or Berry), `pnpm-lock.yaml` (5.x to 9, one or two documents)
 * or `bun.lock`, from the text alone: `fileName` picks the format by its base name. Each package
 * has its real name (aliases resolved), version, resolved URL and integrity when the lockfile has
 * them, source, dev and optional flags as npm computes them, a `location` unique in the lockfile,
 * the lockfile line of its entry and the shortest dependency path from the root. Workspace
 * members are included (source `link`); the root project is not. Without the root manifest, a
 * yarn v1 lockfile cannot tell dev from production dependencies: every package is then flagged
 * both dev and optional (nothing reaches it), as npm flags extraneous packages.
 * Throws a `UsageError` for an unknown name or a lockfile that cannot be parsed.
 */
export async function readLockfilePackages(fileName: string, text: string, options: LockfileReadOptions = {}): Promise<PackageRef[]> {
  return (await readLockfile(fileName, text, options)).packages
}

export async function readLockfile(fileName: string, text: string, options: LockfileReadOptions = {}): Promise<LockfilePackages> {
  const name = basename(fileName)
  if (name === 'bun.lockb') throw new UsageError(`${fileName}: the binary bun.lockb cannot be read; run \`bun install --save-text-lockfile\` to write bun.lock`)
  const reader = Object.hasOwn(READERS, name) ? READERS[name as OtherLockfileName] : undefined
  if (!reader) throw new UsageError(`${fileName}: not a lockfile name Tarsier reads (${[...OTHER_LOCKFILE_NAMES, 'package-lock.json', 'npm-shrinkwrap.json'].join(', ')})`)
  const manifests = new Map(options.manifests ?? [])
  if (options.manifest && !manifests.has('')) manifests.set('', options.manifest)
  const graph = reader(text, manifests)
  const projectDir = options.projectDir
  await nameImporters(graph, manifests, projectDir)
  const warnings = [...graph.warnings]
  if (name === 'yarn.lock' && !manifests.has('') && !text.includes('__metadata')) {
    warnings.push('yarn.lock v1 without its package.json: the direct dependencies are unknown, so every package is flagged dev and optional')
  }
  const insideProject = projectDir ? (dir: string) => directoryInside(projectDir, dir) : undefined
  const packages = packagesOfGraph(graph, { ...(projectDir && { projectDir }), ...(insideProject && { insideProject }) })
  if (projectDir) {
    for (const ref of packages) if (ref.source === 'file' && ref.spec.startsWith('file:')) ref.spec = `file:${resolve(projectDir, ref.spec.slice('file:'.length))}`
  }
  return { packages, warnings }
}

/**
 * Reads a lockfile of a project on disk, with the root `package.json` beside it and the
 * `package.json` of each workspace member its `workspaces` globs name.
 */
export async function readLockfileAt(lockfilePath: string): Promise<LockfilePackages> {
  const size = (await stat(lockfilePath)).size
  if (size > MAX_LOCKFILE_BYTES) throw new UsageError(`${lockfilePath}: ${size} bytes, larger than any lockfile Tarsier reads (${MAX_LOCKFILE_BYTES})`)
  const text = await readFile(lockfilePath, 'utf8')
  const projectDir = dirname(lockfilePath)
  const warnings: string[] = []
  const manifests = new Map<string, Manifest>()
  const root = await readManifest(join(projectDir, 'package.json'), warnings)
  if (root) {
    manifests.set('', root)
    if (root.workspaces !== undefined) {
      try {
        for (const dir of (await mapWorkspaces({ cwd: projectDir, pkg: root })).values()) {
          const rel = relative(projectDir, dir).split(sep).join('/')
          const manifest = directoryInside(projectDir, rel) ? await readManifest(join(dir, 'package.json'), warnings) : undefined
          if (manifest) manifests.set(rel, manifest)
        }
      } catch (error) {
        warnings.push(`workspaces of ${join(projectDir, 'package.json')} could not be listed: ${(error as Error).message.split('\n')[0]}`)
      }
    }
  }
  const read = await readLockfile(lockfilePath, text, { manifests, projectDir })
  return { packages: read.packages, warnings: [...warnings, ...read.warnings] }
}

/**
 * Workspace members named and versioned by their own `package.json` (from `manifests`, else read
 * from disk) when the lockfile only gives their directory (pnpm) or a placeholder version (Berry);
 * `file:` directories versioned the same way when the lockfile has no version for them.
 */
async function nameImporters(graph: LockGraph, manifests: Manifests, projectDir: string | undefined): Promise<void> {
  for (const node of graph.nodes.values()) {
    if (node.key === graph.root || node.relativeDir === undefined) continue
    const importer = node.importer === true
    if (!importer && !(node.source === 'directory' && !node.version)) continue
    let manifest = importer ? manifests.get(node.relativeDir) : undefined
    if (!manifest && projectDir) {
      const dir = directoryInside(projectDir, node.relativeDir)
      manifest = dir ? await readManifest(join(dir, 'package.json'), []) : undefined
    }
    if (importer && typeof manifest?.name === 'string' && manifest.name) node.name = manifest.name
    if (typeof manifest?.version === 'string') node.version = manifest.version
  }
}

async function readManifest(path: string, warnings: string[]): Promise<Manifest | undefined> {
  try {
    const info = await stat(path)
    if (!info.isFile() || info.size > MAX_MANIFEST_BYTES) return undefined
    return recordOf(JSON.parse(await readFile(path, 'utf8')))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${path} could not be read: ${(error as Error).message.split('\n')[0]}`)
    return undefined
  }
}

/** `relativeDir` under `projectDir` as an absolute path, when it exists and stays inside it (symlinks included). */
function directoryInside(projectDir: string, relativeDir: string): string | undefined {
  const target = resolve(projectDir, relativeDir)
  if (!existsSync(target)) return undefined
  try {
    const realRoot = realpathSync(projectDir)
    const real = realpathSync(target)
    return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : `${realRoot}${sep}`) ? target : undefined
  } catch {
    return undefined
  }
}
