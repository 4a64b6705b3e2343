import { posix } from 'node:path'
import { parse as parseDotenv } from 'dotenv'
import type { PackageFile } from '../types.ts'

/**
 * Values of a project's `.env`-style files that are stored encoded (base64 or hex) and decode to
 * a URL or to code: the repository-embedded loaders of the fake-interview campaigns keep their
 * download URL (and the header that unlocks it) in `.env` as base64, so that neither the code nor
 * the configuration shows where the code comes from. Plain values (a URL, a port, a hex private
 * key, a base64 secret that decodes to bytes or a word) are not reported.
 */
export interface EncodedEnvValue {
  name: string
  /** The env file that holds it, and the line. */
  file: string
  line: number
  encoding: 'base64' | 'hex'
  decoded: string
  kind: 'url' | 'code'
}

/** `.env`, `.env.local`, `config.env`, `config/.config.env`, `app.env.example` … */
const ENV_FILE = /^(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env(?:\.[\w-]+)?)$/
const MAX_ENV_FILE = 1024 * 1024
const MAX_FILES = 200

const URL_VALUE = /^(?:https?|wss?):\/\/[^\s"'<>]+$/i
/** Code that acts: module loading, evaluation, processes, the network. */
const CODE_VALUE = /\b(?:require|import)\s*\(|\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|\bchild_process\b|\bexec(?:Sync)?\s*\(|\bspawn\s*\(|\bfetch\s*\(|\bprocess\.env\b|\bXMLHttpRequest\b/

const cache = new WeakMap<ReadonlyMap<string, PackageFile>, Map<string, EncodedEnvValue>>()

export function isEnvFile(path: string): boolean {
  return ENV_FILE.test(posix.basename(path))
}

/** Encoded values of every env file of the package, by variable name (cached per package). */
export function encodedEnvValues(files: ReadonlyMap<string, PackageFile>): Map<string, EncodedEnvValue> {
  let values = cache.get(files)
  if (values) return values
  values = new Map()
  let seen = 0
  for (const [path, file] of files) {
    if (!isEnvFile(path) || !file.content || file.content.length > MAX_ENV_FILE || seen++ >= MAX_FILES) continue
    const text = file.content.toString('utf8')
    let parsed: Record<string, string>
    try {
      parsed = parseDotenv(text)
    } catch {
      continue
    }
    for (const [name, raw] of Object.entries(parsed)) {
      if (values.has(name)) continue
      const decoded = decodeValue(raw.trim())
      if (!decoded) continue
      values.set(name, { name, file: path, line: lineOf(text, name), ...decoded })
    }
  }
  cache.set(files, values)
  return values
}

/** What an encoded env value decodes to, when that is a URL or code. */
export function decodeValue(value: string): Pick<EncodedEnvValue, 'encoding' | 'decoded' | 'kind'> | undefined {
  if (value.length < 12 || value.length > 200_000) return undefined
  const candidates: Array<[EncodedEnvValue['encoding'], string]> = []
  if (/^(?:[0-9a-fA-F]{2})+$/.test(value)) candidates.push(['hex', Buffer.from(value, 'hex').toString('utf8')])
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && value.length % 4 !== 1) candidates.push(['base64', Buffer.from(value, /[-_]/.test(value) ? 'base64url' : 'base64').toString('utf8')])
  for (const [encoding, decoded] of candidates) {
    const text = decoded.trim()
    if (!isPrintable(text)) continue
    if (URL_VALUE.test(text)) return { encoding, decoded: text, kind: 'url' }
    if (CODE_VALUE.test(text)) return { encoding, decoded: text, kind: 'code' }
  }
  return undefined
}

function isPrintable(text: string): boolean {
  if (text.length === 0 || text.includes('\uFFFD')) return false
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000E-\u001F\u007F]/.test(text)
}

function lineOf(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${escaped}[ \\t]*[=:]`, 'm').exec(text)
  return match ? text.slice(0, match.index).split('\n').length : 1
}
