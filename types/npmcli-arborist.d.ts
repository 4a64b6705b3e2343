// The narrow surface of @npmcli/arborist 10 that Tarsier uses (the DefinitelyTyped types are for v6).
declare module '@npmcli/arborist' {
  export interface Node {
    name: string
    packageName: string
    version: string
    location: string
    path: string
    realpath: string
    resolved: string | null
    integrity: string | null
    dev: boolean
    optional: boolean
    devOptional: boolean
    peer: boolean
    extraneous: boolean
    inBundle: boolean
    isLink: boolean
    isRoot: boolean
    isProjectRoot: boolean
    isWorkspace: boolean
    hasInstallScript: boolean
    target: Node | null
    package: Record<string, unknown>
    errors: Error[]
    children: Map<string, Node>
    fsChildren: Set<Node>
    edgesOut: Map<string, Edge>
  }
  export interface Edge {
    name: string
    type: 'prod' | 'dev' | 'optional' | 'peer' | 'peerOptional' | 'workspace'
    to: Node | null
  }
  export interface Tree extends Node {
    inventory: Map<string, Node> & { values(): IterableIterator<Node> }
    meta?: { originalLockfileVersion?: number; ancientLockfile?: boolean; loadedFromDisk?: boolean }
  }
  export default class Arborist {
    constructor(options: Record<string, unknown>)
    loadVirtual(options?: Record<string, unknown>): Promise<Tree>
    loadActual(options?: Record<string, unknown>): Promise<Tree>
    buildIdealTree(options?: Record<string, unknown>): Promise<Tree>
  }
}
