import { posix } from 'node:path'
import type { EntryKind, Manifest } from '../types.ts'

/** Lifecycle scripts that npm runs when a package is installed (prepare: for git and local deps). */
export const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'] as const

export const JS_EXTENSIONS = ['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx']

export function isJsPath(path: string): boolean {
  return JS_EXTENSIONS.some((ext) => path.endsWith(ext)) && !/\.d\.[cm]?ts$/.test(path)
}

/** Inline code run by an install script (`node -e '…'`), analysed as a file of its own. */
export interface InlineScript {
  path: string
  code: string
  script: string
}

export interface EntryAnalysis {
  kinds: Map<string, EntryKind>
  installScriptsOf: Map<string, string[]>
  inline: InlineScript[]
}

/**
 * Marks which files run at install time (reached from an install script, through `node file`,
 * `node -e`, `npm run` and relative `require`/`import`) and which run when the package is
 * required (the `main`/`exports`/`bin` graph). Everything else is `other`.
 */
export function analyzeEntries(manifest: Manifest | undefined, texts: ReadonlyMap<string, string>): EntryAnalysis {
  const kinds = new Map<string, EntryKind>()
  const installScriptsOf = new Map<string, string[]>()
  const inline: InlineScript[] = []
  const scripts = manifest?.scripts && typeof manifest.scripts === 'object' ? manifest.scripts : {}

  for (const scriptName of INSTALL_SCRIPTS) {
    const command = scripts[scriptName]
    if (typeof command !== 'string') continue
    const { files: named, inlineCode } = filesRunBy(command, scripts)
    // `node .` (and `node ./`) runs the package's own main entry
    const files = named.map((f) => (f === '.' || f === '' ? mainEntry(manifest, texts) ?? 'index.js' : f))
    inlineCode.forEach((code, i) => inline.push({ path: `package.json#scripts.${scriptName}${i ? `.${i}` : ''}`, code, script: scriptName }))
    for (const file of reachable(files, texts)) {
      kinds.set(file, 'install')
      const list = installScriptsOf.get(file) ?? []
      list.push(scriptName)
      installScriptsOf.set(file, list)
    }
  }
  for (const item of inline) {
    for (const file of reachable(relativeImports(item.code).map((s) => resolveIn('', s, texts)).filter(isString), texts)) {
      kinds.set(file, 'install')
      installScriptsOf.set(file, [...(installScriptsOf.get(file) ?? []), item.script])
    }
  }

  for (const file of reachable(requireEntries(manifest, texts), texts)) {
    if (!kinds.has(file)) kinds.set(file, 'require')
  }
  for (const path of texts.keys()) if (!kinds.has(path)) kinds.set(path, 'other')
  return { kinds, installScriptsOf, inline }
}

function isString(v: string | undefined): v is string {
  return typeof v === 'string'
}

/** Programs that set variables, then run the rest of the command line. */
const ENV_PREFIXES = new Set(['env', 'cross-env', 'cross-env-shell'])

/** Files (package paths) and inline code that a script command runs. */
export function filesRunBy(command: string, scripts: Record<string, string>, depth = 0): { files: string[]; inlineCode: string[] } {
  const files: string[] = []
  const inlineCode: string[] = []
  if (depth > 5) return { files, inlineCode }
  for (const segment of commandSegments(command)) {
    const words = shellWords(segment)
    let i = 0
    // FOO=bar node x.js, env FOO=bar node x.js, cross-env FOO=bar node x.js
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || ENV_PREFIXES.has(posix.basename(words[i]!)))) i++
    const program = words[i]
    if (!program) continue
    const base = posix.basename(program)
    if (base === 'node' || base === 'nodejs' || base === 'bun' || base === 'tsx' || base === 'ts-node') {
      for (let j = i + 1; j < words.length; j++) {
        const word = words[j]!
        if (word === '-e' || word === '--eval' || word === '-p' || word === '--print') {
          if (words[j + 1] !== undefined) inlineCode.push(words[j + 1]!)
          break
        }
        if (word === '-r' || word === '--require' || word === '--import') {
          if (words[j + 1]) files.push(normalize(words[j + 1]!))
          j++
          continue
        }
        if (word.startsWith('-')) continue
        files.push(normalize(word))
        break
      }
    } else if (base === 'npm' || base === 'yarn' || base === 'pnpm') {
      // npm run x, npm run-script x, and the yarn / pnpm shorthand `yarn x`
      const name = words[i + 1] === 'run' || words[i + 1] === 'run-script' ? words[i + 2] : base !== 'npm' ? words[i + 1] : undefined
      const next = name === undefined ? undefined : scripts[name]
      if (typeof next === 'string') {
        const inner = filesRunBy(next, scripts, depth + 1)
        files.push(...inner.files)
        inlineCode.push(...inner.inlineCode)
      }
    } else if (/\.[cm]?js$/.test(program)) {
      files.push(normalize(program)) // ./install.js with a shebang
    }
  }
  return { files, inlineCode }
}

/**
 * Splits a command line into the simple commands of its `&&`, `||`, `;`, `|` and `&` lists,
 * leaving quoted text whole: `node -e "a(); b | c"` is one segment.
 */
export function commandSegments(command: string): string[] {
  const segments: string[] = []
  let start = 0
  let quote: '"' | "'" | undefined
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!
    if (quote) {
      if (ch === quote) quote = undefined
      else if (ch === '\\' && quote === '"') i++
    } else if (ch === '"' || ch === "'") {
      quote = ch
    } else if (ch === '\\') {
      i++
    } else if (ch === ';' || ch === '|' || ch === '&' || ch === '\n') {
      segments.push(command.slice(start, i))
      if ((ch === '|' || ch === '&') && command[i + 1] === ch) i++
      start = i + 1
    }
  }
  segments.push(command.slice(start))
  return segments
}

