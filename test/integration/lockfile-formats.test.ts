import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readLockfileAt } from '../../src/resolve/lockfiles/index.ts'
import { loadTree, packagesOfTree } from '../../src/resolve/npm-tree.ts'
import { resolveTarget } from '../../src/resolve/resolve-target.ts'
import type { PackageRef } from '../../src/types.ts'
import { createSandbox, describeRun, findingsOf, packageNamed, registryUrl, scanJson, type Sandbox } from '../helpers/cli.ts'
import { prepareProject } from '../helpers/fixtures.ts'
import { CONFIG_DEPENDENCY, generateLockfileWith, PACKAGE_MANAGERS } from '../helpers/package-managers.ts'

// Each lockfile format is written at test time by the real package manager (pinned devDependencies)
// against the test registry, then read by Tarsier and compared with what npm resolves for the same
// project: the same name@version set with the same dev and optional flags.

const STEALER = 'tarsier-fixture-env-stealer'

interface Flags {
  dev: boolean
  optional: boolean
}

/**
 * name@version → flags of a package set. A package installed at several places counts as dev
 * (optional) only when every copy is: what a `--omit` install keeps is the same however the
 * manager lays the copies out.
 */
function identities(refs: readonly PackageRef[]): Map<string, Flags> {
  const out = new Map<string, Flags>()
  for (const ref of refs) {
    const id = `${ref.name}@${ref.version}`
    const seen = out.get(id)
    out.set(id, seen ? { dev: seen.dev && ref.dev, optional: seen.optional && ref.optional } : { dev: ref.dev, optional: ref.optional })
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)))
}

const registryRefs = (refs: readonly PackageRef[]): PackageRef[] => refs.filter((r) => r.source === 'registry')

let sandbox: Sandbox
/** What npm resolves for fixtures/projects/workspace-app, from its own lockfile, read by arborist. */
let npmView: Map<string, Flags>
let npmIntegrity: Map<string, string>

beforeAll(async () => {
  sandbox = await createSandbox()
  const npmProject = await prepareProject('workspace-app', sandbox.work, { registry: registryUrl(), resolved: true })
  const npmRefs = packagesOfTree(await loadTree(npmProject, 'virtual', { npmOptions: { registry: registryUrl() } }))
  npmView = identities(registryRefs(npmRefs))
  npmIntegrity = new Map(npmRefs.map((r) => [`${r.name}@${r.version}`, r.integrity ?? '']))
})
afterAll(() => sandbox?.dispose())

