import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser'
import type * as t from '@babel/types'

export type ParseResult = { ok: true; ast: t.File } | { ok: false; error: string }

type SourceType = 'module' | 'script' | 'commonjs' | 'unambiguous'

const JS_PLUGINS: ParserPlugin[] = ['jsx', ['flow', { all: false }], 'decorators-legacy']
const TS_PLUGINS: ParserPlugin[] = ['typescript', 'decorators-legacy']
const TSX_PLUGINS: ParserPlugin[] = ['typescript', 'jsx', 'decorators-legacy']

/** Plugin sets to try in order: the one the extension implies, then the others, then none. */
function pluginLadder(path: string): ParserPlugin[][] {
  if (/\.d\.[cm]?ts$/.test(path)) return [[['typescript', { dts: true }]], TS_PLUGINS]
  if (/\.[cm]?ts$/.test(path)) return [TS_PLUGINS, TSX_PLUGINS, []]
  if (/\.tsx$/.test(path)) return [TSX_PLUGINS, TS_PLUGINS]
  return [JS_PLUGINS, TSX_PLUGINS, ['decorators-legacy'], []]
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
  const primary = sourceTypeFor(path, packageType)
  const sourceTypes: SourceType[] = primary === 'script' ? ['script'] : [primary, 'script']
  let firstError: string | undefined
  for (const sourceType of sourceTypes) {
    for (const plugins of pluginLadder(path)) {
      try {
        return { ok: true, ast: parse(text, optionsFor(sourceType, plugins)) as unknown as t.File }
      } catch (error) {
        firstError ??= describeError(error)
      }
    }
  }
  return { ok: false, error: firstError ?? 'unknown parser error' }
}

function describeError(error: unknown): string {
  if (error instanceof RangeError) return `parser gave up: ${error.message}`
  if (error instanceof Error) return error.message
  return String(error)
}
