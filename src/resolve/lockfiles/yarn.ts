import { posix } from 'node:path'
import { parseSyml } from '@yarnpkg/parsers'
import { nameFromTarballUrl, sourceOf } from '../npm-tree.ts'
import { UsageError } from '../usage-error.ts'
import { addEdge, classifySpec, cutAt, newGraph, recordOf, splitNameSpec, stringEntries, stringOf, type EdgeType, type LockGraph, type LockNode } from './graph.ts'
import { declaredDependencies, declaredType, manifestName, manifestVersion, type Manifests } from './manifest.ts'

const ROOT = ''

/**
 * Reads a `yarn.lock`, classic (v1) or Berry (v2+), into a dependency graph. Yarn records no
 * dependency types, so the root and workspace manifests (`package.json`) say which direct
 * dependencies are dev or optional; the flags of the rest follow from the graph.
 */
export function readYarnLock(text: string, manifests: Manifests = new Map()): LockGraph {
  let parsed: Record<string, unknown>
  try {
    parsed = recordOf(parseSyml(text))
  } catch (error) {
    throw new UsageError(`yarn.lock could not be parsed: ${firstLine((error as Error).message)}`)
  }
  const lines = entryLines(text)
  return Object.hasOwn(parsed, '__metadata') ? readBerry(parsed, lines, manifests) : readClassic(parsed, lines, manifests)
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.slice(0, 300)
}

/** Line of each descriptor of each top-level entry (`"a@^1", "a@^1.1":` or `"a@npm:^1, b@npm:^2":`). */
function entryLines(text: string): Map<string, number> {
  const lines = new Map<string, number>()
  const all = text.split('\n')
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!
    if (!line || line.startsWith(' ') || line.startsWith('#') || !line.trimEnd().endsWith(':')) continue
    for (const descriptor of splitDescriptors(line.trimEnd().slice(0, -1))) if (!lines.has(descriptor)) lines.set(descriptor, i + 1)
  }
  return lines
}

/** `"a@^1", a@^1.1` (v1) and `"a@npm:^1, b@npm:^2"` (berry) → each descriptor, unquoted. */
function splitDescriptors(key: string): string[] {
  return key
    .split(/,\s*/)
    .map((d) => d.trim().replace(/^"/, '').replace(/"$/, ''))
    .filter(Boolean)
}

// ------------------------------------------------------------------ classic (v1)

function readClassic(parsed: Record<string, unknown>, lines: Map<string, number>, manifests: Manifests): LockGraph {
  const rootManifest = manifests.get(ROOT)
  const graph = newGraph(ROOT, manifestName(rootManifest, 'root'))
  const byDescriptor = new Map<string, string>()
  // Edges are resolved once every entry is known (an entry may depend on one that comes later).
  const pendingEdges: Array<[string, string, EdgeType]> = []
  for (const [descriptor, value] of Object.entries(parsed)) {
    const entry = recordOf(value)
    const split = splitNameSpec(descriptor)
    const version = stringOf(entry.version)
    if (!split || version === undefined) {
      graph.warnings.push(`yarn.lock: entry ${JSON.stringify(descriptor.slice(0, 200))} has no name or version; skipped`)
      continue
    }
    const node = classicNode(split.name, split.spec, version, entry)
    const existing = graph.nodes.get(node.key)
    if (!existing) {
      node.line = lines.get(descriptor)
      graph.nodes.set(node.key, node)
      for (const [name, range] of stringEntries(entry.dependencies)) pendingEdges.push([node.key, `${name}@${range}`, 'prod'])
      for (const [name, range] of stringEntries(entry.optionalDependencies)) pendingEdges.push([node.key, `${name}@${range}`, 'optional'])
    } else if (existing.line === undefined || (lines.get(descriptor) ?? Infinity) < existing.line) {
      existing.line = lines.get(descriptor)
    }
    byDescriptor.set(descriptor, node.key)
  }
  const workspaceByName = addWorkspaceMembers(graph, manifests)
  for (const [from, descriptor, type] of pendingEdges) {
    const to = byDescriptor.get(descriptor) ?? workspaceByName.get(splitNameSpec(descriptor)?.name ?? '')
    if (to) addEdge(graph, from, to, type)
  }
  for (const [dir, manifest] of manifests) {
    const from = dir === ROOT ? ROOT : dir
    for (const dep of declaredDependencies(manifest)) {
      const to = byDescriptor.get(`${dep.name}@${dep.spec}`) ?? workspaceByName.get(dep.name)
      if (to) addEdge(graph, from, to, dep.type)
    }
  }
  return graph
}

