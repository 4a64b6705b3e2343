import type { DependencyChange, PackageRef } from '../types.ts'
import { hostOf } from '../fetch/npm-config.ts'
import { compareIntegrity } from './integrity.ts'

/** What a diff scans: each head package that is new or differs from the base, with how. */
export interface LockfileDiff {
  changed: Array<{ ref: PackageRef; change: DependencyChange }>
  /** Every change, removals included, in lockfile order. */
  changes: DependencyChange[]
}

/** Sources whose entries name a package to fetch; the project itself and its workspace members are not dependencies. */
const DEPENDENCY_SOURCES = new Set<PackageRef['source']>(['registry', 'git', 'remote', 'file'])

/**
 * Compares two resolved trees by package identity, not by position: a package moved by a dedupe
 * is unchanged; a version never seen in the base is added or a version change; the same
 * name@version with another integrity or from another host is a change of what would be installed.
 */
export function diffLockfiles(base: readonly PackageRef[], head: readonly PackageRef[]): LockfileDiff {
  const baseDeps = base.filter((r) => DEPENDENCY_SOURCES.has(r.source))
  const headDeps = head.filter((r) => DEPENDENCY_SOURCES.has(r.source))
  const baseById = groupBy(baseDeps, (r) => `${r.name}@${r.version}`)
  const baseByName = groupBy(baseDeps, (r) => r.name)
  const headIds = new Set(headDeps.map((r) => `${r.name}@${r.version}`))

  const changed: LockfileDiff['changed'] = []
  for (const ref of headDeps) {
    const change = changeOf(ref, baseById.get(`${ref.name}@${ref.version}`), baseByName.get(ref.name))
    if (change) changed.push({ ref, change })
  }
  const removed: DependencyChange[] = []
  const seen = new Set<string>()
  for (const ref of baseDeps) {
    const id = `${ref.name}@${ref.version}`
    if (headIds.has(id) || seen.has(id)) continue
    seen.add(id)
    // A version replaced by another is reported once, as the head's version change.
    if (headDeps.some((h) => h.name === ref.name)) continue
    removed.push({ kind: 'removed', name: ref.name, version: ref.version, location: ref.location, ...identity(ref) })
  }
  return { changed, changes: [...changed.map((c) => c.change), ...removed] }
}

function changeOf(ref: PackageRef, sameVersion: PackageRef[] | undefined, sameName: PackageRef[] | undefined): DependencyChange | undefined {
  const base = { name: ref.name, version: ref.version, location: ref.location, ...identity(ref) }
  if (!sameVersion) {
    if (!sameName) return { kind: 'added', ...base }
    return { kind: 'version-changed', ...base, previousVersions: [...new Set(sameName.map((r) => r.version))] }
  }
  // Entries without a hash (git, remote, some old lockfiles) are compared by what they do have.
  const relations = sameVersion.map((r) => (r.integrity && ref.integrity ? compareIntegrity(r.integrity, ref.integrity) : 'unknown'))
  const otherHash = sameVersion.find((_, i) => relations[i] === 'different')
  if (otherHash && !relations.includes('same')) {
    return { kind: 'integrity-changed', ...base, previousIntegrity: otherHash.integrity! }
  }
  const host = hostOf(ref.resolved)
  if (host && sameVersion.every((r) => hostOf(r.resolved) && hostOf(r.resolved) !== host)) {
    return { kind: 'resolved-host-changed', ...base, previousResolved: sameVersion[0]!.resolved! }
  }
  if (ref.source !== 'registry' && ref.resolved && !sameVersion.some((r) => r.resolved === ref.resolved)) {
    return { kind: 'resolved-host-changed', ...base, previousResolved: sameVersion[0]!.resolved ?? '' }
  }
  return undefined
}

function identity(ref: PackageRef): Pick<DependencyChange, 'resolved' | 'integrity' | 'lockfileLine'> {
  return { ...(ref.resolved && { resolved: ref.resolved }), ...(ref.integrity && { integrity: ref.integrity }), ...(ref.lockfileLine !== undefined && { lockfileLine: ref.lockfileLine }) }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = map.get(k)
    if (list) list.push(item)
    else map.set(k, [item])
  }
  return map
}
