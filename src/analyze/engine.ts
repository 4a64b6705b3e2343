import type * as t from '@babel/types'
import type {
  EntryKind,
  FetchFailure,
  Finding,
  Manifest,
  ModuleRef,
  PackageFile,
  PackageRef,
  PackageView,
  ReportDescriptor,
  Rule,
  RuleContext,
  RuleListeners,
  RunTrigger,
  SourceFileView,
  TarballAnomaly,
} from '../types.ts'
import { BindingTable } from './bindings.ts'
import { analyzeEntries, dependencyOrder, isJsPath } from './entry-kinds.ts'
import { moduleOf } from './modules.ts'
import { parseSource } from './parse.ts'
import { analyzeProjectRuns, type ProjectRuns } from './project/runs.ts'
import { isEverydayTrigger } from './project/triggers.ts'
import { SourceTexts } from './source-texts.ts'
import { staticValue } from './static-value.ts'
import { walk } from './walk.ts'

/** Files above this size are not parsed; lexical listeners still see them and `unparsed-file` says why. */
export const MAX_PARSE_BYTES = 16 * 1024 * 1024

export interface PackageInput {
  ref: PackageRef
  /** The `content` of each JavaScript source is dropped once that file's analysis is done (SourceTexts.release). */
  files: ReadonlyMap<string, PackageFile>
  /** Problems found while reading the tarball (links, traversal, limits). */
  anomalies?: TarballAnomaly[]
  fetchFailure?: FetchFailure
  /** Called as each source file's analysis starts, so a watchdog can tell which file overran. */
  onFileStart?: (path: string) => void
  /**
   * Files whose earlier analysis exceeded the time or memory budget: `parse` skips the parser
   * (text listeners still run), `all` hides the text as well. The reason becomes the parse error.
   */
  skipFiles?: ReadonlyMap<string, { level: 'parse' | 'all'; reason: string }>
}

export interface PackageAnalysis {
  findings: Finding[]
  /** Rule crashes and similar: the analysis went on, but the report should say so. */
  errors: string[]
  jsFiles: number
  manifest?: Manifest
}

interface FileState {
  view: SourceFileView
  lines: string[] | undefined
  bindings: BindingTable
  ancestors: readonly t.Node[]
}

/**
 * Runs every rule over one package: the manifest listeners once, then for each JS file the text
 * listeners and, when it parses, all AST listeners in a single walk.
 */
