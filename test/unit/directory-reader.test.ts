import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readDirectory } from '../../src/fetch/directory-reader.ts'
import { HEAD_BYTES } from '../../src/fetch/kept-content.ts'
import { DEFAULT_LIMITS } from '../../src/fetch/limits.ts'

let root: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tarsier-dir-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function put(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), content)
  }
}

describe('readDirectory', () => {
  it('keeps source files whole and only the head of other large files', async () => {
    const big = HEAD_BYTES + 4096
    await put({ 'lib/addon.node': 'B'.repeat(big), 'dist/bundle.js': 'x'.repeat(big) })
    const contents = await readDirectory(root)
    const addon = contents.files.get('lib/addon.node')!
    expect(addon).toMatchObject({ size: big, partial: true })
    expect(addon.content).toEqual(Buffer.from('B'.repeat(HEAD_BYTES)))
    expect(contents.files.get('dist/bundle.js')).toEqual({ path: 'dist/bundle.js', size: big, content: Buffer.from('x'.repeat(big)) })
  })

  it('reads files with slash paths relative to the root', async () => {
    await put({ 'package.json': '{"name":"p"}', 'index.js': 'x', 'lib/a/b.js': 'deep' })
    const contents = await readDirectory(root)
    expect([...contents.files.keys()].sort()).toEqual(['index.js', 'lib/a/b.js', 'package.json'])
    expect(contents.files.get('lib/a/b.js')).toEqual({ path: 'lib/a/b.js', size: 4, content: Buffer.from('deep') })
    expect(contents.anomalies).toEqual([])
    expect(contents.unpackedBytes).toBe('{"name":"p"}'.length + 1 + 4)
  })

  it('skips node_modules and VCS folders at any depth', async () => {
    await put({
      'index.js': 'x',
      'node_modules/dep/index.js': 'dep',
      '.git/config': '[core]',
      '.hg/store': 'x',
      '.svn/entries': 'x',
      'packages/a/node_modules/b/index.js': 'b',
      'packages/a/index.js': 'a',
    })
    const contents = await readDirectory(root)
    expect([...contents.files.keys()].sort()).toEqual(['index.js', 'packages/a/index.js'])
  })

  it('reads the git hooks of a project when asked, and nothing else under .git', async () => {
    await put({
      'index.js': 'x',
      '.git/config': '[core]',
      '.git/HEAD': 'ref: refs/heads/main',
      '.git/hooks/post-checkout': '#!/bin/sh\nnode tools/x.js\n',
      '.git/hooks/pre-commit.sample': '#!/bin/sh\n',
      '.git/hooks/nested/deeper': 'x',
      '.git/objects/ab/cdef': 'blob',
      'packages/a/.git/hooks/pre-push': 'nested repository: not the project',
    })
    const contents = await readDirectory(root, DEFAULT_LIMITS, { gitHooks: true })
    expect([...contents.files.keys()].sort()).toEqual(['.git/hooks/post-checkout', 'index.js'])
    expect(contents.anomalies).toEqual([])
    // dependencies and other directories: no hooks
    expect([...(await readDirectory(root)).files.keys()]).toEqual(['index.js'])
  })

  it('reads a project without .git, or with a .git file (worktree), without complaint', async () => {
    await put({ 'index.js': 'x' })
    expect((await readDirectory(root, DEFAULT_LIMITS, { gitHooks: true })).anomalies).toEqual([])
    await put({ '.git': 'gitdir: /elsewhere/.git/worktrees/x' })
    const contents = await readDirectory(root, DEFAULT_LIMITS, { gitHooks: true })
    expect([...contents.files.keys()].filter((p) => p.startsWith('.git/'))).toEqual([])
    expect(contents.anomalies).toEqual([])
  })

  it('reports symbolic links without following them', async () => {
    await put({ 'index.js': 'x', 'real/secret.js': 'inside' })
    await symlink('/etc', join(root, 'etc-link'))
    await symlink(join(root, 'real'), join(root, 'dir-link'))
    await symlink('index.js', join(root, 'file-link.js'))
    const contents = await readDirectory(root)
    expect([...contents.files.keys()].sort()).toEqual(['index.js', 'real/secret.js'])
    expect(contents.anomalies.map((a) => [a.kind, a.path])).toEqual([
      ['symlink', 'dir-link'],
      ['symlink', 'etc-link'],
      ['symlink', 'file-link.js'],
    ])
    expect(contents.anomalies[1]!.detail).toContain('/etc')
  })

  it('lists a file above maxFileBytes without reading it', async () => {
    await put({ 'big.js': 'x'.repeat(100), 'small.js': 'y' })
    const contents = await readDirectory(root, { ...DEFAULT_LIMITS, maxFileBytes: 10 })
    expect(contents.files.get('big.js')).toEqual({ path: 'big.js', size: 100 })
    expect(contents.files.get('small.js')?.content?.toString()).toBe('y')
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'file-too-large', path: 'big.js' })])
  })

  it('stops at maxFiles', async () => {
    await put(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.js`, `${i}`])))
    const contents = await readDirectory(root, { ...DEFAULT_LIMITS, maxFiles: 2 })
    expect(contents.files.size).toBe(2)
    expect(contents.anomalies.map((a) => a.kind)).toEqual(['too-many-files'])
  })

  it('stops at maxUnpackedBytes', async () => {
    await put({ 'a.js': 'x'.repeat(60), 'b.js': 'y'.repeat(60) })
    const contents = await readDirectory(root, { ...DEFAULT_LIMITS, maxUnpackedBytes: 100 })
    expect([...contents.files.keys()]).toEqual(['a.js'])
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'too-large', path: 'b.js' })])
  })

  it('does not descend below maxPathDepth', async () => {
    await put({ 'a/b/c/d/e.js': 'deep', 'a/ok.js': 'ok' })
    const contents = await readDirectory(root, { ...DEFAULT_LIMITS, maxPathDepth: 2 })
    expect([...contents.files.keys()]).toEqual(['a/ok.js'])
    expect(contents.anomalies).toEqual([expect.objectContaining({ kind: 'too-large', path: 'a/b/c' })])
  })

  it('reports a directory that cannot be read instead of throwing', async () => {
    const contents = await readDirectory(join(root, 'missing'))
    expect(contents.files.size).toBe(0)
    expect(contents.anomalies.map((a) => a.kind)).toEqual(['corrupt'])
  })
})
