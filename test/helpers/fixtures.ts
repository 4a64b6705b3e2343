import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expectSuccess, runNpm } from './process.ts'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures')
export const PACKAGES_DIR = join(FIXTURES_DIR, 'packages')
export const PROJECTS_DIR = join(FIXTURES_DIR, 'projects')
export const TARSIER_BIN = join(REPO_ROOT, 'bin', 'tarsier.js')

/** Directory of a fixture package (the directory name, which for version 1 is the package name). */
export function packageDir(dirName: string): string {
  return join(PACKAGES_DIR, dirName)
}

export interface FixturePackage {
  dir: string
  name: string
  version: string
}

/** Every publishable fixture package: each directory of fixtures/packages with a package.json (not private). */
export async function listFixturePackages(): Promise<FixturePackage[]> {
  const out: FixturePackage[] = []
  for (const entry of await readdir(PACKAGES_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const dir = join(PACKAGES_DIR, entry.name)
    let manifest: { name?: unknown; version?: unknown; private?: unknown }
    try {
      manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as typeof manifest
    } catch {
      continue // no package.json: not a package
    }
    if (manifest.private === true) continue // npm refuses to publish it
    if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') throw new Error(`${dir}/package.json: name and version are required`)
    out.push({ dir, name: manifest.name, version: manifest.version })
  }
  return out.sort((a, b) => a.dir.localeCompare(b.dir))
}

/** A temp directory, removed by `dispose`. */
export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `tarsier-test-${prefix}-`))
}

export interface LockfileOptions {
  registry: string
  /** Write `resolved` URLs (npm's default) or leave them out (`--omit-lockfile-registry-resolved`). */
  resolved: boolean
}

/**
 * Copies fixtures/projects/<name> into a new directory under `parent` and generates its lockfile against the
 * test registry with `npm install --package-lock-only --ignore-scripts`: only package-lock.json
 * is written, nothing is installed and no script runs. Without `lockfile`, only the copy is made.
 */
export async function prepareProject(name: string, parent: string, lockfile?: LockfileOptions): Promise<string> {
  const dir = await mkdtemp(join(parent, `${name}-`))
  await cp(join(PROJECTS_DIR, name), dir, { recursive: true })
  if (lockfile) await generateLockfile(dir, lockfile)
  return dir
}

/** `npm install --package-lock-only --ignore-scripts` in `dir`: writes package-lock.json only. */
export async function generateLockfile(dir: string, options: LockfileOptions): Promise<void> {
  const home = join(await tempDir('npm-home'), 'home')
  try {
    const result = await runNpm(
      [
        'install',
        '--package-lock-only',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `--registry=${options.registry}`,
        `--omit-lockfile-registry-resolved=${options.resolved ? 'false' : 'true'}`,
      ],
      { cwd: dir, home },
    )
    expectSuccess(result, `npm install --package-lock-only in ${dir}`)
  } finally {
    await rm(dirname(home), { recursive: true, force: true })
  }
}

export interface LockfileEntry {
  version?: string
  resolved?: string
  integrity?: string
  dev?: boolean
  optional?: boolean
  [key: string]: unknown
}

export interface Lockfile {
  lockfileVersion: number
  packages: Record<string, LockfileEntry>
  [key: string]: unknown
}

export async function readLockfile(projectDir: string): Promise<Lockfile> {
  return JSON.parse(await readFile(join(projectDir, 'package-lock.json'), 'utf8')) as Lockfile
}

export async function writeLockfile(projectDir: string, lockfile: Lockfile): Promise<void> {
  await writeFile(join(projectDir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`)
}

/** `npm pack --ignore-scripts` of a fixture package into `destination`; returns the .tgz path. */
export async function packFixture(dirName: string, destination: string): Promise<string> {
  const home = join(await tempDir('npm-home'), 'home')
  try {
    const result = expectSuccess(
      await runNpm(['pack', packageDir(dirName), '--ignore-scripts', '--json', `--pack-destination=${destination}`], { cwd: destination, home }),
      `npm pack ${dirName}`,
    )
    const [info] = JSON.parse(result.stdout) as Array<{ filename: string }>
    if (!info) throw new Error(`npm pack ${dirName}: no output`)
    return join(destination, info.filename)
  } finally {
    await rm(dirname(home), { recursive: true, force: true })
  }
}

/**
 * Lays out `<projectDir>/node_modules/<name>/` by copying fixture package directories (copying
 * files, not installing: no script runs, no bin is linked). `layout` maps a node_modules path
 * (`tarsier-fixture-greeter/node_modules/tarsier-fixture-util`) to a fixture directory name.
 */
export async function copyIntoNodeModules(projectDir: string, layout: Record<string, string>): Promise<void> {
  for (const [path, dirName] of Object.entries(layout)) {
    const target = join(projectDir, 'node_modules', ...path.split('/'))
    await mkdir(dirname(target), { recursive: true })
    await cp(packageDir(dirName), target, { recursive: true })
  }
}

/** sha512 SRI of arbitrary bytes: a valid integrity that no fixture tarball has. */
export function sha512Integrity(data: string): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`
}

export interface TreeEntry {
  path: string
  type: 'file' | 'dir' | 'other'
  size: number
  mtimeMs: number
  /** sha256 of the content, for files. */
  hash?: string
}

/** Every entry below `root` with its size, mtime and content hash, to compare before and after. */
export async function snapshotTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = []
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    for (const entry of entries) {
      const full = join(dir, entry.name)
      const info = await stat(full)
      const path = relative(root, full)
      if (entry.isDirectory()) {
        out.push({ path, type: 'dir', size: 0, mtimeMs: info.mtimeMs })
        await walk(full)
      } else if (entry.isFile()) {
        out.push({ path, type: 'file', size: info.size, mtimeMs: info.mtimeMs, hash: createHash('sha256').update(await readFile(full)).digest('hex') })
      } else {
        out.push({ path, type: 'other', size: info.size, mtimeMs: info.mtimeMs })
      }
    }
  }
  await walk(root)
  return out.sort((a, b) => a.path.localeCompare(b.path))
}

/** Names of the entries of a directory (empty when it does not exist). */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