export function analyzePackage(input: PackageInput, rules: readonly Rule[]): PackageAnalysis {
  const findings: Finding[] = []
  const errors: string[] = []
  const manifest = readManifest(input.files)

  const texts = new SourceTexts(input.files, isJsPath, decodeText)
  const entries = analyzeEntries(manifest, texts)
  // The project being scanned (not a dependency): what runs on which ordinary action of a developer.
  const project = input.ref.source === 'root' ? analyzeProjectRuns(input.files, texts) : undefined
  for (const path of project?.scriptSources ?? []) {
    const content = input.files.get(path)?.content
    if (content) texts.add(path, decodeText(content))
  }

  const view: PackageView = {
    ref: input.ref,
    manifest,
    files: input.files,
    entryKinds: entries.kinds,
    installScriptsOf: (path) => entries.installScriptsOf.get(path) ?? [],
    anomalies: input.anomalies ?? [],
    ...(input.fetchFailure && { fetchFailure: input.fetchFailure }),
    ...(project && { project: { runs: project.runs, commands: project.commands } }),
  }

  let state: FileState | undefined
  const emptyBindings = new BindingTable()
  const contexts = rules.map((rule) => makeContext(rule, view, () => state, emptyBindings, findings, project))
  const listeners: RuleListeners[] = []
  rules.forEach((rule, i) => {
    try {
      listeners.push(rule.create(contexts[i]!))
    } catch (error) {
      errors.push(`rule ${rule.meta.id} failed to start: ${message(error)}`)
      listeners.push({})
    }
  })
  const guarded = (ruleIndex: number, fn: () => void) => {
    try {
      fn()
    } catch (error) {
      errors.push(`rule ${rules[ruleIndex]!.meta.id} failed${state ? ` on ${state.view.path}` : ''}: ${message(error)}`)
    }
  }

  listeners.forEach((l, i) => l.manifest && guarded(i, () => l.manifest!(contexts[i]!)))

  // Index AST listeners by node type once per package.
  const byType = new Map<string, Array<[number, (node: t.Node, ctx: RuleContext) => void]>>()
  listeners.forEach((l, i) => {
    for (const [key, fn] of Object.entries(l)) {
      if (key === 'manifest' || key === 'text' || key === 'Program:exit' || key === 'Package:exit' || typeof fn !== 'function') continue
      const list = byType.get(key) ?? []
      list.push([i, fn as (node: t.Node, ctx: RuleContext) => void])
      byType.set(key, list)
    }
  })

  // Sources without `text`: file texts are decoded when their turn comes (source-texts.ts).
  const sources: Array<{ path: string; inlineCode?: string; entryKind: EntryKind; installScripts: string[]; runs?: RunTrigger }> = []
  const withRuns = (path: string, entryKind: EntryKind) => {
    const runs = project?.runs.get(path)
    return runs ? { entryKind: projectEntryKind(entryKind, runs), runs } : { entryKind }
  }
  for (const path of texts.keys()) {
    sources.push({ path, installScripts: view.installScriptsOf(path), ...withRuns(path, entries.kinds.get(path) ?? 'other') })
  }
  for (const inline of entries.inline) {
    sources.push({ path: inline.path, inlineCode: inline.code, installScripts: [inline.script], ...withRuns(inline.path, 'install') })
  }
  const inlinePaths = new Set(entries.inline.map((i) => i.path))
  for (const inline of project?.inline ?? []) {
    if (inlinePaths.has(inline.path)) continue
    sources.push({ path: inline.path, inlineCode: inline.code, installScripts: [], ...withRuns(inline.path, 'other') })
  }
  const byPath = new Map(sources.map((s) => [s.path, s]))
  const textOf = (path: string): string | undefined => {
    const source = byPath.get(path)
    return source?.inlineCode ?? (source && texts.get(path))
  }
  // Dependencies first, so that the data flow of a file can use what its imports export (flow.ts).
  const ordered = dependencyOrder([...byPath.keys()], textOf, texts).map((path) => byPath.get(path)!)
  const jsFiles = texts.size

  for (const { inlineCode: _, ...source } of ordered) {
    input.onFileStart?.(source.path)
    const skip = input.skipFiles?.get(source.path)
    const fileView: SourceFileView = { ...source, text: skip?.level === 'all' ? '' : (textOf(source.path) ?? '') }
    if (skip) {
      fileView.parseError = skip.reason
    } else if (Buffer.byteLength(fileView.text) > MAX_PARSE_BYTES) {
      fileView.parseError = `file is larger than the ${MAX_PARSE_BYTES / 1024 / 1024} MB parse limit`
    } else {
      const parsed = parseSource(source.path, stripBom(fileView.text), typeof manifest?.type === 'string' ? manifest.type : undefined)
      if (parsed.ok) {
        fileView.ast = parsed.ast
        if (parsed.partial) fileView.parseError = parsed.partial
      } else {
        fileView.parseError = parsed.error
      }
    }
    const bindings = new BindingTable()
    state = { view: fileView, lines: undefined, bindings, ancestors: [] }
    listeners.forEach((l, i) => l.text && guarded(i, () => l.text!(contexts[i]!)))
    if (fileView.ast) {
      const current = state
      try {
        walk(fileView.ast.program, {
          enter(node, ancestors) {
            bindings.collect(node)
            const handlers = byType.get(node.type)
            if (!handlers) return
            current.ancestors = ancestors
            // Inline rather than through `guarded`: this runs for every node, and a closure per call adds up.
            for (let h = 0; h < handlers.length; h++) {
              const [i, fn] = handlers[h]!
              try {
                fn(node, contexts[i]!)
              } catch (error) {
                errors.push(`rule ${rules[i]!.meta.id} failed on ${source.path}: ${message(error)}`)
              }
            }
          },
        })
      } catch (error) {
        errors.push(`walking ${source.path} failed: ${message(error)}`)
      }
      current.ancestors = []
      listeners.forEach((l, i) => l['Program:exit'] && guarded(i, () => l['Program:exit']!(fileView.ast!.program, contexts[i]!)))
    }
    state = undefined
    // Nothing reads a file's text after its turn: findings and the locations kept for
    // `Package:exit` carry their snippets, and module summaries (flow.ts) keep no source text.
    texts.release(source.path)
  }

  listeners.forEach((l, i) => l['Package:exit'] && guarded(i, () => l['Package:exit']!(contexts[i]!)))

  return { findings, errors, jsFiles, ...(manifest && { manifest }) }
}

