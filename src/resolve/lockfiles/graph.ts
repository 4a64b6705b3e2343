import type { PackageRef, PackageSource } from '../../types.ts'

/** How a dependency is declared; dev edges only ever leave the root and workspace members. */
export type EdgeType = 'prod' | 'dev' | 'optional' | 'peer' | 'peerOptional'

export interface LockEdge {
  /** Key of the node the dependency resolved to. */
  to: string
  type: EdgeType
}

/** One package of a lockfile, with the edges to what it depends on. */
export interface LockNode {
  /** Unique key in the graph; also the `location` of the package. */
  key: string
  /** The real package name (aliases resolved). */
  name: string
  version: string
  source: PackageSource
  resolved?: string
  integrity?: string
  /** What pacote fetches when `resolved` is absent or not a registry URL. */
  spec?: string
  /** Directory relative to the project (workspace members, `file:` / `link:` directories). */
  relativeDir?: string
  /** 1-based line of the lockfile entry. */
  line?: number
  /** The root project or a workspace member: its own files are the project's. */
  importer?: boolean
  edges: LockEdge[]
}

export interface LockGraph {
  /** Key of the root project's node (an importer, not reported as a package). */
  root: string
  nodes: Map<string, LockNode>
  warnings: string[]
}

/** A graph under construction: nodes are added once, edges as they are read. */
export function newGraph(rootKey: string, rootName: string): LockGraph {
  const nodes = new Map<string, LockNode>()
  nodes.set(rootKey, { key: rootKey, name: rootName, version: '', source: 'root', relativeDir: '', importer: true, edges: [] })
  return { root: rootKey, nodes, warnings: [] }
}

export function addEdge(graph: LockGraph, from: string, to: string, type: EdgeType): void {
  const node = graph.nodes.get(from)
  if (!node || !graph.nodes.has(to) || from === to) return
  node.edges.push({ to, type })
}

interface Reach {
  /** Reached without a dev edge. */
  nonDev: Set<string>
  /** Reached without an optional edge. */
  nonOptional: Set<string>
  /** Reached by required production edges only. */
  prod: Set<string>
}

/**
 * Dependency flags as npm computes them (arborist's calc-dep-flags): a package is dev when no
 * path from the root avoids a dev edge, optional when no path avoids an optional edge; a package
 * reachable only through dev or optional edges, but not through only one kind, counts as optional.
 */
function reachability(graph: LockGraph): Reach {
  const walk = (skip: (type: EdgeType) => boolean): Set<string> => {
    const seen = new Set<string>([graph.root])
    const queue = [graph.root]
    for (let i = 0; i < queue.length; i++) {
      for (const edge of graph.nodes.get(queue[i]!)!.edges) {
        if (skip(edge.type) || seen.has(edge.to)) continue
        seen.add(edge.to)
        queue.push(edge.to)
      }
    }
    return seen
  }
  const optional = (t: EdgeType): boolean => t === 'optional' || t === 'peerOptional'
  return {
    nonDev: walk((t) => t === 'dev'),
    nonOptional: walk(optional),
    prod: walk((t) => t === 'dev' || optional(t)),
  }
}

/** Shortest path from the root to every reachable node (breadth-first), as the node keys walked. */
function shortestPaths(graph: LockGraph): Map<string, string[]> {
  const parent = new Map<string, string | undefined>([[graph.root, undefined]])
  const queue = [graph.root]
  for (let i = 0; i < queue.length; i++) {
    for (const edge of graph.nodes.get(queue[i]!)!.edges) {
      if (parent.has(edge.to)) continue
      parent.set(edge.to, queue[i])
      queue.push(edge.to)
    }
  }
  const paths = new Map<string, string[]>()
  for (const key of parent.keys()) {
    const path: string[] = []
    for (let k: string | undefined = key; k !== undefined && k !== graph.root; k = parent.get(k)) path.push(k)
    paths.set(key, path.reverse())
  }
  return paths
}

export interface RefOptions {
  /** Absolute project directory: workspace members and `file:` directories inside it are read from disk. */
  projectDir?: string
  /** Joins a directory relative to the project; returns undefined when it leaves the project. */
  insideProject?: (relativeDir: string) => string | undefined
}

/**
 * The packages of a lockfile graph, the root excepted: each with its flags, its lockfile line and
 * the shortest dependency path from the root (package names, the root's direct dependency first).
 * A package that nothing reaches (a stale entry) is kept and marked dev and optional, as npm marks
 * extraneous packages.
 */
export function packagesOfGraph(graph: LockGraph, options: RefOptions = {}): PackageRef[] {
  const reach = reachability(graph)
  const paths = shortestPaths(graph)
  const refs: PackageRef[] = []
  for (const node of graph.nodes.values()) {
    if (node.key === graph.root) continue
    const dev = !reach.nonDev.has(node.key)
    const optionalOnly = !reach.nonOptional.has(node.key)
    const devOptional = !reach.prod.has(node.key)
    const path = paths.get(node.key)
    const directory = node.relativeDir !== undefined && (node.source === 'link' || node.source === 'directory') ? options.insideProject?.(node.relativeDir) : undefined
    const spec = node.spec ?? (node.source === 'registry' ? `${node.name}@${node.version}` : (node.resolved ?? `${node.name}@${node.version}`))
    refs.push({
      name: node.name,
      version: node.version,
      spec,
      ...(node.resolved && { resolved: node.resolved }),
      ...(node.integrity && { integrity: node.integrity }),
      source: node.source,
      location: node.key,
      dev,
      optional: optionalOnly || (devOptional && !dev),
      ...(directory && { directory }),
      ...(node.line !== undefined && { lockfileLine: node.line }),
      ...(path && { path: path.map((k) => graph.nodes.get(k)!.name) }),
    })
  }
  return refs
}

/** 1-based line of a character offset, from the offsets where lines start. */
export function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

/** Splits `name@range` (scoped names keep their leading `@`); undefined when there is no name. */
export function splitNameSpec(descriptor: string): { name: string; spec: string } | undefined {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0)
  if (at <= 0) return undefined
  return { name: descriptor.slice(0, at), spec: descriptor.slice(at + 1) }
}

/** The record-shaped value of an untrusted parsed field, else an empty record. */
export function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/** The string entries of an untrusted `{ name: spec }` map. */
export function stringEntries(value: unknown): Array<[string, string]> {
  return Object.entries(recordOf(value)).filter((e): e is [string, string] => typeof e[1] === 'string')
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined
}

/** Classifies a non-registry spec or resolution (`git+https://…`, `https://…/x.tgz`, `file:…`). */
export function classifySpec(spec: string): PackageSource {
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|ssh:)/.test(spec) || /\.git(?:#|$)/.test(spec) || /#commit=/.test(spec)) return 'git'
  if (/^(?:file|portal|link):/.test(spec)) return /\.(?:tgz|tar\.gz|tar)$/.test(cutAt(spec, '#', '?')) ? 'file' : spec.startsWith('file:') ? 'directory' : 'link'
  if (/^https?:\/\//.test(spec)) return 'remote'
  return 'registry'
}

/** `text` up to the first of the `markers` (all of it when none occurs); no regular expression, so linear. */
export function cutAt(text: string, ...markers: string[]): string {
  let end = text.length
  for (const marker of markers) {
    const index = text.indexOf(marker)
    if (index !== -1 && index < end) end = index
  }
  return text.slice(0, end)
}