describe.each(PACKAGE_MANAGERS)('a lockfile written by %s', (manager) => {
  let workspaceDir: string
  let workspaceLock: string
  let stealerLock: string

  beforeAll(async () => {
    workspaceDir = await prepareProject('workspace-app', sandbox.work)
    workspaceLock = await generateLockfileWith(manager, workspaceDir, registryUrl())
    stealerLock = await generateLockfileWith(manager, await prepareProject('stealer-app', sandbox.work), registryUrl())
  })

  it('resolves the registry packages npm resolves for the same project, with the same dev and optional flags', async () => {
    const { packages, warnings } = await readLockfileAt(workspaceLock)
    expect(warnings).toEqual([])
    expect(npmView.get(`${STEALER}@1.0.0`)).toEqual({ dev: false, optional: true }) // the oracle itself
    expect(npmView.get('tarsier-fixture-curl-installer@1.0.0')).toEqual({ dev: true, optional: false })
    expect(identities(registryRefs(packages))).toEqual(npmView)
    if (manager === 'pnpm-11-env') {
      // The config dependency is in the env document only; it is also a production dependency here.
      expect(npmView.get(`${CONFIG_DEPENDENCY.name}@${CONFIG_DEPENDENCY.version}`)).toEqual({ dev: false, optional: false })
      const text = await readFile(workspaceLock, 'utf8')
      expect(text.match(/^---$/gm)).toHaveLength(2)
    }
    for (const ref of registryRefs(packages)) {
      // Berry's checksum hashes yarn's zip archive, not the npm tarball: it is not an integrity.
      if (manager === 'yarn-berry') expect(ref.integrity).toBeUndefined()
      else expect(ref.integrity, `${ref.name}@${ref.version}`).toBe(npmIntegrity.get(`${ref.name}@${ref.version}`))
      expect(ref.spec).toBe(`${ref.name}@${ref.version}`)
    }
  })

  it('has the workspace members, the file: directory, the lockfile line and the path of each package', async () => {
    const text = (await readFile(workspaceLock, 'utf8')).split('\n')
    const { packages } = await readLockfileAt(workspaceLock)
    const members = packages.filter((p) => p.source === 'link')
    expect(members.map((m) => [m.name, m.version, m.location, m.directory, m.dev, m.optional]).sort()).toEqual([
      ['member-a', '1.0.0', 'packages/member-a', join(workspaceDir, 'packages/member-a'), false, false],
      ['member-b', '1.0.0', 'packages/member-b', join(workspaceDir, 'packages/member-b'), false, false],
    ])
    const local = packages.filter((p) => p.source === 'directory')
    expect(local).toHaveLength(1)
    expect(local[0]).toMatchObject({ name: 'local-helper', version: '1.0.0', directory: join(workspaceDir, 'local-helper'), dev: false, optional: false, path: ['local-helper'] })
    for (const ref of registryRefs(packages)) {
      expect(ref.lockfileLine, `${ref.name}@${ref.version} has a line`).toBeGreaterThan(0)
      expect(text[ref.lockfileLine! - 1], `line ${ref.lockfileLine} of ${manager}'s lockfile names ${ref.name}`).toContain(ref.name)
      expect(ref.path?.at(-1)).toBe(ref.name)
    }
    const stealer = packages.find((p) => p.name === STEALER)
    expect(stealer?.path).toEqual(['tarsier-fixture-toolkit', STEALER])
    expect(new Set(packages.map((p) => p.location)).size).toBe(packages.length)
  })

  it('scanning the lockfile exits 1 and finds the env stealer, with every package scanned', async () => {
    const { packages } = await readLockfileAt(stealerLock)
    const run = await scanJson(stealerLock, [], { sandbox })
    expect(run.code, describeRun(run)).toBe(1)
    const { report } = run
    expect(report).toMatchObject({ targetKind: 'lockfile', target: stealerLock, incomplete: false })
    expect(identities(report.packages.map((p) => ({ ...p, spec: '' })))).toEqual(identities(packages))
    for (const pkg of report.packages) expect(pkg.status, `${pkg.name}@${pkg.version}: ${pkg.error ?? ''}`).toBe('scanned')
    const stealer = packageNamed(report, STEALER, '1.0.0')
    expect(stealer.verdict).toBe('malicious')
    expect(findingsOf(stealer, 'env-exfiltration')).toHaveLength(1)
    expect(report.summary.malicious).toBe(1)
  })

  it('scanning the project directory with --omit dev,optional leaves out the dev and optional packages only', async () => {
    const run = await scanJson(workspaceDir, ['--omit', 'dev,optional'], { sandbox })
    expect([0, 1], describeRun(run)).toContain(run.code)
    expect(run.report.packages.filter((p) => p.source === 'root')).toHaveLength(1)
    const names = run.report.packages.filter((p) => p.source !== 'root').map((p) => `${p.name}@${p.version}`).sort()
    const expected = [...npmView].filter(([, f]) => !f.dev && !f.optional).map(([id]) => id)
    expect(new Set(names)).toEqual(new Set(['member-a@1.0.0', 'member-b@1.0.0', 'local-helper@1.0.0', ...expected]))
    expect(names).not.toContain(`${STEALER}@1.0.0`)
    expect(names).not.toContain('tarsier-fixture-curl-installer@1.0.0')
    for (const pkg of run.report.packages) expect(pkg.status, `${pkg.name}: ${pkg.error ?? ''}`).toBe('scanned')
    expect(findingsOf(packageNamed(run.report, 'local-helper'), 'non-registry-dependency')).toHaveLength(1)
  })
})

describe('a project directory with several lockfiles', () => {
  it("reads npm's and names the others in a warning", async () => {
    const dir = await prepareProject('stealer-app', sandbox.work, { registry: registryUrl(), resolved: true })
    await generateLockfileWith('pnpm-11', dir, registryUrl())
    const resolved = await resolveTarget(dir, { npmOptions: { registry: registryUrl() }, omit: new Set() })
    expect(resolved.kind).toBe('lockfile')
    expect(resolved.warnings).toContain('several lockfiles: package-lock.json was read, not pnpm-lock.yaml')
    expect(resolved.packages.filter((p) => p.source === 'registry').every((p) => p.location.startsWith('node_modules/'))).toBe(true)
  })
})
