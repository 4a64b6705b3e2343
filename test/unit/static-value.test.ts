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
    expect(fold("const { k } = { k: 'v' }; k")).toBeUndefined()
  })

  it('follows a name bound in a later statement (file-wide, scope-less table)', () => {
    expect(fold("function f() { return n } const n = 'late'; n")).toBe('late')
  })

  it('does not fold a name bound to two different values', () => {
    expect(fold("let a = 'x'; a = 'y'; a")).toBeUndefined()
    expect(fold("var a = 'x'; function f() { var a = 'y' } a")).toBeUndefined()
  })

  it('does not loop on cyclic bindings', () => {
    expect(fold('const a = b; const b = a; a')).toBeUndefined()
    expect(fold("let s = 'x'; s = s + 'y'; s")).toBeUndefined()
  })

  it.each([
    ['x'],
    ["x + 'a'"],
    ["'a' - 1"],
    ["!'a'"],
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
    ["'a'.replace(/a/, 'b')"],
  ])('leaves %s unfolded', (code) => {
    expect(fold(code)).toBeUndefined()
  })

  it('gives up on very deep expressions instead of overflowing', () => {
    const deep = `${"'a' + ".repeat(200)}'b'`
    expect(fold(deep)).toBeUndefined()
  })

  it('refuses to build strings above 1 MB', () => {
    expect(fold("const s = 'x'.repeat(1 << 19); s + s + s")).toBeUndefined()
  })
})
