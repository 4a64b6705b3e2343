import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser'
import { lineAt, lineStarts } from './lockfiles/graph.ts'

/**
 * Where each package entry of an npm lockfile starts: `packages["node_modules/a"]` in lockfile
 * v2/v3, nested `dependencies.a.dependencies.b` in v1. Returns a lookup by arborist location.
 */
export function npmLockfileLines(text: string): (location: string) => number | undefined {
  const root = parseTree(text)
  if (!root) return () => undefined
  const starts = lineStarts(text)
  const packages = findNodeAtLocation(root, ['packages'])
  return (location) => {
    let node: JsonNode | undefined
    if (packages) node = findNodeAtLocation(packages, [location])
    else node = findNodeAtLocation(root, v1Path(location))
    // The entry's key, where a reader of the lockfile finds it.
    const key = node?.parent?.children?.[0]
    return key ? lineAt(starts, key.offset) : undefined
  }
}

/** `node_modules/a/node_modules/@s/b` → `['dependencies', 'a', 'dependencies', '@s/b']`. */
function v1Path(location: string): string[] {
  const path: string[] = []
  for (const name of location.split('node_modules/').slice(1)) path.push('dependencies', name.replace(/\/$/, ''))
  return path
}
