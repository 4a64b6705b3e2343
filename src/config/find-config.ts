import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { readFileAtRef } from '../resolve/git-base.ts'
import { UsageError } from '../resolve/usage-error.ts'
import type { LoadedConfig } from './config.ts'

const CONFIG_FILE_NAME = 'tarsier.config.json'

/**
 * The configuration of `tarsier scan`: `explicit` (which must exist), else `tarsier.config.json`
 * in the project of a directory, lockfile or package.json target. Never a file of a package.
 */
export async function configForScan(target: string, explicit?: string): Promise<LoadedConfig | undefined> {
  const dir = projectDirOf(target)
  if (explicit !== undefined) return readConfigFile(resolve(explicit), true, dir)
  return dir === undefined ? undefined : readConfigFile(join(dir, CONFIG_FILE_NAME), false, dir)
}

/**
 * The configuration of `tarsier diff`. With `--base <ref>`, a file inside the git work tree is read
 * as it is at the base commit, so that a change cannot suppress or switch off what it brings in;
 * the working tree's version is ignored (a warning says so when they differ). A file outside the
 * repository, or any file with `--base-lockfile`, is read from disk.
 */
export async function configForDiff(path: string, base: { ref?: string }, explicit?: string): Promise<{ config?: LoadedConfig; warnings: string[] }> {
  const file = explicit !== undefined ? resolve(explicit) : join(projectDirOf(path) ?? resolve(path), CONFIG_FILE_NAME)
  if (base.ref === undefined) {
    const config = await readConfigFile(file, explicit !== undefined, projectDirOf(path))
    return config ? { config, warnings: [] } : { warnings: [] }
  }
  const atBase = await readFileAtRef(file, base.ref)
  if (atBase === undefined) {
    const config = await readConfigFile(file, explicit !== undefined, projectDirOf(path))
    return config ? { config, warnings: [] } : { warnings: [] }
  }
  const shown = displayPath(file, projectDirOf(path))
  const readFrom = `${base.ref} (${atBase.commit.slice(0, 12)})`
  const onDisk = existsSync(file) ? await readFile(file, 'utf8') : undefined
  const warnings: string[] = []
  if (onDisk !== undefined && onDisk !== atBase.text) {
    warnings.push(`${shown} differs from its version at ${readFrom}: the base's is applied${atBase.text === undefined ? ' (none there), so no configuration is' : ''}, never the change's own`)
  }
  if (atBase.text === undefined) {
    if (explicit !== undefined && onDisk === undefined) throw new UsageError(`${explicit}: no such file, in the working tree or at ${base.ref}`)
    return { warnings }
  }
  return { config: { config: await parse(atBase.text, `${shown} at ${readFrom}`), path: shown, readFrom }, warnings }
}

async function readConfigFile(file: string, required: boolean, projectDir: string | undefined): Promise<LoadedConfig | undefined> {
  if (!existsSync(file)) {
    if (required) throw new UsageError(`${file}: no such configuration file`)
    return undefined
  }
  const shown = displayPath(file, projectDir)
  return { config: await parse(await readFile(file, 'utf8'), shown), path: shown, readFrom: 'working tree' }
}

/** The validator (ajv, the schema) and the rule catalog (every rule) are imported only when a file is there to check. */
async function parse(text: string, label: string) {
  const [{ parseConfig }, { ruleCatalog }] = await Promise.all([import('./config.ts'), import('../report/rule-catalog.ts')])
  return parseConfig(text, label, new Set(ruleCatalog().map((r) => r.id)))
}

/** The project directory of a path target: the directory itself, or the folder of a file in it. */
function projectDirOf(target: string): string | undefined {
  const path = resolve(target)
  if (!existsSync(path)) return undefined
  if (statSync(path).isDirectory()) return path
  return /(?:^|[\\/])(?:package(?:-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock)$/.test(path) ? dirname(path) : undefined
}

/** Relative to the project when the file is in it, else to the working directory, else absolute. */
function displayPath(file: string, projectDir: string | undefined): string {
  for (const dir of [projectDir, process.cwd()]) {
    if (dir === undefined) continue
    const rel = relative(dir, file)
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel
  }
  return file
}