/**
 * In the project being scanned, code that runs on an ordinary action of the developer who was
 * asked to run it (`npm start`, opening the folder, a git hook, a tool's config) is judged like
 * a dependency's install-time code: it runs before anyone has reviewed it. `runs` says which action.
 */
function projectEntryKind(kind: EntryKind, runs: RunTrigger): EntryKind {
  if (isEverydayTrigger(runs)) return 'install'
  return kind === 'other' ? 'require' : kind
}

function makeContext(
  rule: Rule,
  pkg: PackageView,
  currentState: () => FileState | undefined,
  emptyBindings: BindingTable,
  findings: Finding[],
  project: ProjectRuns | undefined,
): RuleContext {
  const bindings = () => currentState()?.bindings ?? emptyBindings
  return {
    pkg,
    get file() {
      return currentState()?.view
    },
    staticString(node) {
      const value = staticValue(node, bindings())
      return typeof value === 'string' ? value : undefined
    },
    foldString(node) {
      const trace = { computed: false, decoded: false }
      const value = staticValue(node, bindings(), 0, new Set(), trace)
      return typeof value === 'string' ? { value, ...trace } : undefined
    },
    moduleOf(node): ModuleRef | undefined {
      return moduleOf(node, bindings())
    },
    initOf(node) {
      if (node?.type !== 'Identifier') return undefined
      const binding = bindings().get(node.name)
      return binding?.kind === 'value' ? binding.init : undefined
    },
    ancestors() {
      return currentState()?.ancestors ?? []
    },
    report(descriptor: ReportDescriptor) {
      findings.push(toFinding(rule, descriptor, currentState(), project))
    },
  }
}

function toFinding(rule: Rule, d: ReportDescriptor, state: FileState | undefined, project: ProjectRuns | undefined): Finding {
  const loc = d.node?.loc?.start
  const line = d.line ?? loc?.line
  const column = d.column ?? (loc ? loc.column + 1 : undefined)
  const file = d.file ?? state?.view.path
  const runs = d.runs ?? (state && file === state.view.path ? state.view.runs : undefined) ?? (file !== undefined ? project?.runs.get(file) : undefined)
  let snippet = d.snippet
  if (snippet === undefined && state && line !== undefined && file === state.view.path) {
    state.lines ??= state.view.text.split(/\r?\n/)
    snippet = excerpt(state.lines[line - 1] ?? '', column)
  }
  return {
    ruleId: rule.meta.id,
    severity: d.severity ?? rule.meta.severity,
    message: d.message,
    ...(file !== undefined && { file }),
    ...(line !== undefined && { line }),
    ...(column !== undefined && { column }),
    ...(snippet !== undefined && { snippet }),
    ...(d.entryKind ? { entryKind: d.entryKind } : state && file === state.view.path && { entryKind: state.view.entryKind }),
    ...(runs && { runs }),
    ...(d.handoff && { handoff: d.handoff }),
  }
}

const SNIPPET_WIDTH = 160

/** The part of a (possibly minified, megabyte-long) line around a column. */
export function excerpt(line: string, column = 1): string {
  const trimmed = line.trim()
  if (trimmed.length <= SNIPPET_WIDTH) return trimmed
  const start = Math.max(0, column - 1 - SNIPPET_WIDTH / 4)
  const part = line.slice(start, start + SNIPPET_WIDTH)
  return `${start > 0 ? '…' : ''}${part}…`
}

function readManifest(files: ReadonlyMap<string, PackageFile>): Manifest | undefined {
  const content = files.get('package.json')?.content
  if (!content) return undefined
  try {
    const parsed: unknown = JSON.parse(stripBom(content.toString('utf8')))
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Manifest) : undefined
  } catch {
    return undefined
  }
}

/** Decodes a file as UTF-8, or as UTF-16 when it carries a UTF-16 byte-order mark. */
export function decodeText(content: Buffer): string {
  if (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe) return content.subarray(2).toString('utf16le')
  if (content.length >= 2 && content[0] === 0xfe && content[1] === 0xff) {
    const swapped = Buffer.from(content.subarray(2, content.length - (content.length % 2)))
    swapped.swap16()
    return swapped.toString('utf16le')
  }
  return content.toString('utf8')
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
