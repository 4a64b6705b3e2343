import { existsSync, statSync } from 'node:fs'
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import npa from 'npm-package-arg'
import type { PackageRef, TargetKind } from '../types.ts'
import { isOtherLockfile, OTHER_LOCKFILE_NAMES } from './lockfiles/names.ts'
import { npmLockfileLines } from './npm-lockfile-lines.ts'
import { loadTree, packagesOfTree, type TreeMode } from './npm-tree.ts'
import { UsageError } from './usage-error.ts'

export { UsageError }

export interface ResolvedTarget {
  kind: TargetKind
  /** What the user asked for, made absolute when it is a path. */
  target: string
  /** Directory whose `.npmrc` applies, for path targets. */
  projectDir?: string
  packages: PackageRef[]
  warnings: string[]
}

export interface ResolveOptions {
  npmOptions: Record<string, unknown>
  omit: ReadonlySet<'dev' | 'optional'>
  /** Only the directory's own files: no dependency tree (no lockfile read, no registry contact). */
  rootOnly?: boolean
}

const LOCKFILE_NAMES = ['package-lock.json', 'npm-shrinkwrap.json']
const TARBALL = /\.(?:tgz|tar\.gz|tar)$/

/**
 * Turns a scan target into the exact packages to scan: a project directory (lockfile, else
 * node_modules, else package.json resolved against the registry), a lockfile, a local tarball,
 * or a registry spec such as `left-pad@1.3.0` (the package and the tree it would install).
 */
export async function resolveTarget(target: string, options: ResolveOptions): Promise<ResolvedTarget> {
  const path = resolve(target)
  if (existsSync(path)) {
    const stat = statSync(path)
    if (stat.isDirectory()) return resolveDirectory(path, options)
    if (TARBALL.test(path)) return { kind: 'tarball', target: path, packages: [tarballRef(path)], warnings: [] }
    if (basename(path) === 'package.json') return resolveDirectory(dirname(path), options)
    if (isOtherLockfile(path)) return resolveOtherLockfile(path, options)
    if (path.endsWith('.json')) return resolveLockfile(path, options)
    throw new UsageError(`${target}: not a project directory, lockfile, package.json or .tgz file`)
  }
  if (looksLikePath(target)) throw new UsageError(`${target}: no such file or directory`)
  return resolveRegistrySpec(target, options)
}

/**
 * The project root that a directory or package.json target lists first (its own files), known
 * before anything is resolved; undefined for other targets.
 */
export function projectRootRef(target: string): PackageRef | undefined {
  const path = resolve(target)
  try {
    if (statSync(path).isDirectory()) return rootRef(path)
  } catch {
    return undefined
  }
  return basename(path) === 'package.json' ? rootRef(dirname(path)) : undefined
}

function looksLikePath(target: string): boolean {
  return target.startsWith('.') || target.startsWith('/') || target.includes('\\') || TARBALL.test(target) || target.endsWith('.json') || isOtherLockfile(target)
}

/** The lockfiles of a project directory, in the order they are preferred: npm's, then yarn, pnpm and bun. */
export function findLockfiles(dir: string): string[] {
  return [...LOCKFILE_NAMES, ...OTHER_LOCKFILE_NAMES].map((n) => join(dir, n)).filter((p) => existsSync(p))
}

async function resolveDirectory(dir: string, options: ResolveOptions): Promise<ResolvedTarget> {
  // The first lockfile found is read, the others named.
  const lockfiles = findLockfiles(dir)
  const lockfile = lockfiles[0]
  const root = rootRef(dir)
  if (options.rootOnly) return { kind: 'package-directory', target: dir, projectDir: dir, packages: [root], warnings: [] }
  if (lockfile) {
    const resolved = isOtherLockfile(lockfile) ? await resolveOtherLockfile(lockfile, options) : await resolveLockfile(lockfile, options)
    const unused = lockfiles.slice(1).map((p) => basename(p))
    const warnings = unused.length > 0 ? [`several lockfiles: ${basename(lockfile)} was read, not ${unused.join(', ')}`, ...resolved.warnings] : resolved.warnings
    return { ...resolved, target: dir, packages: [root, ...resolved.packages], warnings }
  }
  if (existsSync(join(dir, 'node_modules'))) {
    const tree = await loadTree(dir, 'actual', options)
    return { kind: 'node_modules', target: dir, projectDir: dir, packages: [root, ...selected(packagesOfTree(tree, { fromDisk: true }), options)], warnings: [] }
  }
  if (existsSync(join(dir, 'package.json'))) {
    const tree = await loadTree(dir, 'ideal', options)
    return {
      kind: 'package.json',
      target: dir,
      projectDir: dir,
      packages: [root, ...selected(packagesOfTree(tree), options)],
      warnings: ['no lockfile: the tree was resolved against the registry, so it is what `npm install` would install today'],
    }
  }
  return { kind: 'package-directory', target: dir, projectDir: dir, packages: [root], warnings: ['no package.json, lockfile or node_modules: only the files of the directory were scanned'] }
}

