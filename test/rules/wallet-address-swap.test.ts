import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/wallet-address-swap.ts'

const ADDRS = `const addrs = {
  eth: ["0xa4c123b1612dd272d1371c17149d439536b3216f", "0xdaeeb975729fae923d5a4fd12aabfe228f219e9c", "0xb0eb53f16947ccf25ec84d8dbc74254770f58904", "0xdba41ecccc3fc1626e53a13043b026c48bbf33fe", "0xff9243a8f506b40928b5b7a767c76fb008f86beb", "0xb2737f6a6f0fb23c6f5da2cec255404e4fb44003", "0x4d6608697a8d41bed440e50454f31af3176813e0", "0x2ea68ef786e4d3cea27d26934b484e73cf575dca", "0xd6ba2b0aee0ca923732881584d8c4fa2815d2802", "0x827283e0ad84173581569969e58b081006f7e3df", "0xc967a64cb14028d512c9791e558e08baa7196b50", "0xac2f86702824c1c099724caf4941d4072014b3ce"],
  btc: ["1c4h2hbkGYH1Wt5pZzb6ja5ppXHt5wHGo", "1qEFpiWYwR5XkKr3ghiD5fANHipmLgd91", "1X4YJk7mEkYKnaKWWWr8zcDL6X2KW5uZV", "1JREE5e6ApaHQ9fuhZJy8nQFYzyYS2B1Y"]
}
`

new RuleTester().run(rule, {
  valid: [
    ADDRS + 'module.exports = addrs',
    "const orig = window.fetch; window.fetch = (...a) => { span(); return orig(...a) }",
  ],
  invalid: [
    {
      name: 'fetch and XHR hooked with an address list',
      code: ADDRS + "const f = window.fetch; window.fetch = async (...a) => swap(await f(...a)); const o = XMLHttpRequest.prototype.open; XMLHttpRequest.prototype.open = function (...a) { return o.apply(this, a) }",
      errors: [{ severity: 'critical', message: 'fetch' }],
    },
    {
      name: 'wallet provider redefined',
      code: ADDRS + "Object.defineProperty(window, 'ethereum', { get: () => wrap(realProvider) })",
      errors: [{ severity: 'critical', message: 'window.ethereum' }],
    },
  ],
})
