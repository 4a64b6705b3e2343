import { posix } from 'node:path'
import jsonc from 'jsonc-parser'
import { nameFromTarballUrl, sourceOf } from '../npm-tree.ts'
import { UsageError } from '../usage-error.ts'
import { addEdge, classifySpec, lineAt, lineStarts, newGraph, recordOf, splitNameSpec, stringEntries, stringOf, type EdgeType, type LockGraph, type LockNode } from './graph.ts'
import { manifestName, type Manifests } from './manifest.ts'

const ROOT = ''

/**
 * Reads a text `bun.lock` (Bun 1.2 and later: JSON with trailing commas) into a dependency
 * graph. Package keys are install paths (`a/b` is `b` nested under `a`), and a dependency resolves
 * to the nearest key up that path, as Node resolves `node_modules`.
 */
export function readBunLock(text: string, manifests: Manifests = new Map()): LockGraph {
  const errors: jsonc.ParseError[] = []
  let tree: jsonc.Node | undefined
  try {
    tree = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false })
  } catch (error) {
    throw new UsageError(`bun.lock could not be parsed: ${(error as Error).message}`)
  }
  const starts = lineStarts(text)
  if (errors.length > 0 || !tree || tree.type !== 'object') {
    const first = errors[0]
    throw new UsageError(`bun.lock could not be parsed${first ? `: ${jsonc.printParseErrorCode(first.error)} at line ${lineAt(starts, first.offset)}` : ': not a JSON object'}`)
  }
  const data = recordOf(jsonc.getNodeValue(tree))
  if (stringOf(data.lockfileVersion) === undefined) throw new UsageError('bun.lock has no lockfileVersion: not a bun lockfile')

  const workspaces = ownEntries(data.workspaces)
  const rootWorkspace = recordOf(workspaces.find(([dir]) => dir === '')?.[1])
  const graph = newGraph(ROOT, stringOf(rootWorkspace.name) ?? manifestName(manifests.get(ROOT), 'root'))
  const packageLines = new Map<string, number>()
  const packagesNode = jsonc.findNodeAtLocation(tree, ['packages'])
  for (const property of packagesNode?.type === 'object' ? (packagesNode.children ?? []) : []) {
    const keyNode = property.children?.[0]
    if (keyNode && typeof keyNode.value === 'string') packageLines.set(keyNode.value, lineAt(starts, keyNode.offset))
  }

  // Workspace members: the directory in `workspaces`, the package key (their name) in `packages`.
  const memberByName = new Map<string, string>()
  for (const [dir, value] of workspaces) {
    if (dir === '') continue
    const relativeDir = posix.normalize(dir)
    const name = stringOf(recordOf(value).name) ?? manifestName(manifests.get(relativeDir), posix.basename(relativeDir))
    graph.nodes.set(relativeDir, { key: relativeDir, name, version: stringOf(recordOf(value).version) ?? '', source: 'link', relativeDir, importer: true, spec: `file:${relativeDir}`, edges: [] })
    memberByName.set(name, relativeDir)
    addEdge(graph, ROOT, relativeDir, 'prod')
  }

  const packages = ownEntries(data.packages)
  const nodeOfPackageKey = new Map<string, string>()
  const metaOfPackageKey = new Map<string, Record<string, unknown>>()
  for (const [packageKey, value] of packages) {
    const node = bunNode(packageKey, value)
    if (!node) {
      graph.warnings.push(`bun.lock: entry ${JSON.stringify(packageKey.slice(0, 200))} is not a package; skipped`)
      continue
    }
    if (node === 'workspace') {
      const member = memberByName.get(packageKey)
      if (member !== undefined) nodeOfPackageKey.set(packageKey, member)
      continue
    }
    node.line = packageLines.get(packageKey)
    graph.nodes.set(node.key, node)
    nodeOfPackageKey.set(packageKey, node.key)
    metaOfPackageKey.set(packageKey, recordOf((value as unknown[]).find((v, i) => i > 0 && v !== null && typeof v === 'object' && !Array.isArray(v))))
  }

  /** The package a dependency named `name` resolves to from install path `from` (list of names). */
  const resolve = (from: string[], name: string): string | undefined => {
    for (let depth = from.length; depth >= 0; depth--) {
      const key = nodeOfPackageKey.get([...from.slice(0, depth), name].join('/'))
      if (key !== undefined) return key
    }
    return memberByName.get(name)
  }
  const addDependencies = (fromKey: string, path: string[], declared: Record<string, unknown>, sections: Array<[string, EdgeType]>): void => {
    const optionalPeers = new Set(Array.isArray(declared.optionalPeers) ? declared.optionalPeers.filter((p): p is string => typeof p === 'string') : [])
    for (const [section, type] of sections) {
      for (const [name] of stringEntries(declared[section])) {
        const to = resolve(path, name)
        if (to !== undefined) addEdge(graph, fromKey, to, type === 'peer' && optionalPeers.has(name) ? 'peerOptional' : type)
      }
    }
  }
  const importerSections: Array<[string, EdgeType]> = [['dependencies', 'prod'], ['optionalDependencies', 'optional'], ['devDependencies', 'dev'], ['peerDependencies', 'peer']]
  for (const [dir, value] of workspaces) {
    const key = dir === '' ? ROOT : posix.normalize(dir)
    const name = graph.nodes.get(key)?.name ?? ''
    addDependencies(key, dir === '' ? [] : [name], recordOf(value), importerSections)
  }
  for (const [packageKey, meta] of metaOfPackageKey) {
    addDependencies(nodeOfPackageKey.get(packageKey)!, splitInstallPath(packageKey), meta, [['dependencies', 'prod'], ['optionalDependencies', 'optional'], ['peerDependencies', 'peer']])
  }
  return graph
}

