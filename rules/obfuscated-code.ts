import type * as t from '@babel/types'
import { NETWORK_MODULES, whenRuns } from '../src/analyze/sinks.ts'
import { hasRun } from '../src/analyze/text-runs.ts'
import { defineRule, type RuleContext, type Severity, type SourceFileView } from '../src/types.ts'

/** obfuscator.io's identifier names: `_0x1a2b3c`, and `a0_0x1a2b` for the string-array function. */
const HEX_NAME = /^(?:[a-z]\d{0,2}_)?_0x[0-9a-f]{4,8}$/
/** Modules whose use makes obfuscated code more than a curiosity. */
const DANGEROUS_MODULES = new Set(['child_process', 'vm', 'net', 'tls', 'dgram', 'dns', 'dns/promises', 'http', 'https', 'http2', 'module', 'worker_threads', ...NETWORK_MODULES])
/** Decoded strings worth quoting: modules, URLs, commands, credential paths. */
const INTERESTING = /^(?:child_process|vm|net|https?|dns|os|fs|axios|request|node-fetch|socket\.io-client)$|:\/\/|\b(?:curl|wget|powershell|bash|exec|spawn|eval|homedir|hostname|userInfo|\.ssh|\.npmrc|Local Extension Settings|Login Data|wallet)\b/i
const PACKER = /eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)/

interface Stats {
  candidate: boolean
  identifiers: number
  hexNodes: number
  hexNames: Set<string>
  notArrays: number
  rotations: number
  checksums: number
  whileTrue: number
  lookups: t.CallExpression[]
  dangerous: Set<string>
  evals: number
}

/**
 * Code run through an obfuscator: obfuscator.io / javascript-obfuscator (hexadecimal names, a
 * rotated string array behind a decoder function), JSFuck, jjencode, aaencode, Dean Edwards'
 * packer, and an install-time or entry file squeezed onto one huge line in a tiny package.
 * A signal, not a verdict: it raises the stakes of whatever else the file does.
 */