function classicNode(descriptorName: string, spec: string, version: string, entry: Record<string, unknown>): LockNode {
  const rawResolved = stringOf(entry.resolved)
  const [url, fragment] = rawResolved ? splitFragment(rawResolved) : [undefined, undefined]
  const alias = spec.startsWith('npm:') ? splitNameSpec(spec.slice(4)) : undefined
  const specSource = classifySpec(spec)
  const source = specSource !== 'registry' ? specSource : url ? sourceOf(url, version) : 'registry'
  const name = (url && source === 'registry' && nameFromTarballUrl(url)) || alias?.name || descriptorName
  const integrity = stringOf(entry.integrity) ?? (fragment && /^[0-9a-f]{40}$/i.test(fragment) ? `sha1-${Buffer.from(fragment, 'hex').toString('base64')}` : undefined)
  if (source === 'registry') {
    return { key: `${name}@${version}`, name, version, source, ...(url && { resolved: url }), ...(integrity && { integrity }), edges: [] }
  }
  // git and tarball URLs keep their fragment (the commit, or the sha1 yarn checks).
  const resolved = rawResolved ?? spec
  const relativeDir = source === 'directory' || source === 'link' ? posix.normalize(spec.replace(/^(?:file|link):/, '')) : undefined
  return {
    key: `${name}@${source === 'directory' || source === 'link' || source === 'file' ? spec : resolved}`,
    name,
    version,
    source,
    resolved,
    ...(integrity && { integrity }),
    ...(relativeDir !== undefined && { relativeDir }),
    edges: [],
  }
}

function splitFragment(url: string): [string, string | undefined] {
  const hash = url.indexOf('#')
  return hash === -1 ? [url, undefined] : [url.slice(0, hash), url.slice(hash + 1)]
}

/** Workspace members (not in a v1 lockfile): a node per member manifest, depended on by the root. */
function addWorkspaceMembers(graph: LockGraph, manifests: Manifests): Map<string, string> {
  const byName = new Map<string, string>()
  for (const [dir, manifest] of manifests) {
    if (dir === ROOT) continue
    const name = manifestName(manifest, posix.basename(dir))
    graph.nodes.set(dir, { key: dir, name, version: manifestVersion(manifest), source: 'link', relativeDir: dir, importer: true, spec: `file:${dir}`, edges: [] })
    byName.set(name, dir)
    addEdge(graph, ROOT, dir, 'prod')
  }
  return byName
}

// ------------------------------------------------------------------ berry (v2+)

