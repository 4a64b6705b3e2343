import type { Node, Tree } from '@npmcli/arborist'
import type { PackageRef, PackageSource } from '../types.ts'

export type TreeMode = 'virtual' | 'actual' | 'ideal'

export interface TreeOptions {
  /** pacote/npm options: registry, scoped registries, auth, cache. */
  npmOptions: Record<string, unknown>
}

/**
 * Loads the dependency tree of a project directory with arborist: from its lockfile (`virtual`),
 * its installed `node_modules` (`actual`, never the hidden-lockfile shortcut, which drops scripts),
 * or by resolving `package.json` against the registry (`ideal`). Never reifies, never runs scripts.
 */
export async function loadTree(dir: string, mode: TreeMode, options: TreeOptions): Promise<Tree> {
  // arborist (and pacote under it) is imported here, not with this module: the readers of other
  // lockfiles share this module's helpers and need none of it.
  const { default: Arborist } = await import('@npmcli/arborist')
  const arborist = new Arborist({
    ...options.npmOptions,
    path: dir,
    ignoreScripts: true,
    // arborist 10 loads and runs the project's `.npm-extension.{mjs,cjs}` (its transformManifest
    // hook) when building an ideal or actual tree; npm maps ignore-scripts to this, arborist does not.
    ignoreExtension: true,
    allowGit: 'none',
    allowRemote: 'none',
    allowDirectory: 'none',
    audit: false,
    fund: false,
  })
  if (mode === 'virtual') return arborist.loadVirtual()
  if (mode === 'actual') return arborist.loadActual({ forceActual: true })
  return arborist.buildIdealTree({ complete: false })
}

/**
 * Every dependency of the tree as a package to scan; the project root and workspaces are not
 * included. With `fromDisk` (an installed node_modules) each package is read from its folder:
 * the installed copy is what would run, whatever the registry holds.
 */
export function packagesOfTree(tree: Tree, options: { fromDisk?: boolean; lineOf?: (location: string) => number | undefined } = {}): PackageRef[] {
  const refs: PackageRef[] = []
  const paths = shortestPaths(tree)
  const described = (ref: PackageRef, node: Node): PackageRef => {
    const path = paths.get(node)
    const line = options.lineOf?.(node.location)
    return { ...ref, ...(path && { path }), ...(line !== undefined && { lockfileLine: line }) }
  }
  for (const node of tree.inventory.values()) {
    if (node.isProjectRoot || node === tree) continue
    if (node.isLink) {
      const target = node.target
      if (!target || target.isWorkspace || isInside(target.path, tree.path)) continue // workspaces belong to the project
      refs.push(described(refOf(node, 'link', target.path), node))
      continue
    }
    if (node.isWorkspace || (node.location && !node.location.includes('node_modules'))) continue
    const ref = refOf(node, sourceOf(node.resolved, node.version))
    if (options.fromDisk) ref.directory = node.path
    refs.push(described(ref, node))
  }
  return refs
}

/** The shortest chain of package names from the root (or a workspace) to every node (breadth-first). */
function shortestPaths(tree: Tree): Map<Node, string[]> {
  const paths = new Map<Node, string[]>([[tree, []]])
  const queue: Node[] = [tree]
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!
    const here = paths.get(node)!
    for (const edge of node.edgesOut.values()) {
      const to = edge.to
      if (!to || paths.has(to)) continue
      const path = to.isWorkspace || (to.isLink && to.target?.isWorkspace) ? [] : [...here, trustedName(to)]
      paths.set(to, path)
      queue.push(to)
      if (to.isLink && to.target && !paths.has(to.target)) {
        paths.set(to.target, path)
        queue.push(to.target)
      }
    }
  }
  return paths
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`)
}

function refOf(node: Node, source: PackageSource, directory?: string): PackageRef {
  const name = trustedName(node)
  const version = node.version || ''
  const registryUrl = source === 'registry' && node.resolved ? node.resolved : undefined
  const spec = source === 'registry' ? `${name}@${version}` : (node.resolved ?? `${name}@${version}`)
  return {
    name,
    version,
    spec,
    ...(registryUrl && { resolved: registryUrl }),
    ...(!registryUrl && node.resolved && { resolved: node.resolved }),
    ...(node.integrity && { integrity: node.integrity }),
    source,
    location: node.location,
    dev: Boolean(node.dev),
    optional: Boolean(node.optional || node.devOptional && !node.dev),
    ...(directory && { directory }),
  }
}

/**
 * The package's real name: from a registry tarball URL (`/<name>/-/<base>-<version>.tgz`), else the
 * lockfile's package name, else the install folder. npm aliases resolve to the real package.
 */
export function trustedName(node: Node): string {
  const fromUrl = node.resolved ? nameFromTarballUrl(node.resolved) : undefined
  if (fromUrl) return fromUrl
  if (node.packageName && typeof node.packageName === 'string') return node.packageName
  return node.name
}

export function nameFromTarballUrl(url: string): string | undefined {
  const path = registryTarballPath(url)
  if (!path) return undefined
  const segments = path.slice(0, path.lastIndexOf('/-/')).split('/')
  const last = safeDecode(segments[segments.length - 1] ?? '')
  if (!last) return undefined
  if (last.startsWith('@') && last.includes('/')) return last // @scope%2fname
  const previous = segments[segments.length - 2]
  return previous?.startsWith('@') ? `${safeDecode(previous)}/${last}` : last
}

/** The path of a registry-shaped tarball URL (`…/<name>/-/<file>.tgz`), else undefined. */
function registryTarballPath(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined
  const path = parsed.pathname
  return path.includes('/-/') && path.endsWith('.tgz') ? path : undefined
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Classifies a lockfile `resolved` value; a registry entry may have none (omit-lockfile-registry-resolved). */
export function sourceOf(resolved: string | null | undefined, version: string): PackageSource {
  if (!resolved) return version ? 'registry' : 'git'
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(resolved)) return 'git'
  if (resolved.startsWith('file:')) return /\.(?:tgz|tar\.gz|tar)$/.test(resolved) ? 'file' : 'directory'
  if (/^https?:\/\//.test(resolved)) return registryTarballPath(resolved) ? 'registry' : 'remote'
  return resolved.includes('/') && !resolved.includes(':') ? 'git' : 'remote' // user/repo shorthand
}
