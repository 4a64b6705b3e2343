import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Sandbox } from './cli.ts'
import { generateLockfile, prepareProject } from './fixtures.ts'
import { expectSuccess, isolatedEnv, run } from './process.ts'

/** Runs git in `repo` with a fixed identity, no signing, and HOME in the sandbox. Returns trimmed stdout. */
export async function gitIn(repo: string, home: string, args: readonly string[]): Promise<string> {
  const result = await run('git', ['-c', 'user.name=Tarsier Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, env: isolatedEnv(home) })
  return expectSuccess(result, `git ${args.join(' ')}`).stdout.trim()
}

export interface BaseAndHead {
  repo: string
  base: string
  head: string
  git(args: readonly string[]): Promise<string>
}

export interface BaseAndHeadOptions {
  /** Test registry URL the lockfiles resolve against. */
  registry: string
  /** Project fixture (fixtures/projects/<name>) of the base commit. */
  project: string
  /** Dependencies the head adds to package.json (its lockfile is regenerated). */
  addDependencies: Record<string, string>
  /** Files written before the base commit, relative to the repository. */
  baseFiles?: Record<string, string>
  /** Files written before the head commit. */
  headFiles?: Record<string, string>
}

/**
 * A git repository (branch main) with two commits, as a pull request has them: the base, a
 * project with its lockfile; the head, the same project with dependencies added and the lockfile
 * regenerated against the test registry (npm, --package-lock-only, no scripts).
 */
export async function baseAndHeadRepo(sandbox: Sandbox, options: BaseAndHeadOptions): Promise<BaseAndHead> {
  const repo = await prepareProject(options.project, sandbox.work, { registry: options.registry, resolved: true })
  const git = (args: readonly string[]) => gitIn(repo, sandbox.home, args)
  for (const [path, text] of Object.entries(options.baseFiles ?? {})) await writeFile(join(repo, path), text)
  await git(['init', '-q', '-b', 'main'])
  await git(['add', '-A'])
  await git(['commit', '-q', '-m', 'base'])
  const base = await git(['rev-parse', 'HEAD'])
  const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  manifest.dependencies = { ...manifest.dependencies, ...options.addDependencies }
  await writeFile(join(repo, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  await generateLockfile(repo, { registry: options.registry, resolved: true })
  for (const [path, text] of Object.entries(options.headFiles ?? {})) await writeFile(join(repo, path), text)
  await git(['add', '-A'])
  await git(['commit', '-q', '-m', 'head: add dependencies'])
  const head = await git(['rev-parse', 'HEAD'])
  return { repo, base, head, git }
}