function readBerry(parsed: Record<string, unknown>, lines: Map<string, number>, manifests: Manifests): LockGraph {
  const entries: Array<{ descriptors: string[]; entry: Record<string, unknown>; resolution: string }> = []
  let rootResolution: string | undefined
  const graphWarnings: string[] = []
  for (const [key, value] of Object.entries(parsed)) {
    if (key === '__metadata') continue
    const entry = recordOf(value)
    const resolution = stringOf(entry.resolution)
    if (!resolution || !splitNameSpec(resolution)) {
      graphWarnings.push(`yarn.lock: entry ${JSON.stringify(key.slice(0, 200))} has no resolution; skipped`)
      continue
    }
    if (/@workspace:\.$/.test(resolution)) rootResolution = resolution
    entries.push({ descriptors: splitDescriptors(key), entry, resolution })
  }
  const rootManifest = manifests.get(ROOT)
  const graph = newGraph(ROOT, rootResolution ? splitNameSpec(rootResolution)!.name : manifestName(rootManifest, 'root'))
  graph.warnings.push(...graphWarnings)

  const keyOfResolution = new Map<string, string>([[rootResolution ?? '', ROOT]])
  const byDescriptor = new Map<string, string>()
  const byLooseDescriptor = new Map<string, string[]>()
  const workspaceByName = new Map<string, string>()
  for (const { descriptors, entry, resolution } of entries) {
    let key = keyOfResolution.get(resolution)
    if (key === undefined) {
      const node = berryNode(resolution, entry)
      key = node.key
      if (!graph.nodes.has(key)) {
        const line = descriptors.reduce((min, d) => Math.min(min, lines.get(d) ?? Infinity), Infinity)
        if (line !== Infinity) node.line = line
        graph.nodes.set(key, node)
      }
      keyOfResolution.set(resolution, key)
      if (node.importer) {
        workspaceByName.set(node.name, key)
        addEdge(graph, ROOT, key, 'prod')
      }
    }
    for (const descriptor of descriptors) {
      byDescriptor.set(descriptor, key)
      const loose = cutAt(descriptor, '::')
      const same = byLooseDescriptor.get(loose)
      if (same) same.push(descriptor)
      else byLooseDescriptor.set(loose, [descriptor])
    }
  }

  const resolve = (fromResolution: string, name: string, range: string): string | undefined => {
    const descriptor = `${name}@${range}`
    const exact = byDescriptor.get(descriptor)
    if (exact !== undefined) return exact
    // `file:` and `portal:` descriptors carry the workspace that declared them: `::locator=…`.
    const candidates = byLooseDescriptor.get(descriptor) ?? []
    const own = candidates.find((d) => d.includes(`locator=${encodeURIComponent(fromResolution)}`)) ?? (candidates.length === 1 ? candidates[0] : undefined)
    if (own) return byDescriptor.get(own)
    return range.startsWith('workspace:') ? workspaceByName.get(name) : undefined
  }

  for (const { entry, resolution } of entries) {
    const from = keyOfResolution.get(resolution)!
    const node = graph.nodes.get(from)!
    const manifest = node.importer ? manifests.get(node.relativeDir ?? '') : undefined
    const meta = recordOf(entry.dependenciesMeta)
    for (const [name, range] of stringEntries(entry.dependencies)) {
      const to = resolve(resolution, name, range)
      if (to === undefined) continue
      const optional = recordOf(meta[name]).optional === true || recordOf(meta[name]).optional === 'true'
      const type: EdgeType = optional ? 'optional' : node.importer ? declaredType(manifest, name, 'prod') : 'prod'
      addEdge(graph, from, to, type === 'peer' ? 'prod' : type)
    }
  }
  return graph
}

function berryNode(resolution: string, entry: Record<string, unknown>): LockNode {
  const { name, spec: reference } = splitNameSpec(resolution)!
  const version = stringOf(entry.version) ?? ''
  if (reference.startsWith('workspace:')) {
    const dir = posix.normalize(reference.slice('workspace:'.length))
    return { key: dir, name, version: version === '0.0.0-use.local' ? '' : version, source: 'link', relativeDir: dir, importer: true, spec: `file:${dir}`, edges: [] }
  }
  if (reference.startsWith('npm:')) {
    // The checksum is of yarn's zip archive, not an npm SRI: the tarball is verified by nothing here.
    return { key: resolution, name, version, source: 'registry', edges: [] }
  }
  if (reference.startsWith('patch:')) {
    // A registry package with a patch of the project applied on install: the registry tarball is scanned.
    return { key: resolution, name, version, source: 'registry', spec: `${name}@${version}`, edges: [] }
  }
  const bare = cutAt(reference, '::')
  if (/^(?:file|portal|link):/.test(bare)) {
    const path = cutAt(bare.replace(/^(?:file|portal|link):/, ''), '#')
    const locator = /[:&]locator=([^&]+)/.exec(reference)?.[1]
    const base = locator ? workspaceDirOf(safeDecode(locator)) : ''
    const relativeDir = posix.normalize(posix.join(base, path))
    const source = classifySpec(cutAt(bare, '#'))
    return { key: resolution, name, version, source, resolved: bare, relativeDir, spec: `file:${relativeDir}`, edges: [] }
  }
  const source = classifySpec(bare)
  const resolved = source === 'git' ? gitSpecOf(bare) : bare
  return { key: resolution, name, version, source: source === 'registry' ? 'remote' : source, resolved, spec: resolved, edges: [] }
}

/** `name@workspace:packages/a` → `packages/a`. */
function workspaceDirOf(locator: string): string {
  const at = locator.indexOf('@workspace:', 1)
  return at === -1 ? '' : posix.normalize(locator.slice(at + '@workspace:'.length))
}

/** Berry's `https://host/repo.git#commit=<sha>` as a spec pacote understands: `git+https://host/repo.git#<sha>`. */
function gitSpecOf(reference: string): string {
  const commit = /(?:^|[#&])commit=([0-9a-f]+)/i.exec(reference)?.[1]
  const url = cutAt(reference, '#')
  const prefixed = /^(?:git\+|git:|github:|gitlab:|bitbucket:|ssh:)/.test(url) ? url : `git+${url}`
  return commit ? `${prefixed}#${commit}` : reference
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
