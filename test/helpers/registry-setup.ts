/**
 * Vitest globalSetup of the integration tests: starts a local Verdaccio on 127.0.0.1 (no
 * uplinks: nothing is ever fetched from or published to a public registry), publishes every
 * fixture package with `--ignore-scripts`, and hands the registry URL to the tests
 * (`inject('registryUrl')`). Teardown stops the Verdaccio process it started, by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { listFixturePackages, listDir, tempDir, type FixturePackage } from './fixtures.ts'
import { expectSuccess, isolatedEnv, runNpm } from './process.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test registry, with a trailing slash: `http://127.0.0.1:<port>/`. */
    registryUrl: string
    /** Every fixture package published to it, as `name@version`. */
    publishedPackages: string[]
  }
}

const MIN_NODE_MAJOR = 22 // Verdaccio 6

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const registry = await startTestRegistry()
  project.provide('registryUrl', registry.registryUrl)
  project.provide('publishedPackages', registry.published)
  return registry.stop
}

export interface TestRegistry {
  /** `http://127.0.0.1:<port>/`, with a trailing slash. */
  registryUrl: string
  /** Every fixture package published to it, as `name@version`. */
  published: string[]
  /** Stops Verdaccio and removes its storage. */
  stop(): Promise<void>
}

/**
 * Starts Verdaccio on a free port of 127.0.0.1 with every fixture package published; also used
 * outside Vitest (scripts/generate-lockfile-fixtures.ts).
 */
export async function startTestRegistry(): Promise<TestRegistry> {
  const major = Number(process.versions.node.split('.')[0])
  if (major < MIN_NODE_MAJOR) {
    throw new Error(`the integration tests need Node >= ${MIN_NODE_MAJOR} (Verdaccio 6); this is ${process.version}. Run them with \`npm test\`, which uses the project's node devDependency.`)
  }
  const root = await tempDir('verdaccio')
  const markerDir = join(root, 'markers')
  await mkdir(markerDir)
  let verdaccio: ChildProcess | undefined
  const teardown = async (): Promise<void> => {
    if (verdaccio) await stop(verdaccio)
    verdaccio = undefined
    await rm(root, { recursive: true, force: true })
  }
  try {
    const port = await freePort()
    const registryUrl = `http://127.0.0.1:${port}/`
    const configPath = join(root, 'config.yaml')
    await writeFile(configPath, verdaccioConfig(join(root, 'storage')))
    const logPath = join(root, 'verdaccio.log')
    verdaccio = startVerdaccio(configPath, port, logPath, join(root, 'home'))
    await waitForPing(registryUrl, verdaccio, logPath)

    const published = await publishAll(registryUrl, join(root, 'npm-home'), markerDir)
    // The setup itself must never run a fixture's scripts (npm publish/pack run prepack, publish…).
    const markers = await listDir(markerDir)
    if (markers.length > 0) throw new Error(`publishing the fixtures ran their scripts: ${markers.join(', ')} in ${markerDir}`)
    return { registryUrl, published, stop: teardown }
  } catch (error) {
    await teardown()
    throw error
  }
}

function verdaccioConfig(storage: string): string {
  return [
    `storage: ${JSON.stringify(storage)}`,
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $all',
    '    unpublish: $all',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    'max_body_size: 20mb',
    '',
  ].join('\n')
}

/** A port that was free a moment ago: listen on 0, read it, close. */
function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolvePromise(port) : reject(new Error('no port'))))
    })
  })
}

function startVerdaccio(configPath: string, port: number, logPath: string, home: string): ChildProcess {
  const require = createRequire(import.meta.url)
  const bin = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio')
  const log = createWriteStream(logPath)
  const child = spawn(process.execPath, [bin, '--config', configPath, '--listen', `127.0.0.1:${port}`], {
    env: isolatedEnv(home, { NODE_ENV: 'production' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  return child
}

async function waitForPing(registryUrl: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + 60_000
  let exited = false
  child.once('exit', () => (exited = true))
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Verdaccio exited before answering:\n${await readFile(logPath, 'utf8').catch(() => '')}`)
    try {
      const response = await fetch(new URL('-/ping', registryUrl), { signal: AbortSignal.timeout(2_000) })
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`Verdaccio did not answer ${registryUrl}-/ping within 60 s:\n${await readFile(logPath, 'utf8').catch(() => '')}`)
}

/** SIGTERM the process we started, SIGKILL it if it is still there after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

/**
 * Publishes every fixture package: versions of one name one after another (each publish rewrites
 * the package document), different names in parallel.
 */
async function publishAll(registryUrl: string, npmHomeBase: string, markerDir: string): Promise<string[]> {
  const byName = new Map<string, FixturePackage[]>()
  for (const pkg of await listFixturePackages()) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg])
  const host = new URL(registryUrl).host
  const groups = [...byName.values()].map((versions) => versions.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true })))
  let index = 0
  await Promise.all(
    groups.map(async (versions) => {
      const home = join(npmHomeBase, String(index++))
      for (const pkg of versions) {
        const result = await runNpm(['publish', pkg.dir, '--ignore-scripts', '--tag', 'latest', `--registry=${registryUrl}`, `--//${host}/:_authToken=tarsier-test`], {
          home,
          cwd: home,
          env: { TARSIER_MARKER_DIR: markerDir },
        })
        expectSuccess(result, `npm publish ${pkg.name}@${pkg.version}`)
      }
    }),
  )
  return groups.flat().map((p) => `${p.name}@${p.version}`)
}
