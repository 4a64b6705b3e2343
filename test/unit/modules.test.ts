import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BindingTable } from '../../src/analyze/bindings.ts'
import { isRequireFunction, moduleOf } from '../../src/analyze/modules.ts'
import { walk } from '../../src/analyze/walk.ts'
import { lastExpression, parseWithBindings } from './helpers.ts'

function moduleOfLast(code: string, path?: string) {
  const { node, bindings } = lastExpression(code, path)
  return moduleOf(node, bindings)
}

describe('moduleOf', () => {
  it.each([
    ["require('fs')", 'fs', ''],
    ["require('node:child_process')", 'child_process', ''],
    ["require('child_process').exec", 'child_process', 'exec'],
    ["require('fs').promises.readFile", 'fs', 'promises.readFile'],
    ["require('child' + '_process').exec", 'child_process', 'exec'],
    ["require(['c', 'hild_process'].join('')).spawn", 'child_process', 'spawn'],
    ["require('ssecorp_dlihc'.split('').reverse().join('')).exec", 'child_process', 'exec'],
    ["require(Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString()).exec", 'child_process', 'exec'],
    ['require(String.fromCharCode(99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115)).exec', 'child_process', 'exec'],
    ["require(atob('Y2hpbGRfcHJvY2Vzcw==')).exec", 'child_process', 'exec'],
    ["require('child_process')['ex' + 'ec']", 'child_process', 'exec'],
    ["require('child_process').default.exec", 'child_process', 'exec'],
    ["const r = require; r('node:child_process')", 'child_process', ''],
    ["(0, require)('fs')", 'fs', ''],
    ["process.mainModule.require('child_process').spawn", 'child_process', 'spawn'],
    ["module.require('os')", 'os', ''],
    ["global.require('vm')", 'vm', ''],
    ["module.constructor._load('net').connect", 'net', 'connect'],
    ["require('module').createRequire(__filename)('dns')", 'dns', ''],
    ["createRequire(import.meta.url)('dns').lookup", 'dns', 'lookup'],
    ["__non_webpack_require__('fs')", 'fs', ''],
    ["import('https')", 'https', ''],
    ["(await import('node:child_process')).exec", 'child_process', 'exec'],
    ["const cp = require('child_process'); cp.exec", 'child_process', 'exec'],
    ["const cp = require('child_process'); const e = cp.execSync; e", 'child_process', 'execSync'],
    ["const { exec } = require('child_process'); exec", 'child_process', 'exec'],
    ["const { exec: run } = require('child_process'); run", 'child_process', 'exec'],
    ["const { 'spawn': s = null } = require('child_process'); s", 'child_process', 'spawn'],
    ["const m = 'child_process'; require(m).fork", 'child_process', 'fork'],
    ["const { promises: { readFile } } = require('fs'); readFile", 'fs', 'promises.readFile'],
    ["require('./local')", './local', ''],
  ])('%s → %s %s', (code, module, member) => {
    expect(moduleOfLast(code)).toEqual({ module, member })
  })

  it.each([
    ["import cp from 'child_process'; cp.exec", 'child_process', 'exec'],
    ["import * as cp from 'node:child_process'; cp.spawn", 'child_process', 'spawn'],
    ["import { execSync as x } from 'child_process'; x", 'child_process', 'execSync'],
    ["import { default as cp } from 'child_process'; cp.exec", 'child_process', 'exec'],
    ["import cp from 'child_process'; cp.default", 'child_process', ''],
  ])('%s → %s %s (import bindings)', (code, module, member) => {
    expect(moduleOfLast(code, 'index.mjs')).toEqual({ module, member })
  })

  it.each([
    ['require(x)'],
    ["foo('fs')"],
    ["notRequire.call(null, 'fs')"],
    ["require('fs')[name]"],
    ["let cp = require('child_process'); cp = require('fs'); cp"],
    ["const exec = /x/.exec; exec"],
    ['x.exec'],
  ])('%s → undefined', (code) => {
    expect(moduleOfLast(code)).toBeUndefined()
  })

  it('does not loop on self-referencing aliases', () => {
    expect(moduleOfLast('const a = b; const b = a; a.exec')).toBeUndefined()
    expect(moduleOfLast("const r = r; r('fs')")).toBeUndefined()
  })
})

