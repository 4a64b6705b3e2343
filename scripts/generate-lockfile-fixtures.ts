/**
 * Writes the lockfiles of the fixture projects with the real package managers (yarn 1, yarn 4,
 * pnpm 8 and 11, pnpm 11 with a config dependency for the two-document form, bun), against a
 * local Verdaccio holding the fixture packages, and prints where they are. The integration tests
 * (test/integration/lockfile-formats.test.ts) generate the same lockfiles at test time through
 * the same code; this script is for looking at them.
 *
 *   node scripts/generate-lockfile-fixtures.ts [--out DIR] [--registry URL] [project…]
 *
 * Without --registry a Verdaccio is started (and stopped at the end) as the tests start it, so the
 * `resolved` URLs in the lockfiles then point at a port that is closed. Projects default to
 * stealer-app and workspace-app (fixtures/projects).
 */
import { cp, mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { PROJECTS_DIR } from '../test/helpers/fixtures.ts'
import { generateLockfileWith, PACKAGE_MANAGERS } from '../test/helpers/package-managers.ts'
import { startTestRegistry, type TestRegistry } from '../test/helpers/registry-setup.ts'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, registry: { type: 'string' } } })
const projects = positionals.length > 0 ? positionals : ['stealer-app', 'workspace-app']
const out = values.out ? resolve(values.out) : await mkdtemp(join(tmpdir(), 'tarsier-lockfiles-'))

let registry: TestRegistry | undefined
const registryUrl = values.registry ?? (registry = await startTestRegistry()).registryUrl
try {
  for (const project of projects) {
    for (const manager of PACKAGE_MANAGERS) {
      const dir = join(out, project, manager)
      await mkdir(dir, { recursive: true })
      await cp(join(PROJECTS_DIR, project), dir, { recursive: true })
      const lockfile = await generateLockfileWith(manager, dir, registryUrl)
      console.log(`${project} ${manager}: ${lockfile}`)
    }
  }
} finally {
  await registry?.stop()
}
