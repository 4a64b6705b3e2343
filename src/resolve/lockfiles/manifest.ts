import type { EdgeType } from './graph.ts'
import { recordOf, stringEntries } from './graph.ts'

/** A `package.json` as read: untrusted, any field may be missing or of the wrong type. */
export type Manifest = Record<string, unknown>

/** `package.json` of the root (`''`) and of each workspace member, by directory relative to the project. */
export type Manifests = ReadonlyMap<string, Manifest>

export interface DeclaredDependency {
  name: string
  spec: string
  type: EdgeType
}

/**
 * The dependencies a project declares, each once, typed as npm types them: an optional dependency
 * overrides a production one, and a dev dependency counts only when it is declared nowhere else.
 */
export function declaredDependencies(manifest: Manifest | undefined): DeclaredDependency[] {
  const byName = new Map<string, DeclaredDependency>()
  if (!manifest) return []
  for (const [name, spec] of stringEntries(manifest.devDependencies)) byName.set(name, { name, spec, type: 'dev' })
  for (const [name, spec] of stringEntries(manifest.dependencies)) byName.set(name, { name, spec, type: 'prod' })
  for (const [name, spec] of stringEntries(manifest.optionalDependencies)) byName.set(name, { name, spec, type: 'optional' })
  return [...byName.values()]
}

/** The edge type of a dependency of a project, when its manifest is known; else `fallback`. */
export function declaredType(manifest: Manifest | undefined, name: string, fallback: EdgeType): EdgeType {
  if (!manifest) return fallback
  if (Object.hasOwn(recordOf(manifest.optionalDependencies), name)) return 'optional'
  if (Object.hasOwn(recordOf(manifest.dependencies), name)) return 'prod'
  if (Object.hasOwn(recordOf(manifest.devDependencies), name)) return 'dev'
  if (Object.hasOwn(recordOf(manifest.peerDependencies), name)) return 'peer'
  return fallback
}

export function manifestName(manifest: Manifest | undefined, fallback: string): string {
  return typeof manifest?.name === 'string' && manifest.name ? manifest.name : fallback
}

export function manifestVersion(manifest: Manifest | undefined): string {
  return typeof manifest?.version === 'string' ? manifest.version : ''
}
