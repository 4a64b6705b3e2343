import { describe, expect, it } from 'vitest'
import { compareIntegrity } from '../../src/resolve/integrity.ts'
import { diffLockfiles } from '../../src/resolve/lockfile-diff.ts'
import type { PackageRef } from '../../src/types.ts'

function ref(name: string, version: string, overrides: Partial<PackageRef> = {}): PackageRef {
  return {
    name,
    version,
    spec: `${name}@${version}`,
    source: 'registry',
    location: `node_modules/${name}`,
    dev: false,
    optional: false,
    resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
    integrity: `sha512-${name}${version}`,
    ...overrides,
  }
}

const summary = (d: ReturnType<typeof diffLockfiles>) => d.changes.map((c) => `${c.kind} ${c.name}@${c.version}`).sort()

describe('diffLockfiles', () => {
  it('the same packages in other places (a dedupe) are no change', () => {
    const base = [ref('a', '1.0.0'), ref('b', '1.0.0', { location: 'node_modules/a/node_modules/b' })]
    const head = [ref('a', '1.0.0'), ref('b', '1.0.0')]
    expect(diffLockfiles(base, head)).toEqual({ changed: [], changes: [] })
  })

  it('tells added, version-changed and removed apart', () => {
    const base = [ref('a', '1.0.0'), ref('gone', '1.0.0')]
    const head = [ref('a', '1.1.0'), ref('new', '2.0.0')]
    const diff = diffLockfiles(base, head)
    expect(summary(diff)).toEqual(['added new@2.0.0', 'removed gone@1.0.0', 'version-changed a@1.1.0'])
    expect(diff.changes.find((c) => c.name === 'a')?.previousVersions).toEqual(['1.0.0'])
    expect(diff.changed.map((c) => c.ref.name).sort()).toEqual(['a', 'new'])
  })

  it('a second version of a name beside the old one is a version change, and the old one is not removed', () => {
    const diff = diffLockfiles([ref('a', '1.0.0')], [ref('a', '1.0.0'), ref('a', '2.0.0', { location: 'node_modules/x/node_modules/a' })])
    expect(summary(diff)).toEqual(['version-changed a@2.0.0'])
  })

  it('the same version with another hash of the same algorithm: integrity-changed', () => {
    const diff = diffLockfiles([ref('a', '1.0.0')], [ref('a', '1.0.0', { integrity: 'sha512-forged' })])
    expect(diff.changes).toEqual([expect.objectContaining({ kind: 'integrity-changed', previousIntegrity: 'sha512-a1.0.0', integrity: 'sha512-forged' })])
  })

  it('hashes of different algorithms cannot be compared: no claim', () => {
    expect(diffLockfiles([ref('a', '1.0.0', { integrity: 'sha1-old' })], [ref('a', '1.0.0', { integrity: 'sha512-new' })]).changes).toEqual([])
  })

  it('the same version and hash from another host: resolved-host-changed; a missing resolved URL on one side is no claim', () => {
    const moved = diffLockfiles([ref('a', '1.0.0')], [ref('a', '1.0.0', { resolved: 'https://mirror.example.invalid/a/-/a-1.0.0.tgz' })])
    expect(summary(moved)).toEqual(['resolved-host-changed a@1.0.0'])
    const omitted = { resolved: undefined, spec: 'a@1.0.0' } as unknown as Partial<PackageRef>
    expect(diffLockfiles([ref('a', '1.0.0')], [ref('a', '1.0.0', omitted)]).changes).toEqual([])
  })

  it('a git dependency pointed at another commit under the same version is a change', () => {
    const git = (sha: string) => ref('g', '1.0.0', { source: 'git', resolved: `git+ssh://git@github.com/x/g.git#${sha}`, integrity: undefined })
    expect(summary(diffLockfiles([git('aaa')], [git('bbb')]))).toEqual(['resolved-host-changed g@1.0.0'])
    expect(diffLockfiles([git('aaa')], [git('aaa')]).changes).toEqual([])
  })

  it('ignores the project itself and its workspace members', () => {
    const head = [ref('app', '', { source: 'root', location: '' }), ref('member', '1.0.0', { source: 'link' })]
    expect(diffLockfiles([], head).changes).toEqual([])
  })
})

describe('compareIntegrity', () => {
  it('same when a digest is shared, different when a common algorithm disagrees, unknown otherwise', () => {
    expect(compareIntegrity('sha512-A sha1-B', 'sha1-B')).toBe('same')
    expect(compareIntegrity('sha512-A', 'sha512-C')).toBe('different')
    expect(compareIntegrity('sha1-A', 'sha512-C')).toBe('unknown')
    expect(compareIntegrity('sha512-A?opt', 'sha512-A')).toBe('same')
  })
})
