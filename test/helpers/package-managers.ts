/**
 * Runs the real package managers (the pinned devDependencies yarn@1, @yarnpkg/cli-dist@4, pnpm 8
 * and 11 under aliases, bun) to write the lockfile of a fixture project against the test registry.
 * Nothing is installed globally and no lifecycle script of a fixture package runs
 * (`--ignore-scripts`, `enableScripts: false`); yarn 1 has no lockfile-only mode, so it also copies the packages into
 * the project's node_modules, which is a temp copy. Used by the integration tests and by
 * scripts/generate-lockfile-fixtures.ts.
 */
import { mkdir, rm, writeFile, appendFile } from 'node:fs/promises'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { REPO_ROOT, tempDir } from './fixtures.ts'
import { expectSuccess, isolatedEnv, run, type RunResult } from './process.ts'

export const PACKAGE_MANAGERS = ['yarn-v1', 'yarn-berry', 'pnpm-8', 'pnpm-11', 'pnpm-11-env', 'bun'] as const
export type PackageManager = (typeof PACKAGE_MANAGERS)[number]

/** The lockfile each one writes. */
export const LOCKFILE_OF: Record<PackageManager, string> = {
  'yarn-v1': 'yarn.lock',
  'yarn-berry': 'yarn.lock',
  'pnpm-8': 'pnpm-lock.yaml',
  'pnpm-11': 'pnpm-lock.yaml',
  'pnpm-11-env': 'pnpm-lock.yaml',
  bun: 'bun.lock',
}

/** A package of the test registry that `pnpm-11-env` declares as a pnpm config dependency (the env document). */
export const CONFIG_DEPENDENCY = { name: 'tarsier-fixture-util', version: '1.0.0' }

/** The installed devDependency `name` (a package's own `exports` may hide its package.json). */
function packageDir(name: string): string {
  const dir = join(REPO_ROOT, 'node_modules', name)
  if (!existsSync(join(dir, 'package.json'))) throw new Error(`${name} is not installed: run npm ci (it is a devDependency)`)
  return dir
}

/**
 * bun's npm package ships a placeholder `bin/bun.exe` that its postinstall script replaces with
 * the binary of the platform package (`@oven/bun-<os>-<arch>`), moving it out of there. npm 11
 * runs that script on `npm ci` (it only warns that `allowScripts` does not list it); with
 * `--ignore-scripts` the binary stays in the platform package. Either place is taken.
 */
export function bunBinary(): string {
  const arch = process.arch === 'arm64' ? 'aarch64' : process.arch
  const exe = process.platform === 'win32' ? 'bun.exe' : 'bun'
  const platformPackages = [`@oven/bun-${process.platform}-${arch}`, `@oven/bun-${process.platform}-${arch}-baseline`, `@oven/bun-${process.platform}-${arch}-musl`]
  const candidates = [
    join(packageDir('bun'), 'bin', 'bun.exe'),
    ...platformPackages.flatMap((name) => [join(REPO_ROOT, 'node_modules', name, 'bin', exe), join(packageDir('bun'), 'node_modules', name, 'bin', exe)]),
  ]
  // The placeholder is a small script; the binary is tens of megabytes.
  const binary = candidates.find((path) => existsSync(path) && statSync(path).size > 1_000_000)
  if (!binary) throw new Error(`no bun binary for ${process.platform}-${process.arch} (looked at ${candidates.join(', ')})`)
  return binary
}

/** Command and arguments of one package manager run, writing the lockfile of the project in the working directory. */
function command(manager: PackageManager, registry: string, cache: string): { file: string; args: string[] } {
  const node = process.execPath
  switch (manager) {
    case 'yarn-v1':
      return { file: node, args: [join(packageDir('yarn'), 'bin', 'yarn.js'), 'install', '--ignore-scripts', '--non-interactive', '--no-progress', '--no-bin-links', '--registry', registry, '--cache-folder', cache] }
    case 'yarn-berry':
      return { file: node, args: [join(packageDir('@yarnpkg/cli-dist'), 'bin', 'yarn.js'), 'install', '--mode=update-lockfile'] }
    case 'pnpm-8':
      return { file: node, args: [join(packageDir('pnpm8'), 'bin', 'pnpm.cjs'), 'install', '--lockfile-only', '--ignore-scripts', `--registry=${registry}`, `--store-dir=${cache}`, '--config.update-notifier=false'] }
    case 'pnpm-11':
    case 'pnpm-11-env':
      return { file: node, args: [join(packageDir('pnpm11'), 'bin', 'pnpm.mjs'), 'install', '--lockfile-only', '--ignore-scripts', `--registry=${registry}`, `--store-dir=${cache}`, '--config.minimum-release-age=0', '--config.update-notifier=false'] }
    case 'bun':
      return { file: bunBinary(), args: ['install', '--lockfile-only', '--ignore-scripts', `--registry=${registry}`, `--cache-dir=${cache}`] }
  }
}

/** Settings files a manager reads from the project: Berry's registry and safety settings, pnpm's config dependency. */
async function configure(manager: PackageManager, projectDir: string, registry: string, cache: string): Promise<void> {
  if (manager === 'yarn-berry') {
    await writeFile(
      join(projectDir, '.yarnrc.yml'),
      [
        `npmRegistryServer: ${JSON.stringify(registry)}`,
        'unsafeHttpWhitelist:',
        '  - "127.0.0.1"',
        'enableScripts: false',
        'enableTelemetry: false',
        'enableGlobalCache: false',
        `cacheFolder: ${JSON.stringify(cache)}`,
        'nodeLinker: node-modules',
        // The fixture packages were published a moment ago: Yarn quarantines new versions by default.
        'npmMinimalAgeGate: 0',
        '',
      ].join('\n'),
    )
  }
  if (manager === 'pnpm-11-env') {
    await appendFile(join(projectDir, 'pnpm-workspace.yaml'), `configDependencies:\n  ${CONFIG_DEPENDENCY.name}: ${CONFIG_DEPENDENCY.version}\n`)
  }
}

/** Writes `projectDir`'s lockfile with `manager` against `registry`; returns the lockfile path. */
export async function generateLockfileWith(manager: PackageManager, projectDir: string, registry: string): Promise<string> {
  const home = await tempDir(`${manager}-home`)
  try {
    const cache = join(home, 'cache')
    await mkdir(cache, { recursive: true })
    await configure(manager, projectDir, registry, cache)
    const { file, args } = command(manager, registry, cache)
    const env = isolatedEnv(home, {
      npm_config_registry: registry,
      npm_config_update_notifier: 'false',
      YARN_ENABLE_TELEMETRY: '0',
      YARN_IGNORE_PATH: '1',
      COREPACK_ENABLE_STRICT: '0',
      BUN_INSTALL_CACHE_DIR: cache,
      DO_NOT_TRACK: '1',
    })
    const result: RunResult = await run(file, args, { cwd: projectDir, env, timeoutMs: 110_000 })
    expectSuccess(result, `${manager} (${[file, ...args].join(' ')}) in ${projectDir}`)
    return join(projectDir, LOCKFILE_OF[manager])
  } finally {
    await rm(home, { recursive: true, force: true })
  }
}
