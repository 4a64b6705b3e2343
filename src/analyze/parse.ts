import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser'
import type * as t from '@babel/types'

/** `partial` is set when only a prefix of the file parsed: it says where the rest was cut. */
export type ParseResult = { ok: true; ast: t.File; partial?: string } | { ok: false; error: string }

type SourceType = 'module' | 'script' | 'commonjs' | 'unambiguous'

const JS_PLUGINS: ParserPlugin[] = ['jsx', 'decorators-legacy']
// The flow plugin is quadratic on long blank runs in comments (20 K spaces: 1 s; 100 K: 22 s), so
// it is only tried on files that declare themselves Flow.
const FLOW_PLUGINS: ParserPlugin[] = ['jsx', ['flow', { all: false }], 'decorators-legacy']
const TS_PLUGINS: ParserPlugin[] = ['typescript', 'decorators-legacy']
const TSX_PLUGINS: ParserPlugin[] = ['typescript', 'jsx', 'decorators-legacy']

/** Plugin sets to try in order: the one the extension implies, then the others, then none. */
function pluginLadder(path: string, text: string): ParserPlugin[][] {
  if (/\.d\.[cm]?ts$/.test(path)) return [[['typescript', { dts: true }]], TS_PLUGINS]
  if (/\.[cm]?ts$/.test(path)) return [TS_PLUGINS, TSX_PLUGINS, []]
  if (/\.tsx$/.test(path)) return [TSX_PLUGINS, TS_PLUGINS]
  const flow = /@(?:no)?flow\b/.test(text.slice(0, 4096))
  return flow ? [FLOW_PLUGINS, JS_PLUGINS, TSX_PLUGINS, []] : [JS_PLUGINS, TSX_PLUGINS, ['decorators-legacy'], []]
}

function sourceTypeFor(path: string, packageType: string | undefined): SourceType {
  if (/\.m[jt]s$/.test(path)) return 'module'
  if (/\.c[jt]s$/.test(path)) return 'script'
  if (packageType === 'module') return 'module'
  return 'unambiguous'
}

function optionsFor(sourceType: SourceType, plugins: ParserPlugin[]): ParserOptions {
  return {
    sourceType,
    plugins,
    errorRecovery: true,
    attachComment: false,
    allowReturnOutsideFunction: sourceType !== 'module',
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowSuperOutsideMethod: true,
    allowUndeclaredExports: true,
    allowNewTargetOutsideFunction: true,
    allowYieldOutsideFunction: true,
  } as ParserOptions
}

/**
 * Parses a file of a package, trying the plugin sets of its extension in turn, then as a
 * script (code that is not valid as a module, e.g. with `with` or octal escapes).
 */
export function parseSource(path: string, text: string, packageType?: string): ParseResult {
  // A recursive-descent parser spends seconds before overflowing its stack on extreme nesting.
  const depth = bracketDepth(text)
  if (depth > MAX_NESTING) return { ok: false, error: `brackets nest ${depth} levels deep, beyond the ${MAX_NESTING} the parser is given` }
  const full = parseWithLadder(path, text, packageType)
  if (full.ok) return { ok: true, ast: full.ast }
  // Code that stops parsing half-way (a truncated file, syntax Babel rejects but an engine may
  // not) still has its first part read: cut before the failing line, or before the last statement
  // end ahead of the failure on a one-line file, and parse that prefix once.
  const prefix = prefixBefore(text, full.position)
  if (prefix !== undefined) {
    const partial = parseWithLadder(path, prefix.text, packageType)
    if (partial.ok) return { ok: true, ast: partial.ast, partial: `only the part before ${prefix.where} was parsed (${full.error})` }
  }
  return { ok: false, error: full.error }
}

type LadderResult = { ok: true; ast: t.File } | { ok: false; error: string; position?: number }

function parseWithLadder(path: string, text: string, packageType: string | undefined): LadderResult {
  const primary = sourceTypeFor(path, packageType)
  const sourceTypes: SourceType[] = primary === 'script' ? ['script'] : [primary, 'script']
  let firstError: string | undefined
  let position: number | undefined
  for (const sourceType of sourceTypes) {
    for (const plugins of pluginLadder(path, text)) {
      try {
        return { ok: true, ast: parse(text, optionsFor(sourceType, plugins)) as unknown as t.File }
      } catch (error) {
        if (firstError === undefined) {
          firstError = describeError(error)
          const pos = (error as { pos?: unknown }).pos
          if (typeof pos === 'number') position = pos
        }
      }
    }
  }
  return { ok: false, error: firstError ?? 'unknown parser error', ...(position !== undefined && { position }) }
}

function prefixBefore(text: string, position: number | undefined): { text: string; where: string } | undefined {
  if (position === undefined || position <= 0) return undefined
  const lineStart = text.lastIndexOf('\n', position - 1) + 1
  if (lineStart > 0) {
    const line = text.slice(0, lineStart).split('\n').length
    return { text: text.slice(0, lineStart), where: `line ${line}` }
  }
  const end = Math.max(text.lastIndexOf(';', position - 1), text.lastIndexOf('}', position - 1))
  return end > 0 ? { text: text.slice(0, end + 1), where: `column ${end + 2}` } : undefined
}

/** Deeper than any code a person or a bundler writes; attackers nest far deeper to crash parsers. */
export const MAX_NESTING = 5000

/** Maximum depth of (, [ and { in the text, strings and comments included: an upper bound, cheap. */
function bracketDepth(text: string): number {
  let depth = 0
  let max = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--
    }
  }
  return max
}

function describeError(error: unknown): string {
  if (error instanceof RangeError) return `parser gave up: ${error.message}`
  if (error instanceof Error) return error.message
  return String(error)
}
