import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { applyConfig } from './config/apply-config.ts'
import { configForDiff } from './config/find-config.ts'
import { readBaseFiles, readFileAtRef } from './resolve/git-base.ts'
import { diffLockfiles } from './resolve/lockfile-diff.ts'
import { findLockfiles, UsageError } from './resolve/resolve-target.ts'
import { buildReport, judgeTree, resolveScanTarget, scanRefs, type ScanOptions } from './scan.ts'
import type { PackageRef, ScanReport } from './types.ts'

const LOCKFILE_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'])

export interface DiffOptions extends Omit<ScanOptions, 'target' | 'rootOnly'> {
  /** Project directory or lockfile of the head (default: the working directory). */
  path: string
  /** Git ref of the base: its lockfile is read from git's object store, never checked out. */
  base?: string
  /** Or the base lockfile as a file. */
  baseLockfile?: string
}

/**
 * Scans only what a change to the lockfile brings in: packages added, versions changed, and
 * versions whose integrity or download location changed. Every change is listed in the report;
 * removed packages are listed and not scanned.
 */
export async function diffScan(options: DiffOptions): Promise<ScanReport> {
  const started = Date.now()
  if ((options.base === undefined) === (options.baseLockfile === undefined)) throw new UsageError('give either --base <git-ref> or --base-lockfile <file>')
  options.onProgress?.({ phase: 'resolve' })
  const lockfile = headLockfile(options.path)
  const head = await resolveScanTarget(lockfile, options)
  const base = await resolveBase(lockfile, options)
  // Read before anything of the head is fetched: a configuration error stops the diff early.
  const config = options.config ? await configForDiff(options.path, { ...(options.base !== undefined && { ref: options.base }) }, options.config.explicit) : undefined
  const diff = diffLockfiles(base.packages, head.packages)
  const changeOf = new Map(diff.changed.map(({ ref, change }) => [ref, change]))
  const refs = diff.changed.map((c) => c.ref)
  const npmrc = await registrySettingsDir(lockfile, head.projectDir, options.base)
  let packages
  try {
    packages = await scanRefs(refs, { ...options, ...(npmrc.dir && { projectDir: npmrc.dir }) })
    // scanRefs keeps the order of its input.
    packages.forEach((result, i) => {
      result.change = changeOf.get(refs[i]!)!
    })
    judgeTree(packages, { kind: head.kind, ...(npmrc.dir && { projectDir: npmrc.dir }) }, options)
  } finally {
    await npmrc.dispose()
  }
  base.warnings.push(...npmrc.warnings)
  const applied = config?.config ? applyConfig(packages, config.config, { scope: 'diff' }) : undefined
  const report = buildReport(lockfile, head.kind, [...head.warnings, ...base.warnings, ...(config?.warnings ?? []), ...(applied?.warnings ?? [])], packages, started)
  report.diff = { base: base.label, lockfile, changes: diff.changes }
  if (applied) report.config = applied.report
  return report
}

/**
 * Where the project's `.npmrc` is read from. Against a git base it is the base's: a change must
 * not bring its own registry, proxy or TLS settings, nor make its own registry look configured to
 * `lockfile-injection`. Against a base lockfile file, the project's own.
 */
async function registrySettingsDir(lockfile: string, projectDir: string | undefined, baseRef: string | undefined): Promise<{ dir?: string; warnings: string[]; dispose(): Promise<void> }> {
  if (baseRef === undefined) return { ...(projectDir && { dir: projectDir }), warnings: [], dispose: async () => {} }
  const path = join(dirname(lockfile), '.npmrc')
  const atBase = await readFileAtRef(path, baseRef)
  const warnings: string[] = []
  const headText = existsSync(path) ? await readFile(path, 'utf8') : undefined
  if (headText !== atBase?.text) warnings.push(`.npmrc differs from ${baseRef}: the registry settings of ${baseRef} were used, not the change's`)
  const dir = await mkdtemp(join(tmpdir(), 'tarsier-npmrc-'))
  if (atBase?.text !== undefined) await writeFile(join(dir, '.npmrc'), atBase.text)
  return { dir, warnings, dispose: () => rm(dir, { recursive: true, force: true }) }
}

function headLockfile(path: string): string {
  const full = resolve(path)
  if (!existsSync(full)) throw new UsageError(`${path}: no such file or directory`)
  if (!statSync(full).isDirectory()) return full
  const found = findLockfiles(full)[0]
  if (!found) throw new UsageError(`${path}: no lockfile (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, bun.lock) to compare`)
  return found
}

interface ResolvedBase {
  packages: PackageRef[]
  label: string
  warnings: string[]
}

async function resolveBase(lockfile: string, options: DiffOptions): Promise<ResolvedBase> {
  if (options.baseLockfile) {
    const path = resolve(options.baseLockfile)
    if (!existsSync(path)) throw new UsageError(`${options.baseLockfile}: no such file`)
    // A base lockfile of another format than the head's (a migration) is read as what it is.
    const name = LOCKFILE_NAMES.has(basename(path)) ? basename(path) : basename(lockfile)
    return { ...(await resolveLockfileText(await readFile(path, 'utf8'), undefined, name, options)), label: path }
  }
  const files = await readBaseFiles(lockfile, options.base!)
  const label = `${options.base} (${files.commit.slice(0, 12)})`
  if (files.lockfile === undefined) {
    return { packages: [], label, warnings: [`${basename(lockfile)} does not exist at ${options.base}: every package is new`] }
  }
  return { ...(await resolveLockfileText(files.lockfile, files.manifest, basename(lockfile), options)), label }
}

/** Resolves a lockfile given as text, in a temporary folder with the package.json it belongs to. */
async function resolveLockfileText(text: string, manifest: string | undefined, name: string, options: DiffOptions): Promise<Omit<ResolvedBase, 'label'>> {
  const dir = await mkdtemp(join(tmpdir(), 'tarsier-base-'))
  try {
    await writeFile(join(dir, name), text)
    if (manifest !== undefined) await writeFile(join(dir, 'package.json'), manifest)
    const resolved = await resolveScanTarget(join(dir, name), options)
    return { packages: resolved.packages, warnings: resolved.warnings.map((w) => `base: ${w}`) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