/** Splits a shell command into words, honouring single and double quotes. */
export function shellWords(command: string): string[] {
  const words: string[] = []
  let current = ''
  let quote: '"' | "'" | undefined
  let inWord = false
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!
    if (quote) {
      if (ch === quote) quote = undefined
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) current += command[++i]
      else current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current)
      current = ''
      inWord = false
    } else {
      current += ch
      inWord = true
    }
  }
  if (inWord) words.push(current)
  return words
}

function normalize(path: string): string {
  return posix.normalize(path.replace(/^\.\//, '')).replace(/^\.\//, '')
}

function mainEntry(manifest: Manifest | undefined, texts: ReadonlyMap<string, string>): string | undefined {
  const main = typeof manifest?.main === 'string' ? manifest.main : 'index.js'
  return resolveIn('', main.startsWith('.') ? main : `./${main}`, texts)
}

/** Entry files when the package is required or its binaries are run. */
function requireEntries(manifest: Manifest | undefined, texts: ReadonlyMap<string, string>): string[] {
  const entries: string[] = []
  const add = (p: unknown) => {
    if (typeof p !== 'string') return
    const resolved = resolveIn('', p.startsWith('.') ? p : `./${p}`, texts)
    if (resolved) entries.push(resolved)
  }
  add(manifest?.main ?? 'index.js')
  if (typeof manifest?.bin === 'string') add(manifest.bin)
  else if (manifest?.bin && typeof manifest.bin === 'object') Object.values(manifest.bin).forEach(add)
  collectStrings(manifest?.exports, add, 0)
  if (typeof manifest?.module === 'string') add(manifest.module)
  if (typeof manifest?.browser === 'string') add(manifest.browser)
  return entries
}

function collectStrings(value: unknown, add: (p: string) => void, depth: number): void {
  if (depth > 10) return
  if (typeof value === 'string') add(value)
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, add, depth + 1))
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectStrings(v, add, depth + 1))
}

/** All files reachable from the given ones through relative require/import. */
function reachable(start: string[], texts: ReadonlyMap<string, string>): Set<string> {
  const seen = new Set<string>()
  const queue = start.map((f) => (texts.has(f) ? f : resolveIn('', `./${f}`, texts))).filter(isString)
  while (queue.length > 0) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const text = texts.get(file)
    if (text === undefined) continue
    for (const spec of relativeImports(text)) {
      const target = resolveIn(posix.dirname(file), spec, texts)
      if (target && !seen.has(target)) queue.push(target)
    }
  }
  return seen
}

// Linear-time patterns: a quoted specifier that starts with a dot, after require( / import( / from.
const IMPORT_PATTERN = /(?:require\s*\(\s*|import\s*\(\s*|\bfrom\s*|\bimport\s+)(['"`])(\.{1,2}\/[^'"`\n]{0,300}|\.{1,2})\1/g

export function relativeImports(text: string): string[] {
  const out: string[] = []
  for (const match of text.matchAll(IMPORT_PATTERN)) out.push(match[2]!)
  return out
}

const RESOLVE_SUFFIXES = ['', '.js', '.cjs', '.mjs', '.ts', '.json', '/index.js', '/index.cjs', '/index.mjs', '/index.ts']

/** Resolves a relative specifier the way Node would, against the package's file list. */
export function resolveIn(dir: string, spec: string, texts: { has(path: string): boolean }): string | undefined {
  const joined = posix.normalize(posix.join(dir, spec))
  if (joined.startsWith('..')) return undefined
  const base = joined === '.' ? '' : joined.replace(/\/$/, '')
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base === '' ? suffix.replace(/^\//, '') : base + suffix
    if (candidate && texts.has(candidate)) return candidate
  }
  return undefined
}

/** Relative imports followed per file when ordering files (a hostile file may list millions). */
const MAX_IMPORTS_PER_FILE = 500

/**
 * The given files ordered so that each comes after the package files it requires or imports
 * (a depth-first post-order; cycles are cut where they close), otherwise in the given order:
 * analysing in this order lets a file use what its dependencies' analysis found.
 */
export function dependencyOrder(paths: readonly string[], textOf: (path: string) => string | undefined, files: { has(path: string): boolean }): string[] {
  const wanted = new Set(paths)
  const done = new Set<string>()
  const order: string[] = []
  const importsOf = (path: string): string[] => {
    const text = textOf(path)
    if (text === undefined) return []
    const dir = posix.dirname(path)
    const out: string[] = []
    for (const spec of relativeImports(text)) {
      if (out.length >= MAX_IMPORTS_PER_FILE) break
      const target = resolveIn(dir, spec, files)
      if (target !== undefined && target !== path && wanted.has(target)) out.push(target)
    }
    return out
  }
  for (const root of paths) {
    if (done.has(root)) continue
    // Explicit stack of [file, its imports, next index]: no recursion on deep import chains.
    const stack: Array<[string, string[], number]> = [[root, importsOf(root), 0]]
    const onStack = new Set([root])
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const next = top[1][top[2]++]
      if (next === undefined) {
        stack.pop()
        onStack.delete(top[0])
        if (!done.has(top[0])) {
          done.add(top[0])
          order.push(top[0])
        }
      } else if (!done.has(next) && !onStack.has(next)) {
        onStack.add(next)
        stack.push([next, importsOf(next), 0])
      }
    }
  }
  return order
}
