import { posix } from 'node:path'
import { isMap, isScalar, parseAllDocuments, type Document } from 'yaml'
import { nameFromTarballUrl, sourceOf } from '../npm-tree.ts'
import { UsageError } from '../usage-error.ts'
import { addEdge, lineAt, lineStarts, newGraph, recordOf, splitNameSpec, stringOf, type EdgeType, type LockGraph, type LockNode } from './graph.ts'
import { manifestName, manifestVersion, type Manifests } from './manifest.ts'

const ROOT = ''
const MAX_DOCUMENTS = 8

interface PnpmDocument {
  /** `lockfileVersion` as a number: 5.4, 6, 9… */
  version: number
  data: Record<string, unknown>
  /** Line of each key of `packages` and `snapshots`, keyed `<section>\0<key>`. */
  lines: Map<string, number>
}

/**
 * Reads a `pnpm-lock.yaml` (lockfileVersion 5.x to 9) into a dependency graph. The file may hold
 * two YAML documents: the env lockfile (config dependencies and the package manager itself, which
 * pnpm installs before anything else) and the project lockfile; both are read.
 */
export function readPnpmLock(text: string, manifests: Manifests = new Map()): LockGraph {
  const documents = parseDocuments(text)
  const graph = newGraph(ROOT, manifestName(manifests.get(ROOT), 'root'))
  const reader = new PnpmReader(graph, manifests)
  for (const doc of documents) reader.addPackages(doc)
  for (const doc of documents) reader.addImporters(doc)
  for (const doc of documents) reader.addPackageEdges(doc)
  return graph
}

function parseDocuments(text: string): PnpmDocument[] {
  let parsed: Document.Parsed[]
  try {
    // yaml's own duplicate-key check is quadratic in the size of a map; keys are checked below.
    const all = parseAllDocuments(text, { uniqueKeys: false })
    parsed = Array.isArray(all) ? all : []
  } catch (error) {
    throw new UsageError(`pnpm-lock.yaml could not be parsed: ${(error as Error).message.split('\n')[0]}`)
  }
  if (parsed.length === 0) throw new UsageError('pnpm-lock.yaml is empty')
  if (parsed.length > MAX_DOCUMENTS) throw new UsageError(`pnpm-lock.yaml holds ${parsed.length} YAML documents; pnpm writes one or two`)
  const starts = lineStarts(text)
  return parsed.map((doc, index) => {
    const error = doc.errors[0]
    if (error) throw new UsageError(`pnpm-lock.yaml could not be parsed (document ${index + 1}): ${error.message.split('\n')[0]}`)
    let data: Record<string, unknown>
    try {
      data = recordOf(doc.toJS({ maxAliasCount: 100 }))
    } catch (e) {
      throw new UsageError(`pnpm-lock.yaml could not be read (document ${index + 1}): ${(e as Error).message.split('\n')[0]}`)
    }
    const version = Number.parseFloat(stringOf(data.lockfileVersion) ?? '')
    if (!Number.isFinite(version)) throw new UsageError(`pnpm-lock.yaml (document ${index + 1}) has no lockfileVersion: not a pnpm lockfile`)
    if (version < 5 || version >= 10) throw new UsageError(`pnpm-lock.yaml lockfileVersion ${String(data.lockfileVersion)} is not supported (5.x to 9.x are)`)
    const lines = new Map<string, number>()
    for (const section of ['snapshots', 'packages']) {
      const map = doc.get(section, true)
      if (!isMap(map)) continue
      const seen = new Set<string>()
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue
        const key = String(pair.key.value)
        if (seen.has(key)) throw new UsageError(`pnpm-lock.yaml (document ${index + 1}) lists ${JSON.stringify(key.slice(0, 200))} twice under ${section}`)
        seen.add(key)
        if (pair.key.range) lines.set(`${section}\u0000${key}`, lineAt(starts, pair.key.range[0]))
      }
    }
    return { version, data, lines }
  })
}

class PnpmReader {
  /** Every string a dependency may be written as, to the node key. */
  private readonly lookup = new Map<string, string>()
  private readonly importerByDir = new Map<string, string>([['.', ROOT]])
  private readonly graph: LockGraph
  private readonly manifests: Manifests

  constructor(graph: LockGraph, manifests: Manifests) {
    this.graph = graph
    this.manifests = manifests
  }