describe('isRequireFunction', () => {
  it('recognises require and its aliases, and nothing else', () => {
    const { bindings } = parseWithBindings('const r = require; const f = foo')
    const id = (name: string) => ({ type: 'Identifier', name }) as const
    expect(isRequireFunction(id('require'), bindings)).toBe(true)
    expect(isRequireFunction(id('r'), bindings)).toBe(true)
    expect(isRequireFunction(id('f'), bindings)).toBe(false)
    expect(isRequireFunction(id('unbound'), new BindingTable())).toBe(false)
  })
})

describe('moduleOf through aliases and decoders', () => {
  it.each([
    ["global['r'] = require; r('child_process').exec", 'child_process', 'exec'],
    ["globalThis.load = require; global.load('fs')", 'fs', ''],
    ["global.cp = require('child_process'); global.cp.spawn", 'child_process', 'spawn'],
    ["global['req' + 'uire']('os')", 'os', ''],
    ["eval('require')('fs')", 'fs', ''],
    ["eval('req' + 'uire')('child_process').exec", 'child_process', 'exec'],
    ["(0, eval)('require')('net')", 'net', ''],
    ["Function('return require')()('dns')", 'dns', ''],
    ["require.call(null, 'os')", 'os', ''],
    ["const r = global.require || require; r('os')", 'os', ''],
    ["const r = typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : require; r('fs')", 'fs', ''],
    ["require.apply(null, ['vm'])", 'vm', ''],
    ["module.constructor._load('child_process').exec", 'child_process', 'exec'],
    ["process.mainModule.constructor._load('https').request", 'https', 'request'],
    // HexEval: hex strings decoded with a regex replace and parseInt(…, 16)
    ["const h = ['6368696c645f70726f63657373', '65786563'].map((x) => x.replace(/../g, (b) => String.fromCharCode(parseInt(b, 16)))); require(h[0])[h[1]]", 'child_process', 'exec'],
    // XOR decoder function declared after its use
    ["const m = require(x('\\x02\\x0b\\x0f\\x0d\\x07\\x39\\x11\\x11\\x09\\x02\\x06\\x15\\x12', 'acf')); function x(s, k) { return s.split('').map((c, i) => String.fromCharCode(c.charCodeAt(0) ^ k.charCodeAt(i % k.length))).join('') } m.exec", 'child_process', 'exec'],
  ])('%s → %s %s', (code, module, member) => {
    expect(moduleOfLast(code)).toEqual({ module, member })
  })

  it.each([
    ["eval('notrequire')('fs')"],
    ["const r = Math.random() > 0.5 ? 'fs' : 'os'; require(r)"],
    ["global.x = require('fs'); window.y.exec"],
  ])('%s → undefined', (code) => {
    expect(moduleOfLast(code)).toBeUndefined()
  })
})

describe('moduleOf on obfuscator.io output (fixtures/obfuscation)', () => {
  const dir = new URL('../../fixtures/obfuscation/', import.meta.url)
  const variants = ['default', 'base64', 'rc4', 'wrappers', 'mangled', 'calls', 'cff', 'selfdef', 'heavy2']
  it.each(variants)('resolves every module and API of obfuscator-io-%s.js', (variant) => {
    const code = readFileSync(new URL(`obfuscator-io-${variant}.js`, dir), 'utf8')
    const { ast, bindings } = parseWithBindings(code)
    const refs = new Set<string>()
    // moduleOf as rules call it: on every call's callee, after the walk (all bindings known)
    walk(ast.program, {
      enter(node) {
        if (node.type !== 'CallExpression') return
        const ref = moduleOf(node.callee, bindings)
        if (ref?.member) refs.add(`${ref.module}.${ref.member}`)
      },
    })
    expect([...refs].sort()).toEqual(['child_process.exec', 'https.request', 'os.homedir', 'os.hostname', 'os.userInfo'])
  })
})