export default defineRule({
  meta: {
    id: 'obfuscated-code',
    severity: 'medium',
    description: 'Code run through an obfuscator (obfuscator.io, JSFuck, jjencode, aaencode, packer)',
    docs: 'rules/obfuscated-code.md',
  },
  create(context) {
    let s = fresh(false)
    const jsFiles = [...context.pkg.files.keys()].filter((p) => /\.[cm]?js$/.test(p)).length

    const report = (ctx: RuleContext, kind: string, detail: string, severity: Severity, node?: t.Node) => {
      const file = ctx.file!
      context.report({ ...(node ? { node } : { line: 1 }), severity, message: `${kind}: ${detail}.${whenRuns(file)}` })
    }

    return {
      text(ctx) {
        const file = ctx.file
        if (!file) return
        const text = file.text
        s = fresh(text.includes('_0x') || text.includes('![]'))
        const encoder = encoderOf(text)
        if (encoder) {
          report(ctx, `${encoder.name}-encoded code`, encoder.detail, file.entryKind === 'other' ? 'medium' : 'high')
        }
        if (!file.ast) {
          // Unparsed: count obfuscator.io names lexically.
          const names = countHexNames(text)
          if (names >= 20) report(ctx, 'obfuscator.io-style code', `${names} \`_0x…\` identifiers in a file the parser could not read`, file.entryKind === 'install' ? 'high' : 'medium')
        }
        const single = singleLine(file, jsFiles)
        if (single) report(ctx, 'Minified payload', single, file.entryKind === 'install' ? 'medium' : 'low')
      },
      Identifier(node) {
        if (!s.candidate) return
        s.identifiers++
        if (node.name.length >= 6 && node.name.length <= 14 && HEX_NAME.test(node.name)) {
          s.hexNodes++
          if (s.hexNames.size < 100_000) s.hexNames.add(node.name)
        }
      },
      UnaryExpression(node) {
        // ![] and !![]: obfuscator.io's false and true (minifiers write !1 and !0)
        if (s.candidate && node.operator === '!' && node.argument.type === 'ArrayExpression' && node.argument.elements.length === 0) s.notArrays++
      },
      WhileStatement(node) {
        if (!s.candidate) return
        const test = node.test
        if (test.type === 'UnaryExpression' && test.operator === '!' && test.argument.type === 'UnaryExpression' && test.argument.argument.type === 'ArrayExpression') s.whileTrue++
      },
      CallExpression(node, ctx) {
        if (!s.candidate) return
        const callee = node.callee
        const method = memberName(callee)
        // x['push'](x['shift']()): the string-array rotation
        if (method === 'push' && node.arguments.length === 1) {
          const arg = node.arguments[0]!
          if (arg.type === 'CallExpression' && memberName(arg.callee) === 'shift') s.rotations++
        }
        // parseInt(_0x5c3a(0x191)): the rotation's checksum terms
        if (callee.type === 'Identifier' && callee.name === 'parseInt' && node.arguments[0]?.type === 'CallExpression' && isLookup(node.arguments[0])) s.checksums++
        if (isLookup(node) && s.lookups.length < 400) s.lookups.push(node)
        const ref = ctx.moduleOf(node)
        if (ref && DANGEROUS_MODULES.has(ref.module)) s.dangerous.add(ref.module)
        if (callee.type === 'Identifier' && (callee.name === 'eval' || callee.name === 'Function')) s.evals++
      },
      'Program:exit'(program, ctx) {
        const file = ctx.file
        if (!file || !s.candidate) return
        const names = s.hexNames.size
        const byNames = names >= 10 && s.hexNodes >= 0.25 * s.identifiers
        const byShape = s.rotations > 0 && (s.whileTrue > 0 || s.checksums >= 3)
        const byMix = names >= 5 && (s.notArrays >= 3 || s.checksums >= 3 || s.rotations > 0)
        if (!byNames && !byShape && !byMix) return
        const decoded = decodeLookups(s.lookups, ctx)
        for (const d of decoded) if (DANGEROUS_MODULES.has(d)) s.dangerous.add(d)
        const parts: string[] = []
        if (names > 0) parts.push(`${names} \`_0x…\` identifiers`)
        if (s.rotations > 0) parts.push(`a string array rotated by ${s.checksums >= 3 ? 'a checksum loop' : 'an IIFE'}`)
        if (s.notArrays >= 3) parts.push(`${s.notArrays} \`![]\`/\`!![]\` booleans`)
        if (decoded.length > 0) {
          const quoted = decoded.filter((d) => INTERESTING.test(d)).slice(0, 6)
          parts.push(`${decoded.length} strings decoded${quoted.length ? ` (${quoted.map((q) => JSON.stringify(q.slice(0, 60))).join(', ')})` : ''}`)
        }
        const dangerous = [...s.dangerous]
        if (dangerous.length > 0) parts.push(`it loads ${dangerous.slice(0, 5).join(', ')}`)
        if (s.evals > 0) parts.push('it calls eval/Function')
        const severity: Severity = file.entryKind === 'install' || dangerous.length > 0 || s.evals > 0 ? 'high' : 'medium'
        context.report({ node: program, line: 1, column: 1, severity, message: `obfuscator.io-style obfuscation: ${parts.join(', ')}.${whenRuns(file)}` })
      },
    }
  },
})

function fresh(candidate: boolean): Stats {
  return { candidate, identifiers: 0, hexNodes: 0, hexNames: new Set(), notArrays: 0, rotations: 0, checksums: 0, whileTrue: 0, lookups: [], dangerous: new Set(), evals: 0 }
}

function memberName(node: t.Node): string | undefined {
  if (node.type !== 'MemberExpression') return undefined
  if (!node.computed && node.property.type === 'Identifier') return node.property.name
  if (node.property.type === 'StringLiteral') return node.property.value
  return undefined
}

/** `_0x5c3a(0x191)` / `_0x5c3a(0x191, 'key')`: a string-array lookup with a literal index. */
function isLookup(node: t.CallExpression): boolean {
  const [first, second] = node.arguments
  return node.callee.type === 'Identifier' && node.arguments.length <= 2 && first?.type === 'NumericLiteral' && (second === undefined || second.type === 'StringLiteral' || second.type === 'NumericLiteral')
}

/** The distinct strings the file's string-array lookups decode to (bounded). */
function decodeLookups(lookups: t.CallExpression[], ctx: RuleContext): string[] {
  const out = new Set<string>()
  let failures = 0
  for (const call of lookups) {
    const value = ctx.staticString(call)
    if (value === undefined) {
      if (++failures > 20 && out.size === 0) break
      continue
    }
    out.add(value)
    if (out.size >= 300) break
  }
  return [...out]
}