/**
 * Arborist only reads `package-lock.json` in a project folder (and arborist 10 no longer reads
 * `npm-shrinkwrap.json`), so any other lockfile is copied into a temporary folder under that name.
 */
async function resolveLockfile(lockfile: string, options: ResolveOptions): Promise<ResolvedTarget> {
  const dir = dirname(lockfile)
  let treeDir = dir
  let temp: string | undefined
  if (basename(lockfile) !== 'package-lock.json') {
    temp = await mkdtemp(join(tmpdir(), 'tarsier-lock-'))
    await copyFile(lockfile, join(temp, 'package-lock.json'))
    if (existsSync(join(dir, 'package.json'))) await copyFile(join(dir, 'package.json'), join(temp, 'package.json'))
    treeDir = temp
  }
  try {
    const tree = await loadTree(treeDir, 'virtual', options)
    const warnings: string[] = []
    if (tree.meta?.originalLockfileVersion === 1) warnings.push('lockfile v1 (npm 6 or older): dependency types come from the lockfile flags only')
    const lineOf = npmLockfileLines(await readFile(lockfile, 'utf8'))
    return { kind: 'lockfile', target: lockfile, projectDir: dir, packages: selected(packagesOfTree(tree, { lineOf }), options), warnings }
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true })
  }
}

/** A `yarn.lock`, `pnpm-lock.yaml` or `bun.lock`, read by Tarsier's own readers (src/resolve/lockfiles). */
async function resolveOtherLockfile(lockfile: string, options: ResolveOptions): Promise<ResolvedTarget> {
  // The YAML and yarn parsers are loaded only for these formats.
  const { readLockfileAt } = await import('./lockfiles/index.ts')
  const { packages, warnings } = await readLockfileAt(lockfile)
  return { kind: 'lockfile', target: lockfile, projectDir: dirname(lockfile), packages: selected(packages, options), warnings }
}

/** A registry spec is scanned as the tree a project depending on it alone would install. */
async function resolveRegistrySpec(spec: string, options: ResolveOptions): Promise<ResolvedTarget> {
  let parsed: npa.Result
  try {
    parsed = npa(spec)
  } catch (error) {
    throw new UsageError(`${spec}: not a path or a package spec (${(error as Error).message})`)
  }
  if (!parsed.name || !['version', 'range', 'tag', 'alias'].includes(parsed.type)) {
    throw new UsageError(`${spec}: only registry specs (name, name@version, name@range, name@tag) can be scanned by name`)
  }
  const temp = await mkdtemp(join(tmpdir(), 'tarsier-spec-'))
  try {
    await writeFile(join(temp, 'package.json'), JSON.stringify({ name: 'tarsier-scan-root', version: '0.0.0', dependencies: { [parsed.name]: parsed.rawSpec || '*' } }))
    let tree
    try {
      tree = await loadTree(temp, 'ideal', options)
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'E404' || code === 'ETARGET') throw new UsageError(`${spec}: no such package or version in the registry (${code})`)
      throw error
    }
    return { kind: 'registry-spec', target: spec, packages: selected(packagesOfTree(tree), options), warnings: [] }
  } finally {
    await rm(temp, { recursive: true, force: true })
  }
}

function selected(refs: PackageRef[], options: ResolveOptions): PackageRef[] {
  return refs.filter((r) => !(options.omit.has('dev') && r.dev) && !(options.omit.has('optional') && r.optional))
}

function rootRef(dir: string): PackageRef {
  return { name: basename(dir), version: '', spec: dir, source: 'root', location: '', dev: false, optional: false, directory: dir }
}

function tarballRef(path: string): PackageRef {
  const name = basename(path).replace(TARBALL, '')
  return { name, version: '', spec: path, source: 'file', location: '', dev: false, optional: false, tarballPath: path }
}
