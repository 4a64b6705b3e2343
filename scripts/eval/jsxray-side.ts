import { createReadStream } from 'node:fs'
import { AstAnalyser, TsSourceParser, type Warning } from '@nodesecure/js-x-ray'
import pacote from 'pacote'
import { isJsPath } from '../../src/analyze/entry-kinds.ts'
import { safePacoteOptions } from '../../src/fetch/fetch-package.ts'
import { loadRegistryConfig } from '../../src/fetch/npm-config.ts'
import { readTarball, type TarballContents } from '../../src/fetch/tarball-reader.ts'
import type { PackageFile } from '../../src/types.ts'
import { registryRef, type ResolvedLatest } from './tarsier-side.ts'

export interface JsxrayWarning {
  kind: string
  severity: Warning['severity']
  file: string
  line?: number
  value: string | null
}

/** js-x-ray's reading of one package: flagged when any warning is `Critical`. */
export interface JsxrayOutcome {
  /** False when the package could not be read (the error says why). */
  ok: boolean
  error?: string
  flagged: boolean
  /** Any warning of severity `Warning` or `Critical` (a looser level, for context only). */
  anyWarning: boolean
  critical: JsxrayWarning[]
  /** Count of warnings per `kind:severity`. */
  counts: Record<string, number>
  jsFiles: number
  parseErrors: number
  analysisMs: number
}

// A single analyser: js-x-ray keeps no state between files apart from probe configuration.
const analyser = new AstAnalyser()
const tsParser = new TsSourceParser()

/** Analyses a malicious sample's tarball (read in memory by the scanner's reader). */
export async function jsxrayTarballFile(path: string): Promise<JsxrayOutcome> {
  try {
    return analyseFiles((await readTarball(createReadStream(path))).files)
  } catch (error) {
    return failed(error)
  }
}

/** Analyses a registry package, fetched through pacote with the scanner's cache and options. */
export async function jsxrayRegistryPackage(pkg: ResolvedLatest, cacheDir: string): Promise<JsxrayOutcome> {
  const ref = registryRef(pkg)
  const options = safePacoteOptions({ cacheDir, registryConfig: loadRegistryConfig(undefined), allowNonRegistry: false }, ref)
  let contents: TarballContents
  try {
    contents = await pacote.tarball.stream(ref.spec, (stream) => readTarball(stream), options)
  } catch (error) {
    return failed(error)
  }
  return analyseFiles(contents.files)
}

/**
 * Every JS/TS file of the package (the extensions Tarsier analyses, `.d.ts` excluded) through
 * `AstAnalyser.analyse`, as `analyseFile` would do it but from memory: minified detection from
 * the name and the line lengths, the TypeScript parser for TypeScript files, a parse failure
 * as a `parsing-error` warning.
 */
export function analyseFiles(files: ReadonlyMap<string, PackageFile>): JsxrayOutcome {
  const started = performance.now()
  const critical: JsxrayWarning[] = []
  const counts: Record<string, number> = {}
  let jsFiles = 0
  let parseErrors = 0
  let anyWarning = false
  for (const [path, file] of files) {
    if (!isJsPath(path) || !file.content) continue
    jsFiles++
    const text = file.content.toString('utf8')
    let warnings: Warning[]
    try {
      const isTs = /\.[cm]?tsx?$/.test(path)
      warnings = analyser.analyse(text, { location: path, isMinified: path.includes('.min') || isMinifiedCode(text), ...(isTs && { customParser: tsParser }) }).warnings
    } catch (error) {
      parseErrors++
      warnings = [{ kind: 'parsing-error', severity: 'Information', value: (error as Error).message, source: 'JS-X-Ray', location: null, i18n: '' }]
    }
    for (const w of warnings) {
      const key = `${w.kind}:${w.severity}`
      counts[key] = (counts[key] ?? 0) + 1
      if (w.severity !== 'Information') anyWarning = true
      if (w.severity === 'Critical') critical.push({ kind: w.kind, severity: w.severity, file: path, ...(lineOf(w) !== undefined && { line: lineOf(w) }), value: w.value })
    }
  }
  return { ok: true, flagged: critical.length > 0, anyWarning, critical, counts, jsFiles, parseErrors, analysisMs: Math.round(performance.now() - started) }
}

function lineOf(w: Warning): number | undefined {
  const loc = w.location
  if (!loc || !Array.isArray(loc) || loc.length === 0) return undefined
  const first = Array.isArray(loc[0]) && Array.isArray(loc[0][0]) ? loc[0][0] : loc[0]
  return Array.isArray(first) && typeof first[0] === 'number' ? first[0] : undefined
}

function failed(error: unknown): JsxrayOutcome {
  const e = error as Error & { code?: string }
  return { ok: false, error: `${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}`, flagged: false, anyWarning: false, critical: [], counts: {}, jsFiles: 0, parseErrors: 0, analysisMs: 0 }
}

// js-x-ray's own heuristic (from is-minified-code), which its package exports do not expose:
// a file is minified when it has at most one non-empty line or the median line is over 200 chars.
const COMMENT = /\/\*[\s\S]*?\*\/\r?\n?|\/\/.{0,200}?(?:\r?\n|$)/g
function isMinifiedCode(code: string): boolean {
  const lengths = code
    .replace(COMMENT, '')
    .replace(/\r?\n$/, '')
    .split('\n')
    .map((l) => l.length)
    .filter((n) => n > 0)
    .sort((a, b) => a - b)
  if (lengths.length <= 1) return true
  const half = Math.floor(lengths.length / 2)
  const median = lengths.length % 2 ? lengths[half]! : (lengths[half - 1]! + lengths[half]!) / 2
  return median > 200
}
