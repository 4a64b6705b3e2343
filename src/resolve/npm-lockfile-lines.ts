import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser'

/**
 * Where each package entry of an npm lockfile starts: `packages["node_modules/a"]` in lockfile
 * v2/v3, nested `dependencies.a.dependencies.b` in v1. Returns a lookup by arborist location.
 */
export function npmLockfileLines(text: string): (location: string) => number | undefined {
  const root = parseTree(text)
  if (!root) return () => undefined
  const lineStarts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  const lineOf = (offset: number): number => {
    let low = 0
    let high = lineStarts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (lineStarts[mid]! <= offset) low = mid
      else high = mid - 1
    }
    return low + 1
  }
  const packages = findNodeAtLocation(root, ['packages'])
  return (location) => {
    let node: JsonNode | undefined
    if (packages) node = findNodeAtLocation(packages, [location])
    else node = findNodeAtLocation(root, v1Path(location))
    // The entry's key, where a reader of the lockfile finds it.
    const key = node?.parent?.children?.[0]
    return key ? lineOf(key.offset) : undefined
  }
}

/** `node_modules/a/node_modules/@s/b` → `['dependencies', 'a', 'dependencies', '@s/b']`. */
function v1Path(location: string): string[] {
  const path: string[] = []
  for (const name of location.split('node_modules/').slice(1)) path.push('dependencies', name.replace(/\/$/, ''))
  return path
}
