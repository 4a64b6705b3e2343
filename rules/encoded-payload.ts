import type * as t from '@babel/types'
import { whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

/** String literals shorter than this are not examined as embedded blobs (shorter ones only for addresses, commands and active code). */
const MIN_BLOB = 100
/** Nor are string literals shorter than this examined at all. */
const MIN_ENCODED = 32
/** Decoded values shorter than this say too little to judge. */
const MIN_DECODED = 8
const MAX_LAYERS = 3

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/
const HEX = /^(?:[0-9a-fA-F]{2})+$/
const DATA_URI = /^data:([a-z0-9.+-]{1,80}\/[a-z0-9.+-]{1,80})?((?:;[a-z0-9-]{1,40}=[a-z0-9.-]{1,80}){0,8})(;base64)?,/i

/** Code that acts on the machine once decoded. */
const ACTIVE: Array<[RegExp, string]> = [
  [/\bchild_process\b|\bexecSync\s*\(|\bexec\s*\(|\bspawn(?:Sync)?\s*\(/, 'runs programs'],
  [/\beval\s*\(|\bnew\s+Function\s*\(|\bFunction\s*\(|\bvm\.run|\brunInNewContext\b/, 'evaluates code'],
  [/\brequire\s*\(\s*['"`](?:node:)?(?:https?|net|dns|tls|dgram|axios|request|node-fetch|socket\.io-client)['"`]|\bfetch\s*\(|\bXMLHttpRequest\b|\baxios\.|https?\.(?:request|get)\s*\(/, 'talks to the network'],
  [/process\.env\b/, 'reads the environment'],
  [/\bos\.(?:homedir|hostname|userInfo|networkInterfaces)\s*\(|\.ssh\b|\.npmrc\b|Local Extension Settings|Login Data|\bwallet\b/i, 'reads host or credential data'],
  [/\b(?:writeFile|appendFile)(?:Sync)?\s*\(|\bcreateWriteStream\s*\(|\bunlink(?:Sync)?\s*\(/, 'writes files'],
]
const SHELL = /(?:^|[\s;&|(`])(?:curl|wget|bash|sh|zsh|powershell(?:\.exe)?|pwsh|cmd(?:\.exe)?|nohup|chmod|certutil|bitsadmin|mshta|rundll32|osascript|nc|ncat)(?=[\s"'])/i
const URL = /\bhttps?:\/\/[^\s'"`<>]{4,200}|\b(?:\d{1,3}\.){3}\d{1,3}:\d{2,5}\b/i
const JS = /\bfunction\b|=>|\b(?:const|let|var)\s+[\w$]+\s*=|\bmodule\.exports\b|\brequire\s*\(/

/** Binary formats that legitimately travel as base64 inside JS: images, fonts, WebAssembly, archives, media. */
const MAGIC: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'PNG'], [[0xff, 0xd8, 0xff], 'JPEG'], [[0x47, 0x49, 0x46, 0x38], 'GIF'], [[0x52, 0x49, 0x46, 0x46], 'RIFF'],
  [[0x77, 0x4f, 0x46, 0x46], 'WOFF'], [[0x77, 0x4f, 0x46, 0x32], 'WOFF2'], [[0x00, 0x01, 0x00, 0x00], 'TrueType'], [[0x4f, 0x54, 0x54, 0x4f], 'OpenType'],
  [[0x00, 0x61, 0x73, 0x6d], 'WebAssembly'], [[0x1f, 0x8b], 'gzip'], [[0x50, 0x4b, 0x03, 0x04], 'zip'], [[0x25, 0x50, 0x44, 0x46], 'PDF'],
  [[0x00, 0x00, 0x01, 0x00], 'ICO'], [[0x42, 0x4d], 'BMP'], [[0x49, 0x44, 0x33], 'MP3'], [[0x4f, 0x67, 0x67, 0x53], 'Ogg'], [[0x1a, 0x45, 0xdf, 0xa3], 'WebM'],
  [[0x78, 0x9c], 'zlib'], [[0x78, 0xda], 'zlib'], [[0x28, 0xb5, 0x2f, 0xfd], 'zstd'], [[0x53, 0x51, 0x4c, 0x69], 'SQLite'],
]

interface Verdict {
  severity: Severity
  what: string
}

/**
 * Strings hidden by encoding that turn out to be code, shell commands or network addresses:
 * large base64/hex blobs (also inside `data:` URIs, and nested up to three layers) whose decoded
 * text is JavaScript or shell, and decoder calls (`atob`, `Buffer.from(…, 'base64')`,
 * `String.fromCharCode`, XOR loops, the package's own decoder functions) whose folded result is
 * a URL, a command or code. Fonts, images, WebAssembly and other binary blobs are left alone.
 */
export default defineRule({
  meta: {
    id: 'encoded-payload',
    severity: 'medium',
    description: 'Code, shell commands or URLs hidden in encoded strings (base64, hex, char codes, XOR, custom decoders)',
    docs: 'rules/encoded-payload.md',
  },
  create(context) {
    let covered: Array<[number, number]> = []

    const inside = (node: t.Node) => {
      if (node.start == null) return false
      for (const [s, e] of covered) if (node.start >= s && node.end! <= e) return true
      return false
    }

    const emit = (ctx: RuleContext, node: t.Node, verdict: Verdict, how: string) => {
      const file = ctx.file!
      let severity = verdict.severity
      if (file.entryKind === 'install' && severity === 'medium') severity = 'high'
      if (file.entryKind === 'other') severity = severity === 'high' ? 'medium' : 'low'
      if (node.start != null && node.end != null) covered.push([node.start, node.end])
      context.report({ node, severity, message: `${how} ${verdict.what}.${whenRuns(file)}` })
    }

    const literal = (node: t.StringLiteral | t.TemplateLiteral, value: string, ctx: RuleContext) => {
      // Short encoded strings (an address, a command) count too; only blobs count as mere JavaScript.
      if (value.length < MIN_ENCODED || inside(node) || (value.length < MIN_BLOB && !looksEncoded(value))) return
      const decoded = decodeBlob(value)
      if (!decoded) return
      const verdict = judge(decoded.text, value.length >= MIN_BLOB)
      if (verdict) emit(ctx, node, verdict, `A ${Math.round(value.length / 1024) || '<1'} KB ${decoded.layers.join(' in ')} string decodes to text that`)
    }

    const call = (node: t.CallExpression | t.NewExpression, ctx: RuleContext) => {
      if (!hasEncodedArgument(node) || inside(node)) return
      const folded = ctx.foldString(node)
      if (!folded || !folded.decoded || folded.value.length < MIN_DECODED) return
      // A literal argument that is itself the answer (a plain URL passed to a helper) hides nothing.
      if (node.arguments.some((a) => a.type === 'StringLiteral' && a.value === folded.value)) return
      const verdict = judge(folded.value, false)
      if (verdict) emit(ctx, node, verdict, 'A string decoded at run time')
    }

    return {
      Program() {
        covered = []
      },
      StringLiteral(node, ctx) {
        literal(node, node.value, ctx)
      },
      TemplateLiteral(node, ctx) {
        if (node.expressions.length === 0 && node.quasis[0]?.value.cooked) literal(node, node.quasis[0].value.cooked, ctx)
      },
      CallExpression: call,
      NewExpression: call,
    }
  },
})

/** A string that may be encoded data: hex, base64, percent-escapes, or mostly unusual characters (XOR output). */
export function looksEncoded(s: string): boolean {
  if (s.length < 12) return false
  const sample = s.slice(0, 400)
  if (/\s/.test(sample)) return false
  if (/^[0-9a-fA-F]+$/.test(sample)) return true
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(sample)) return /[0-9]/.test(sample) && /[a-z]/.test(sample) && /[A-Z]/.test(sample)
  if ((sample.match(/%[0-9a-fA-F]{2}/g)?.length ?? 0) >= 3) return true
  // XOR output: control or non-ASCII characters, or brackets and operators scattered in a word
  let unusual = 0
  let symbols = 0
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) unusual++
    else if ('()=<>[]{}\\|^~`'.includes(sample[i]!)) symbols++
  }
  return unusual >= sample.length * 0.25 || (symbols >= 2 && symbols >= sample.length * 0.08)
}

/**
 * Whether a call has an argument that could be encoded data: an encoded-looking string or an array
 * of 8+ numbers. Runs on every call of every file: a plain loop, no closure per call.
 */
function hasEncodedArgument(node: t.CallExpression | t.NewExpression): boolean {
  for (const a of node.arguments) {
    if (a.type === 'StringLiteral' && looksEncoded(a.value)) return true
    if (a.type === 'ArrayExpression' && a.elements.length >= 8 && a.elements.every((e) => e?.type === 'NumericLiteral')) return true
    if (a.type === 'SpreadElement' && a.argument.type === 'ArrayExpression' && a.argument.elements.length >= 8) return true
  }
  return node.callee.type === 'MemberExpression' && node.callee.property.type === 'Identifier' && node.callee.property.name === 'fromCharCode' && node.arguments.length >= 8
}

/** Decodes a literal that is entirely base64, hex or a base64 `data:` URI, layer after layer; undefined for binaries. */
export function decodeBlob(value: string): { text: string; layers: string[] } | undefined {
  let current = value.trim()
  const layers: string[] = []
  for (let depth = 0; depth < MAX_LAYERS; depth++) {
    let bytes: Buffer | undefined
    let layer = ''
    const uri = DATA_URI.exec(current)
    if (uri) {
      const type = (uri[1] ?? 'text/plain').toLowerCase()
      if (!uri[3] || /^(?:image|font|audio|video)\/|wasm|octet-stream|pdf|font|zip|protobuf/.test(type)) return undefined
      bytes = base64Bytes(current.slice(uri[0].length))
      layer = `base64 ${type} data: URI`
    } else if (current.length >= 32 && current.length % 2 === 0 && HEX.test(current)) {
      bytes = Buffer.from(current, 'hex')
      layer = 'hex'
    } else if (current.length >= 32 && looksBase64(current)) {
      bytes = base64Bytes(current)
      layer = 'base64'
    }
    if (!bytes || bytes.length < MIN_DECODED) break
    if (MAGIC.some(([magic]) => magic.every((b, i) => bytes![i] === b))) return undefined
    const text = bytes.toString('utf8')
    if (!isMostlyText(text)) return undefined
    layers.unshift(layer)
    current = text.trim()
  }
  return layers.length > 0 ? { text: current, layers } : undefined
}

function looksBase64(s: string): boolean {
  if (!(BASE64.test(s) || BASE64URL.test(s))) return false
  // Words and identifiers are base64-shaped too: ask for mixed case and digits, as encoders give.
  return /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s)
}

function base64Bytes(s: string): Buffer | undefined {
  const clean = s.replace(/\s+/g, '')
  if (!(BASE64.test(clean) || BASE64URL.test(clean))) return undefined
  return Buffer.from(clean, clean.includes('-') || clean.includes('_') ? 'base64url' : 'base64')
}

function isMostlyText(text: string): boolean {
  const sample = text.slice(0, 4096)
  if (sample.length === 0) return false
  let bad = 0
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) bad++
  }
  return bad <= sample.length * 0.02
}

/** What decoded text is: active code and shell commands are high, URLs medium, other code low. */
export function judge(text: string, blob: boolean): Verdict | undefined {
  const sample = text.slice(0, 200_000)
  if (/^\s*[{[]/.test(sample) && /"mappings"\s*:|"version"\s*:\s*3\b/.test(sample.slice(0, 2000))) return undefined // a source map
  const does = ACTIVE.filter(([re]) => re.test(sample)).map(([, what]) => what)
  if (does.length > 0 && (JS.test(sample) || does.includes('runs programs'))) return { severity: 'high', what: `is code that ${does.join(', ')}` }
  const shell = SHELL.exec(sample)
  if (shell && (blob || sample.length < 2000)) return { severity: 'high', what: `is a shell command (${shell[0].trim()} …)` }
  const url = URL.exec(sample)
  if (url && sample.length < 2000) return { severity: 'medium', what: `is the address ${url[0].slice(0, 100)}` }
  if (blob && JS.test(sample)) return { severity: 'low', what: 'is JavaScript code' }
  return undefined
}