  /** The nodes of `snapshots` (v9) or `packages` (older), with their metadata from `packages`. */
  addPackages(doc: PnpmDocument): void {
    const packages = recordOf(doc.data.packages)
    const snapshots = doc.data.snapshots === undefined ? undefined : recordOf(doc.data.snapshots)
    for (const rawKey of Object.keys(snapshots ?? packages)) {
      // With a snapshots section (v7 and v9), packages are keyed without the peer suffix.
      const base = snapshots ? withoutPeers(rawKey, doc.version) : rawKey
      const meta = recordOf(packages[base] ?? packages[rawKey])
      const node = this.nodeOf(rawKey, meta, doc.version)
      if (!node) {
        this.graph.warnings.push(`pnpm-lock.yaml: entry ${JSON.stringify(rawKey.slice(0, 200))} has no package name; skipped`)
        continue
      }
      node.line = doc.lines.get(`packages\u0000${base}`) ?? doc.lines.get(`snapshots\u0000${rawKey}`)
      if (!this.graph.nodes.has(node.key)) this.graph.nodes.set(node.key, node)
      this.lookup.set(rawKey, node.key)
    }
  }

  /** The root and workspace members, and the edges of their dependency sections. */
  addImporters(doc: PnpmDocument): void {
    const importers = doc.data.importers === undefined ? { '.': doc.data } : recordOf(doc.data.importers)
    for (const dir of Object.keys(importers)) this.importer(dir)
    for (const [dir, value] of Object.entries(importers)) {
      const from = this.importer(dir)
      const importer = recordOf(value)
      const sections: Array<[string, EdgeType]> = [
        ['dependencies', 'prod'],
        ['optionalDependencies', 'optional'],
        ['devDependencies', 'dev'],
        // The env lockfile: installed by pnpm before the project, on every install.
        ['configDependencies', 'prod'],
        ['packageManagerDependencies', 'prod'],
      ]
      for (const [section, type] of sections) {
        for (const [name, entry] of Object.entries(recordOf(importer[section]))) {
          const reference = typeof entry === 'string' ? entry : stringOf(recordOf(entry).version)
          if (reference === undefined) continue
          const to = this.resolve(name, reference, dir, doc.version)
          if (to !== undefined) addEdge(this.graph, from, to, type)
        }
      }
    }
  }

  addPackageEdges(doc: PnpmDocument): void {
    const table = recordOf(doc.data.snapshots ?? doc.data.packages)
    for (const [rawKey, value] of Object.entries(table)) {
      const from = this.lookup.get(rawKey)
      if (from === undefined) continue
      const entry = recordOf(value)
      for (const [section, type] of [['dependencies', 'prod'], ['optionalDependencies', 'optional']] as const) {
        for (const [name, reference] of Object.entries(recordOf(entry[section]))) {
          const ref = stringOf(reference)
          const to = ref === undefined ? undefined : this.resolve(name, ref, '.', doc.version)
          if (to !== undefined) addEdge(this.graph, from, to, type)
        }
      }
    }
  }

  private importer(dir: string): string {
    const known = this.importerByDir.get(dir)
    if (known !== undefined) return known
    const relativeDir = posix.normalize(dir)
    const manifest = this.manifests.get(relativeDir)
    this.graph.nodes.set(relativeDir, {
      key: relativeDir,
      name: manifestName(manifest, posix.basename(relativeDir)),
      version: manifestVersion(manifest),
      source: 'link',
      relativeDir,
      importer: true,
      spec: `file:${relativeDir}`,
      edges: [],
    })
    this.importerByDir.set(dir, relativeDir)
    addEdge(this.graph, ROOT, relativeDir, 'prod')
    return relativeDir
  }

