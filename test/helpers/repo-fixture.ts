import { cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPOS = fileURLToPath(new URL('../../fixtures/repos/', import.meta.url))

/**
 * A temporary copy of a repository fixture (fixtures/repos/<name>), ready to be scanned as a
 * project. Git cannot commit a nested `.git` directory, so a fixture keeps its git hooks in
 * `_git-hooks/`; the copy moves them to `.git/hooks/`, where git (and the scanner) look for them.
 * Nothing in the copy is run.
 */
export async function repoFixture(name: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `tarsier-repo-${name}-`))
  await cp(join(REPOS, name), dir, { recursive: true })
  const hooks = join(dir, '_git-hooks')
  const names = await readdir(hooks).catch(() => undefined)
  if (names) {
    await mkdir(join(dir, '.git', 'hooks'), { recursive: true })
    for (const hook of names) await rename(join(hooks, hook), join(dir, '.git', 'hooks', hook))
    await rm(hooks, { recursive: true })
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export function repoFixtureNames(): Promise<string[]> {
  return readdir(REPOS).then((names) => names.sort())
}
