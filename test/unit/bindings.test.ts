import type * as t from '@babel/types'
import { describe, expect, it } from 'vitest'
import { BindingTable, stripNodePrefix } from '../../src/analyze/bindings.ts'
import { parseWithBindings } from './helpers.ts'

const initType = (table: BindingTable, name: string) => {
  const b = table.get(name)
  return b?.kind === 'value' ? b.init.type : b?.kind
}

describe('BindingTable', () => {
  it('binds declarators and plain assignments to their values', () => {
    const { bindings } = parseWithBindings("const a = 'x'; let b; b = f(); var c = [1]")
    expect(initType(bindings, 'a')).toBe('StringLiteral')
    expect(initType(bindings, 'b')).toBe('CallExpression')
    expect(initType(bindings, 'c')).toBe('ArrayExpression')
    expect(bindings.get('d')).toBeUndefined()
  })

  it('makes names changed by compound assignments ambiguous, and ignores member targets', () => {
    const { bindings } = parseWithBindings("let a = 'x'; a += 'y'; o.p = 1")
    expect(bindings.get('a')?.kind).toBe('ambiguous')
    expect(bindings.get('o')).toBeUndefined()
  })

  it('binds destructured names to a member of the initialiser', () => {
    const { bindings } = parseWithBindings("const { exec: run, spawn, 'fork': f, [k]: no, execSync = null } = require('child_process')")
    const run = bindings.get('run')
    expect(run?.kind).toBe('value')
    const member = (run as { init: t.MemberExpression }).init
    expect(member.type).toBe('MemberExpression')
    expect((member.property as t.Identifier).name).toBe('exec')
    expect(member.object.type).toBe('CallExpression')
    expect(initType(bindings, 'spawn')).toBe('MemberExpression')
    expect(initType(bindings, 'f')).toBe('MemberExpression')
    expect(initType(bindings, 'execSync')).toBe('MemberExpression')
    expect(bindings.get('no')).toBeUndefined()
  })

  it('binds names of nested destructuring to the nested member', () => {
    const { bindings } = parseWithBindings("const { promises: { readFile: rf } } = require('fs')")
    const rf = bindings.get('rf') as { kind: 'value'; init: t.MemberExpression }
    expect(rf.init.type).toBe('MemberExpression')
    expect((rf.init.property as t.Identifier).name).toBe('readFile')
    expect(((rf.init.object as t.MemberExpression).property as t.Identifier).name).toBe('promises')
    expect(bindings.get('promises')).toBeUndefined()
  })

  it('binds import specifiers to module references', () => {
    const { bindings } = parseWithBindings("import cp from 'node:child_process'; import * as os from 'os'; import { exec as e, default as d } from 'child_process'", 'a.mjs')
    expect(bindings.get('cp')).toEqual({ kind: 'module', ref: { module: 'child_process', member: '' } })
    expect(bindings.get('os')).toEqual({ kind: 'module', ref: { module: 'os', member: '' } })
    expect(bindings.get('e')).toEqual({ kind: 'module', ref: { module: 'child_process', member: 'exec' } })
    expect(bindings.get('d')).toEqual({ kind: 'module', ref: { module: 'child_process', member: '' } })
  })

  it('makes a name bound twice to different values ambiguous, and keeps it so', () => {
    const { bindings } = parseWithBindings("let a = 'x'; a = 'y'; a = 'x'")
    expect(bindings.get('a')).toEqual({ kind: 'ambiguous' })
  })

  it('keeps a name bound twice to the same module', () => {
    const { bindings } = parseWithBindings("import { exec } from 'child_process'; import { exec } from 'node:child_process'", 'a.mjs')
    expect(bindings.get('exec')).toEqual({ kind: 'module', ref: { module: 'child_process', member: 'exec' } })
  })

  it('does not let a same-named binding in another function win silently', () => {
    const { bindings } = parseWithBindings("const cp = require('child_process'); function f() { const cp = require('fs') }")
    expect(bindings.get('cp')).toEqual({ kind: 'ambiguous' })
  })
})

describe('stripNodePrefix', () => {
  it('removes only a leading node:', () => {
    expect(stripNodePrefix('node:fs')).toBe('fs')
    expect(stripNodePrefix('fs')).toBe('fs')
    expect(stripNodePrefix('my-node:x')).toBe('my-node:x')
  })
})