  /** The node a dependency reference points at: `1.0.0`, `1.0.0(peer@1)`, `/real@1.0.0` (alias), `link:../a`, `file:x`. */
  private resolve(name: string, reference: string, fromDir: string, version: number): string | undefined {
    if (reference.startsWith('link:')) {
      const dir = posix.normalize(posix.join(fromDir, reference.slice('link:'.length)))
      const importer = this.importerByDir.get(dir === '.' ? '.' : dir) ?? this.importerByDir.get(`./${dir}`)
      if (importer !== undefined) return importer
      const key = `link:${dir}`
      if (!this.graph.nodes.has(key)) this.graph.nodes.set(key, { key, name, version: '', source: 'link', relativeDir: dir, spec: `file:${dir}`, edges: [] })
      return key
    }
    // v9 keys have no leading slash, v6 keys are `/name@version`, v5 keys `/name/version`.
    const candidates = version >= 6 ? [`${name}@${reference}`, `/${name}@${reference}`, reference, `/${reference}`] : [`/${name}/${reference}`, reference, `/${reference}`]
    for (const candidate of candidates) {
      const key = this.lookup.get(candidate)
      if (key !== undefined) return key
    }
    return undefined
  }

  private nodeOf(rawKey: string, meta: Record<string, unknown>, version: number): LockNode | undefined {
    const key = rawKey.replace(/^\//, '')
    const identity = identityOfKey(key, version)
    const resolution = recordOf(meta.resolution)
    const integrity = stringOf(resolution.integrity)
    const tarball = stringOf(resolution.tarball)
    let name = stringOf(meta.name) ?? identity?.name
    const nodeVersion = stringOf(meta.version) ?? (identity && /^\d/.test(identity.version) ? identity.version : '')
    if (resolution.type === 'git' || (stringOf(resolution.repo) && stringOf(resolution.commit))) {
      const resolved = gitSpec(stringOf(resolution.repo) ?? '', stringOf(resolution.commit) ?? '')
      return name ? { key, name, version: nodeVersion, source: 'git', resolved, spec: resolved, edges: [] } : undefined
    }
    if (resolution.type === 'directory' || stringOf(resolution.directory)) {
      const relativeDir = posix.normalize(stringOf(resolution.directory) ?? '.')
      return name ? { key, name, version: nodeVersion, source: 'directory', resolved: `file:${relativeDir}`, relativeDir, spec: `file:${relativeDir}`, edges: [] } : undefined
    }
    if (tarball) {
      if (tarball.startsWith('file:')) {
        return name ? { key, name, version: nodeVersion, source: 'file', resolved: tarball, ...(integrity && { integrity }), spec: tarball, edges: [] } : undefined
      }
      const source = /^https?:\/\/codeload\.github\.com\//.test(tarball) ? 'git' : sourceOf(tarball, nodeVersion)
      if (source === 'registry') name = nameFromTarballUrl(tarball) ?? name
      if (!name) return undefined
      return { key, name, version: nodeVersion, source, resolved: tarball, ...(integrity && { integrity }), ...(source !== 'registry' && { spec: tarball }), edges: [] }
    }
    if (!name) return undefined
    return { key, name, version: nodeVersion, source: 'registry', ...(integrity && { integrity }), edges: [] }
  }
}

/** `name@1.0.0(peer@2)` (v6+) or `name/1.0.0_peer@2` (v5), without the leading `/`, as name and version. */
function identityOfKey(key: string, version: number): { name: string; version: string } | undefined {
  const bare = withoutPeers(key, version)
  if (version >= 6 || bare.includes('@', bare.startsWith('@') ? 1 : 0)) {
    const split = splitNameSpec(bare)
    if (split && !split.name.includes(':')) return { name: split.name, version: split.spec }
  }
  const slash = bare.lastIndexOf('/')
  if (slash <= 0) return undefined
  const name = bare.slice(0, slash)
  if (name.includes(':') || (name.includes('/') && !name.startsWith('@'))) return undefined // a git host path
  return { name, version: bare.slice(slash + 1) }
}

/** The key without its peer suffix: `(peer@1)(other@2)` from v6 on, `_peer@1` before. */
function withoutPeers(key: string, version: number): string {
  if (version >= 6) {
    const paren = key.indexOf('(')
    return paren === -1 ? key : key.slice(0, paren)
  }
  const underscore = key.indexOf('_')
  return underscore === -1 ? key : key.slice(0, underscore)
}

/** A git resolution as a spec pacote understands: `git+https://host/repo.git#<commit>`. */
function gitSpec(repo: string, commit: string): string {
  let url = repo
  if (/^https?:\/\//.test(url)) url = `git+${url}`
  else if (/^[\w.-]+@[\w.-]+:/.test(url)) url = `git+ssh://${url.replace(/:(?!\/\/)/, '/')}`
  return commit ? `${url}#${commit}` : url
}
