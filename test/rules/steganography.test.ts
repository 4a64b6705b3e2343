import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/steganography.ts'

const decoder = "const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'; function dec(s) { let o = '', v = 0, b = 0; for (const ch of s) { v = (v << 6) | A.indexOf(ch); b += 6; if (b >= 8) { b -= 8; o += String.fromCharCode((v >> b) & 255) } } return o }"

new RuleTester().run(rule, {
  valid: [
    "const fs = require('fs'); const svg = fs.readFileSync('assets/logo.svg', 'utf8').replace(/<!--[\\s\\S]*?-->/g, ''); fs.writeFileSync('dist/logo.svg', svg)",
    `${decoder} const fs = require('fs'); const c = fs.readFileSync('config.txt', 'utf8'); console.log(dec(c))`,
  ],
  invalid: [
    {
      name: 'comments of SVG flags decoded and evaluated',
      code: `${decoder} const fs = require('fs'); const path = require('path'); const dir = path.join(__dirname, 'assets', 'flags'); const parts = fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8').match(/<!--([\\s\\S]*?)-->/)[1]); eval(dec(parts.join('')))`,
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'PNG bytes decoded and run with Function',
      code: "const fs = require('fs'); const png = fs.readFileSync(__dirname + '/icon.png'); const code = Buffer.from(png.subarray(1024).toString(), 'base64').toString(); new Function(code)()",
      errors: [{ severity: 'critical' }],
    },
  ],
})
