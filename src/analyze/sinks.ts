import type * as t from '@babel/types'
import type { ModuleRef, RuleContext, SourceFileView } from '../types.ts'
import { GLOBAL_OBJECTS } from './bindings.ts'
import { describeTrigger } from './project/triggers.ts'
import { iocOf, isLocalHost, isPublicIpv4, lookalikeHostOf, oobServiceOf, type UrlParts } from './sensitive-paths.ts'

/** Modules whose calls send data off the machine. */
export const NETWORK_MODULES = new Set([
  'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'dns/promises',
  'axios', 'got', 'request', 'node-fetch', 'undici', 'superagent', 'needle', 'sync-request', 'then-request',
  'phin', 'ws', 'socket.io-client', 'form-data', 'cross-fetch', 'isomorphic-fetch', 'make-fetch-happen',
  'minipass-fetch', 'request-promise', 'request-promise-native', 'ky', 'wretch', 'httpie', 'bent', 'xmlhttprequest',
])

export const CHILD_PROCESS_FUNCTIONS = new Set(['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork'])

const GLOBAL_FETCHERS = new Set(['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'])

/** The module a call's callee belongs to, e.g. `https.request` → { module: 'https', member: 'request' }. */
export function calleeModule(node: t.CallExpression | t.NewExpression | t.OptionalCallExpression, context: RuleContext): ModuleRef | undefined {
  return context.moduleOf(node.callee)
}

/** Whether a call sends a request: a network module's function, or a global like `fetch`. */
export function isNetworkCall(node: t.CallExpression | t.NewExpression | t.OptionalCallExpression, context: RuleContext): boolean {
  const ref = calleeModule(node, context)
  if (ref && NETWORK_MODULES.has(ref.module)) return true
  const callee = node.callee
  if (callee.type === 'Identifier') return GLOBAL_FETCHERS.has(callee.name)
  if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && GLOBAL_FETCHERS.has(callee.property.name)) {
    return callee.object.type === 'Identifier' && GLOBAL_OBJECTS.has(callee.object.name)
  }
  return false
}

/** `process.env` used as a whole (not `process.env.X`), e.g. in `JSON.stringify(process.env)`. */
export function isWholeProcessEnv(node: t.Node, parent: t.Node | undefined): boolean {
  if (node.type !== 'MemberExpression' || node.computed) return false
  if (node.object.type !== 'Identifier' || node.object.name !== 'process') return false
  if (node.property.type !== 'Identifier' || node.property.name !== 'env') return false
  if (!parent) return true
  // process.env.X, process.env[x], and assignment targets read one variable or write, not the whole.
  if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === node) return false
  if (parent.type === 'AssignmentExpression' && parent.left === node) return false
  return true
}

/** Visits every node below `root` (bounded), calling `visit` with the node and its parent. */
export function someDescendant(root: t.Node, visit: (node: t.Node, parent: t.Node | undefined) => boolean, limit = 5000): boolean {
  const stack: Array<[t.Node, t.Node | undefined]> = [[root, undefined]]
  let count = 0
  while (stack.length > 0 && count++ < limit) {
    const [node, parent] = stack.pop()!
    if (visit(node, parent)) return true
    for (const key of Object.keys(node) as Array<keyof t.Node>) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue
      const value = node[key] as unknown
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child === 'object' && typeof (child as t.Node).type === 'string') stack.push([child as t.Node, node])
      } else if (value && typeof value === 'object' && typeof (value as t.Node).type === 'string') {
        stack.push([value as t.Node, node])
      }
    }
  }
  return false
}

// ---------------------------------------------------------------- behaviour-rule helpers


export type DestinationKind = 'ioc' | 'oob' | 'raw-ip' | 'lookalike' | 'local' | 'registry' | 'static' | 'dynamic'

const REGISTRY_HOSTS = /(?:^|\.)(?:npmjs\.org|npmjs\.com|yarnpkg\.com|npmmirror\.com|github\.com|githubusercontent\.com|nodejs\.org)$/

/** What a network destination is, from the folded URL text of a request. */
export function destinationOf(url: UrlParts | undefined): { kind: DestinationKind; detail: string } {
  if (!url || url.host.includes('*') || url.host === '') return { kind: 'dynamic', detail: 'a destination computed at run time' }
  const ioc = iocOf(url)
  if (ioc) return { kind: 'ioc', detail: ioc }
  const oob = oobServiceOf(url.host)
  if (oob) return { kind: 'oob', detail: `${url.host} (${oob}, an out-of-band / request-capture service)` }
  if (isLocalHost(url.host)) return { kind: 'local', detail: url.host }
  if (isPublicIpv4(url.host)) return { kind: 'raw-ip', detail: `the raw IP address ${url.host}${url.port ? `:${url.port}` : ''}` }
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(url.host)) return { kind: 'raw-ip', detail: `the raw IP address ${url.host}${url.port ? `:${url.port}` : ''}` }
  const lookalike = lookalikeHostOf(url.host)
  if (lookalike) return { kind: 'lookalike', detail: lookalike }
  if (REGISTRY_HOSTS.test(url.host)) return { kind: 'registry', detail: url.host }
  return { kind: 'static', detail: url.host }
}

/** Suspicious destinations: where no legitimate library sends host or secret data. */
export function isShadyDestination(kind: DestinationKind): boolean {
  return kind === 'ioc' || kind === 'oob' || kind === 'raw-ip' || kind === 'lookalike'
}

/** Where a finding points, captured while the file is current (for reports made at `Package:exit`). */
export interface Location {
  file: string
  line?: number
  column?: number
  snippet?: string
  entryKind: SourceFileView['entryKind']
  installScripts: string[]
  runs?: SourceFileView['runs']
}

const lineCache = new WeakMap<SourceFileView, string[]>()

export function locate(file: SourceFileView, node: t.Node | undefined): Location {
  const loc = node?.loc?.start
  let snippet: string | undefined
  if (loc) {
    let lines = lineCache.get(file)
    if (!lines) {
      lines = file.text.split(/\r?\n/)
      lineCache.set(file, lines)
    }
    const line = (lines[loc.line - 1] ?? '').trim()
    snippet = line.length <= 160 ? line : `${loc.column > 40 ? '…' : ''}${line.slice(Math.max(0, loc.column - 40), Math.max(0, loc.column - 40) + 160)}…`
  }
  return {
    file: file.path,
    ...(loc && { line: loc.line, column: loc.column + 1 }),
    ...(snippet !== undefined && { snippet }),
    entryKind: file.entryKind,
    installScripts: file.installScripts,
    ...(file.runs && { runs: file.runs }),
  }
}

/**
 * ` It runs at install time (postinstall).`, ` It runs on \`npm run dev\`.` (the project being
 * scanned), or ``.
 */
export function whenRuns(where: { entryKind: SourceFileView['entryKind']; installScripts: string[]; runs?: SourceFileView['runs'] }): string {
  if (where.runs) return ` It runs ${describeTrigger(where.runs)}.`
  if (where.entryKind === 'install') return ` It runs at install time (${where.installScripts.join(', ')}).`
  if (where.entryKind === 'require') return ' It runs when the package is loaded.'
  return ''
}
