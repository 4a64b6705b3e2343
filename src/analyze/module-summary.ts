/**
 * What the data-flow analysis of one file of a package tells the files that import it: which of
 * its exports carry sensitive values (an exported function that returns `{ ...process.env }`, an
 * exported wallet file's content) and which exported functions hand their arguments to a sink (a
 * request, a child process, eval, a file write or read).
 *
 * The engine analyses a package's files in dependency order (entry-kinds.ts `dependencyOrder`), so
 * a file's summary is recorded before the files that import it are analysed; import cycles are cut
 * where they close (the summary is missing there and calls fall back to the generic model). Only
 * summaries are kept, never ASTs, and each is bounded.
 */
import { posix } from 'node:path'
import type { PackageView } from '../types.ts'
import { resolveIn } from './entry-kinds.ts'
import type { UrlParts } from './sensitive-paths.ts'

/** A place in a file of the package, for messages that link the two ends of a cross-file flow. */
export interface Site {
  file: string
  line?: number
  column?: number
  snippet?: string
}

/** A sink that an exported function hands its arguments to, in its own file or further down. */
export interface SinkSummary {
  kind: 'network' | 'exec' | 'write' | 'read'
  api: string
  site: Site
  /** The exported functions from the export to the sink: `upload() in lib/a.js → post() in lib/b.js`. */
  via: string
  /** Files crossed to reach the sink (1 for a sink in the exporting file). */
  depth: number
  /** The argument that is the sink's operand (URL, command or code, path) when it is passed straight through. */
  operand?: number
  /** Only members of the arguments reach the sink (`opts.body`), not the arguments themselves. */
  partial?: boolean
  /** The sink runs a file that the function wrote its arguments to (`writeFileSync(f, code); require(f)`). */
  writtenFile?: boolean
  urlText?: string
  url?: UrlParts
  dns?: boolean
  family?: 'eval' | 'process' | 'require'
  text?: string
  options?: { detached: boolean; stdioIgnored: boolean; windowsHide: boolean; unref: boolean }
  pathText?: string
}

export interface ExportSummary {
  /** Labels (flow.ts `L`) of the exported value itself; 0 for a function. */
  value: number
  /** For a function: labels of what a call returns; `L.PARAM` when it passes its arguments through. */
  returns: number
  fn: boolean
  /** The value's static text (a path, a URL) as far as it folds, for values that are not functions. */
  text?: string
  /** Where the sensitive labels of `value` / `returns` come from. */
  source?: { site: Site; via: string; depth: number }
  sinks: SinkSummary[]
}

export interface ModuleSummary {
  /** By export name: `''` for `module.exports` itself, `default`, `name`, `name.member` for object members. */
  exports: Map<string, ExportSummary>
  /**
   * Some export carries stolen data, host identities or sensitive paths, or reaches a sink: a file
   * that imports it is analysed even when it has no source or sink of its own.
   */
  strong: boolean
}

/** Bounds: exports per module, sinks per export, files crossed by one chain, text lengths. */
export const SUMMARY_LIMITS = { exports: 200, sinks: 6, depth: 8, text: 500, via: 300 } as const

const stores = new WeakMap<PackageView, Map<string, ModuleSummary>>()

/** Records what a file exports (only summaries that carry something: most files export nothing sensitive). */
export function recordSummary(pkg: PackageView, path: string, summary: ModuleSummary): void {
  let store = stores.get(pkg)
  if (!store) stores.set(pkg, (store = new Map()))
  store.set(path, summary)
}

/** Whether any file of the package has a summary yet (a cheap test before looking at imports). */
export function hasSummaries(pkg: PackageView): boolean {
  return (stores.get(pkg)?.size ?? 0) > 0
}

/** The summary of the package file that `spec` (a relative specifier) names from `fromPath`. */
export function importedModule(pkg: PackageView, fromPath: string, spec: string): { path: string; summary: ModuleSummary } | undefined {
  const store = stores.get(pkg)
  if (!store || !isRelative(spec)) return undefined
  const path = resolveIn(posix.dirname(fromPath), spec, pkg.files)
  const summary = path === undefined ? undefined : store.get(path)
  return summary && path !== undefined ? { path, summary } : undefined
}

export function isRelative(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../')
}

/**
 * The summary of an export by member path. A member that is not an export of its own is a member
 * of a value (`config.PORT` of `module.exports = process.env`): it keeps the value's labels less
 * `wholeOnly` (labels that only the whole object carries).
 */
export function exportOf(summary: ModuleSummary, member: string, wholeOnly: number, depth = 0): ExportSummary | undefined {
  const exact = summary.exports.get(member)
  if (exact) return exact
  if (depth > 8) return undefined
  if (member === '') return summary.exports.get('default') ?? namespaceOf(summary)
  if (member.startsWith('default.')) return exportOf(summary, member.slice('default.'.length), wholeOnly, depth + 1)
  const dot = member.lastIndexOf('.')
  const parent = dot < 0 ? (summary.exports.get('') ?? summary.exports.get('default')) : exportOf(summary, member.slice(0, dot), wholeOnly, depth + 1)
  if (!parent || parent.fn) return undefined
  const value = parent.value & ~wholeOnly
  return value === 0 ? undefined : { value, returns: 0, fn: false, sinks: [], ...(parent.source && { source: parent.source }) }
}

/** The module object of a module with named exports only: the union of their values. */
function namespaceOf(summary: ModuleSummary): ExportSummary | undefined {
  let value = 0
  let source: ExportSummary['source']
  for (const [name, exp] of summary.exports) {
    if (name.includes('.') || exp.fn || exp.value === 0) continue
    value |= exp.value
    source ??= exp.source
  }
  return value === 0 ? undefined : { value, returns: 0, fn: false, sinks: [], ...(source && { source }) }
}

/** `name() in path`, shortened for messages. */
export function hop(name: string, path: string, fn: boolean): string {
  const shown = name === '' || name === 'default' ? 'the default export' : `${name}${fn ? '()' : ''}`
  return `${shown} in ${path}`
}

export function joinVia(first: string, rest: string | undefined): string {
  const text = rest ? `${first} → ${rest}` : first
  return text.length > SUMMARY_LIMITS.via ? `${text.slice(0, SUMMARY_LIMITS.via - 1)}…` : text
}
