import { describe, expect, it } from 'vitest'
import { staticValue } from '../../src/analyze/static-value.ts'
import { lastExpression } from './helpers.ts'

/** Folds the last expression of a snippet, with the names the snippet binds. */
function fold(code: string) {
  const { node, bindings } = lastExpression(code)
  return staticValue(node, bindings)
}

describe('staticValue', () => {
  it.each([
    ["('child_process')", 'child_process'],
    ['42', 42],
    ['true', true],
    ['null', null],
    ["'child' + '_process'", 'child_process'],
    ["'a' + 1 + 2", 'a12'],
    ['1 + 2', 3],
    ['5 ^ 3', 6],
    ['10 - 4', 6],
    ['`x${1 + 2}y${"z"}`', 'x3yz'],
    ["('ignored', 'kept')", 'kept'],
    ["['c', 'h', 'i'].join('')", 'chi'],
    ["['a', 'b'].join()", 'a,b'],
    ["['a', null, 'b'].join('-')", 'a--b'],
    ["'ssecorp_dlihc'.split('').reverse().join('')", 'child_process'],
    ["['b', 'a'].reverse().join('')", 'ab'],
    ["['a'].concat(['b'], 'c').join('')", 'abc'],
    ['String.fromCharCode(99, 104, 105, 108, 100)', 'child'],
    ["Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString()", 'child_process'],
    ["Buffer.from('Y2hpbGRfcHJvY2Vzcw', 'base64url').toString('utf8')", 'child_process'],
    ["Buffer.from('6368696c645f70726f63657373', 'hex').toString()", 'child_process'],
    ['Buffer.from([104, 105]).toString()', 'hi'],
    ["Buffer.from('plain').toString()", 'plain'],
    ["atob('aHR0cHM6Ly94LmludmFsaWQ=')", 'https://x.invalid'],
    ["decodeURIComponent('%63%75%72%6c')", 'curl'],
    ["unescape('%77get')", 'wget'],
    ["'abc'[1]", 'b'],
    ["'abc'.length", 3],
    ["['x', 'y'][1]", 'y'],
    ["'  pad '.trim()", 'pad'],
    ["'ABC'.toLowerCase()", 'abc'],
    ["'abc'.toUpperCase()", 'ABC'],
    ["'xabcx'.slice(1, 4)", 'abc'],
    ["'xabcx'.substring(1, 4)", 'abc'],
    ["'xabcx'.substr(1, 3)", 'abc'],
    ["'abc'.charAt(2)", 'c'],
    ["'a'.charCodeAt(0)", 97],
    ["'ab'.repeat(3)", 'ababab'],
    ["'a-b-c'.replace('-', '_')", 'a_b-c'],
    ["'a-b-c'.replaceAll('-', '_')", 'a_b_c'],
    ["'x'.concat('y', 1)", 'xy1'],
    ["'a,b'.split(',')", ['a', 'b']],
    ["'x'.toString()", 'x'],
  ])('folds %s', (code, expected) => {
    expect(fold(code)).toEqual(expected)
  })

  it('follows names bound to static values', () => {
    expect(fold("const a = 'child'; const b = a + '_process'; b")).toBe('child_process')
    expect(fold("var parts = ['ex', 'ec']; var name = parts.join(''); name")).toBe('exec')
    // object literals fold through the interpreter
    expect(fold("const { k } = { k: 'v' }; k")).toBe('v')
  })

  it('follows a name bound in a later statement (file-wide, scope-less table)', () => {
    expect(fold("function f() { return n } const n = 'late'; n")).toBe('late')
  })

  it('does not fold a name bound to two different values', () => {
    expect(fold("let a = 'x'; a = 'y'; a")).toBeUndefined()
    expect(fold("var a = 'x'; function f() { var a = 'y' } a")).toBeUndefined()
    // inside an interpreted function, its own declarations come first
    expect(fold("var a = 'x'; function f() { var a = 'y'; return a } f()")).toBe('y')
  })

  it('does not loop on cyclic bindings', () => {
    expect(fold('const a = b; const b = a; a')).toBeUndefined()
    expect(fold("let s = 'x'; s = s + 'y'; s")).toBeUndefined()
  })

  it.each([
    ['x'],
    ["x + 'a'"],
    ["'a' - 1"],
    ['typeof x'],
    ['f()'],
    ["[...x].join('')"],
    ["'abc'.foo()"],
    ["'abc'.x"],
    ['[1, 2][5]'],
    ["Buffer.from('!!!', 'base64').toString()"],
    ["Buffer.from('zz', 'hex').toString()"],
    ["atob('not base64!')"],
    ["decodeURIComponent('%E0%A4%A')"],
    ['String.fromCharCode(x)'],
    ["String.fromCharCode('a')"],
    ["'a'.split(x)"],
    ["'a'.repeat(2e6)"],
    ['`${x}`'],
  ])('leaves %s unfolded', (code) => {
    expect(fold(code)).toBeUndefined()
  })

  it('folds deep expressions through the interpreter, and gives up instead of overflowing', () => {
    const deep = `${"'a' + ".repeat(200)}'b'`
    expect(fold(deep)).toBe(`${'a'.repeat(200)}b`)
    const deeper = `${'-('.repeat(300)}1${')'.repeat(300)}`
    expect(fold(deeper)).toBe(1)
  })

  it('refuses to build strings above 1 MB', () => {
    expect(fold("const s = 'x'.repeat(1 << 19); s + s + s")).toBeUndefined()
  })
})

