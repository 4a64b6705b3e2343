import { describe, expect, it } from 'vitest'
import { BindingTable } from '../../src/analyze/bindings.ts'
import { isRequireFunction, moduleOf } from '../../src/analyze/modules.ts'
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