function countHexNames(text: string): number {
  const names = new Set<string>()
  for (const m of text.matchAll(/\b_0x[0-9a-f]{4,8}\b/g)) {
    names.add(m[0])
    if (names.size >= 1000) break
  }
  return names.size
}

/** JSFuck, jjencode, aaencode or packer output in a file's text (linear scans). */
export function encoderOf(text: string): { name: string; detail: string } | undefined {
  // JSFuck: only []()!+ ; jjencode: only $ _ and punctuation, no letters or digits. Both need 256
  // symbols in a row (JSFuck's alphabet is among them): the loop below runs only where there is such a run.
  if (!hasRun(text, 256, isSymbol)) return textEncoderOf(text)
  let run = 0
  let jsfuckRun = 0
  let dollars = 0
  let underscores = 0
  let seen = 0
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0
    // JSFuck alphabet: [ ] ( ) ! +
    if (c === 0x5b || c === 0x5d || c === 0x28 || c === 0x29 || c === 0x21 || c === 0x2b) {
      jsfuckRun++
      seen |= c === 0x5b ? 1 : c === 0x5d ? 2 : c === 0x28 ? 4 : c === 0x29 ? 8 : c === 0x21 ? 16 : 32
    } else {
      if (jsfuckRun >= 256 && seen === 63) return { name: 'JSFuck', detail: `${jsfuckRun} characters of \`[]()!+\` that build and run code without a single letter` }
      jsfuckRun = 0
      seen = 0
    }
    const symbol = c === 0x24 || c === 0x5f || (c >= 0x21 && c <= 0x2f && c !== 0x20) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e)
    if (symbol && c !== 0) {
      run++
      if (c === 0x24) dollars++
      else if (c === 0x5f) underscores++
    } else {
      if (run >= 256 && dollars >= run * 0.15 && underscores >= run * 0.1) return { name: 'jjencode', detail: `${run} characters made only of \`$\`, \`_\` and punctuation` }
      run = 0
      dollars = 0
      underscores = 0
    }
  }
  return textEncoderOf(text)
}

/** ASCII punctuation and symbols, `$` and `_` among them. */
function isSymbol(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e)
}

/** aaencode and Packer, which leave words in the text. */
function textEncoderOf(text: string): { name: string; detail: string } | undefined {
  // aaencode: Japanese-emoticon identifiers built from halfwidth katakana ﾟ
  let marks = 0
  for (let i = text.indexOf('\uff9f'); i >= 0 && marks < 30; i = text.indexOf('\uff9f', i + 1)) marks++
  if (marks >= 30 && (text.includes('ﾟДﾟ') || text.includes('ﾟΘﾟ') || text.includes('ﾟｰﾟ') || text.includes('ﾟωﾟ'))) return { name: 'aaencode', detail: 'code written as Japanese emoticons (`ﾟωﾟﾉ`, `ﾟДﾟ`, `ﾟΘﾟ`)' }
  if (PACKER.test(text)) return { name: 'Packer', detail: '`eval(function(p,a,c,k,e,d){…})`, code unpacked at run time' }
  return undefined
}

/** A big entry or install file on one line, in a package with few JS files and no bundler or licence marks. */
function singleLine(file: SourceFileView, jsFiles: number): string | undefined {
  if (file.entryKind === 'other' || jsFiles > 5) return undefined
  const text = file.text
  if (text.length < 40_000) return undefined
  let longest = 0
  let start = 0
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 10) {
      longest = Math.max(longest, i - start)
      start = i + 1
    }
  }
  if (longest < text.length * 0.9) return undefined
  if (/__webpack_require__|__esModule|sourceMappingURL|@license|\/\*!|@preserve|Copyright|\(c\)|SPDX-License-Identifier/i.test(text.slice(0, 2000)) || /sourceMappingURL|__webpack_require__/.test(text.slice(-2000))) return undefined
  return `${file.path} is ${Math.round(text.length / 1024)} KB on a single line, in a package of ${jsFiles} JS file${jsFiles === 1 ? '' : 's'}, without the licence header, source map or module wrapper that a bundler or minifier leaves`
}