describe('staticValue through the interpreter', () => {
  it.each([
    // decoder functions called with literal arguments, declared before or after the call
    [
      "const name = d('\\x0b\\x0b\\x0b', 'hcj'); function d(s, k) { let r = ''; for (let i = 0; i < s.length; i++) r += String.fromCharCode(s.charCodeAt(i) ^ k.charCodeAt(i % k.length)); return r } name",
      'cha',
    ],
    ["const h = (s) => s.replace(/../g, (b) => String.fromCharCode(parseInt(b, 16))); h('6368696c645f70726f63657373')", 'child_process'],
    ["'6578656353796e63'.match(/.{1,2}/g).map((b) => String.fromCharCode(parseInt(b, 16))).join('')", 'execSync'],
    ['String.fromCharCode(...[0x63, 0x68, 0x69].map((c) => c ^ 0))', 'chi'],
    ['String.fromCharCode(...[98, 105, 104].map((c) => c + 1))', 'cji'],
    ['[0x21, 0x2a, 0x2b].map((c) => String.fromCharCode(c ^ 0x42)).join("")', 'chi'],
    ["parseInt('ff', 16) + parseInt('0x10')", 271],
    ["decodeURIComponent('%63%68%69%6c%64')", 'child'],
    ["const o = { a: 'child', b: { c: '_process' } }; o.a + o.b.c", 'child_process'],
    ["const o = { a: 'exec' }; o['a']", 'exec'],
    ['-1', -1],
    ["!'a'", false],
    ["'a'.replace(/a/, 'b')", 'b'],
    ["typeof 'x'", 'string'],
    ["true ? 'yes' : 'no'", 'yes'],
    ["[1, 2, 3].reduce((a, b) => a + b, 0)", 6],
    ["Array.from('abc', (c) => c.toUpperCase()).join('')", 'ABC'],
    ["Buffer.from('aGk=', 'base64').toString('hex')", '6869'],
    ["JSON.parse('{\"u\":\"https://x.invalid\"}').u", 'https://x.invalid'],
    // XORIndex-style: a key that rotates with the index
    ["const k = [1, 2, 3]; [98, 106, 106].map((c, i) => String.fromCharCode(c ^ k[i % k.length])).join('')", 'chi'],
    // a hand-rolled base64 decoder (no atob, no Buffer), as in the SVG-steganography loader
    [
      "const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'; function dec(s) { let out = '', bits = 0, v = 0; for (const ch of s) { const i = A.indexOf(ch); if (i < 0) continue; v = (v << 6) | i; bits += 6; if (bits >= 8) { bits -= 8; out += String.fromCharCode((v >> bits) & 0xff) } } return out } dec('Y2hpbGRfcHJvY2Vzcw==')",
      'child_process',
    ],
    // a string array behind a lookup function, rotated by an IIFE (obfuscator.io's shape)
    [
      "var _0xa = ['process', 'exec', 'child_']; (function (a, n) { while (--n) a.push(a.shift()) })(_0xa, 3); function _0xb(i) { i = i - 0x0; return _0xa[i] } _0xb(0x0) + _0xb(0x1)",
      'child_process',
    ],
    // a function that replaces itself on first call keeps working
    ["function f() { const t = ['x', 'y']; f = function () { return t }; return f() } f()[1]", 'y'],
  ])('folds %s', (code, expected) => {
    expect(fold(code)).toEqual(expected)
  })

  it.each([
    ['Math.random()'],
    ["Math.random().toString(36).slice(2)"],
    ['Date.now()'],
    ['new Date().getFullYear()'],
    ['process.env.HOME'],
    ["require('os').hostname()"],
    ['function f() { while (true) {} } f()'],
    ['function f() { return f() } f()'],
    ['let n = 0; function next() { return ++n } next()'],
    ["const seen = []; function log(x) { seen.push(x); return x } log('a')"],
    ["function g() { console.log('x'); return 'a' } g()"],
    ["function g(x) { return x + y } g('a')"],
    ['async function a() { return 1 } a()'],
    ['function* g() { yield 1 } g().next().value'],
    ["eval('1 + 1')"],
    ["Function('return 1')()"],
    ["({}).constructor('return this')()"],
    ["'a'.constructor.fromCharCode(98)"],
    ["[].map.constructor('return process')()"],
    ["const o = { toString() { return 'x' } }; '' + o"],
    ["String.fromCharCode('a')"],
    ["'aaaa'.replace(/(a+)+$/, 'b')"],
    ["Buffer.from('zz', 'hex').toString()"],
    ['new Array(1e9).length'],
    ["'x'.repeat(1 << 20) + 'y'"],
  ])('leaves %s unfolded', (code) => {
    expect(fold(code)).toBeUndefined()
  })

  it('stops unbounded loops on the step budget, quickly', () => {
    const start = performance.now()
    expect(fold('function spin() { let i = 0; for (;;) i++ } spin()')).toBeUndefined()
    expect(fold("function build() { let s = ''; for (let i = 0; i < 1e9; i++) s += 'a'; return s } build()")).toBeUndefined()
    expect(performance.now() - start).toBeLessThan(3000)
  })

  it('gives the same answer every time: folds do not leak state', () => {
    const { node, bindings } = lastExpression("var cache = {}; function d(k) { if (cache[k] === undefined) cache[k] = k + '!'; return cache[k] } d('a')")
    expect(staticValue(node, bindings)).toBe('a!')
    expect(staticValue(node, bindings)).toBe('a!')
  })

  it('runs regular expressions on adversarial 100 KB input within bounds', () => {
    const evil = 'a'.repeat(100_000)
    const start = performance.now()
    // nested quantifiers never run; a single unbounded quantifier on a long subject is refused
    expect(fold(`'${evil}!'.replace(/(a+)+$/, '')`)).toBeUndefined()
    expect(fold(`'${evil}!'.replace(/a*a*b/g, '')`)).toBeUndefined()
    expect(fold(`'${evil}!'.match(/a+b/)`)).toBeUndefined()
    // bounded quantifiers run on long subjects
    expect(fold(`'${'ab'.repeat(50_000)}'.match(/.{1,2}/g).length`)).toBe(50_000)
    expect(performance.now() - start).toBeLessThan(3000)
  })

  it('records whether a value was assembled or decoded', () => {
    const traced = (code: string) => {
      const { node, bindings } = lastExpression(code)
      const trace = { computed: false, decoded: false }
      return { value: staticValue(node, bindings, 0, new Set(), trace), ...trace }
    }
    expect(traced("('child_process')")).toEqual({ value: 'child_process', computed: false, decoded: false })
    expect(traced("const m = 'child_process'; m")).toEqual({ value: 'child_process', computed: false, decoded: false })
    expect(traced("'child_' + 'process'")).toEqual({ value: 'child_process', computed: true, decoded: false })
    expect(traced("atob('Y2hpbGRfcHJvY2Vzcw==')")).toEqual({ value: 'child_process', computed: true, decoded: true })
    expect(traced("const h = (s) => s.replace(/../g, (b) => String.fromCharCode(parseInt(b, 16))); h('6f73')")).toEqual({ value: 'os', computed: true, decoded: true })
    expect(traced("const o = { m: 'os' }; o.m")).toEqual({ value: 'os', computed: false, decoded: false })
  })
})