/** Own enumerable entries only: a parsed `__proto__` key must not stand in for a package. */
function ownEntries(value: unknown): Array<[string, unknown]> {
  return Object.entries(recordOf(value))
}

/** `a/@s/b/c` → `['a', '@s/b', 'c']`. */
function splitInstallPath(key: string): string[] {
  const parts = key.split('/')
  const names: string[] = []
  for (let i = 0; i < parts.length; i++) names.push(parts[i]!.startsWith('@') && i + 1 < parts.length ? `${parts[i]}/${parts[++i]}` : parts[i]!)
  return names
}

/**
 * One `packages` entry: `[ident, resolved, meta, integrity]` for a registry package,
 * `[ident, meta, …]` for the others; the ident (`name@version`, `name@github:u/r#sha`,
 * `name@file:dir`, `name@workspace:dir`) names the real package, whatever the key (an alias).
 */
function bunNode(packageKey: string, value: unknown): LockNode | 'workspace' | undefined {
  if (!Array.isArray(value) || typeof value[0] !== 'string') return undefined
  const ident = splitNameSpec(value[0])
  if (!ident) return undefined
  const { name, spec: reference } = ident
  const key = `node_modules/${splitInstallPath(packageKey).join('/node_modules/')}`
  const integrity = [...value].reverse().find((v): v is string => typeof v === 'string' && /^sha(?:1|256|384|512)-/.test(v))
  if (reference.startsWith('workspace:')) return 'workspace'
  if (/^\d/.test(reference) && !reference.includes(':')) {
    const url = typeof value[1] === 'string' && value[1] ? value[1] : undefined
    const source = url ? sourceOf(url, reference) : 'registry'
    const realName = (url && source === 'registry' && nameFromTarballUrl(url)) || name
    return { key, name: realName, version: reference, source, ...(url && { resolved: url }), ...(integrity && { integrity }), ...(source !== 'registry' && url && { spec: url }), edges: [] }
  }
  const meta = recordOf(value.find((v, i) => i > 0 && v !== null && typeof v === 'object' && !Array.isArray(v)))
  const version = stringOf(meta.version) ?? ''
  const source = classifySpec(reference)
  if (source === 'directory' || source === 'link' || source === 'file') {
    const relativeDir = posix.normalize(reference.replace(/^(?:file|link|portal):/, ''))
    return { key, name, version, source, resolved: reference, ...(source === 'directory' && { relativeDir }), spec: source === 'file' ? reference : `file:${relativeDir}`, ...(integrity && { integrity }), edges: [] }
  }
  // git, github: and tarball URLs; anything else unknown is treated as a remote source.
  return { key, name, version, source: source === 'registry' ? 'remote' : source, resolved: reference, spec: reference, edges: [] }
}
