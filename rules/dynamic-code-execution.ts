import type * as t from '@babel/types'
import { L } from '../src/analyze/flow.ts'
import { crossFileNote, onFileFlow, placeOf } from '../src/analyze/flow-rules.ts'
import { someDescendant, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

/** Code that acts once decoded: process, network, file system, module loading. */
const ACTIVE_CODE = /\brequire\s*\(|child_process|\bexec(?:Sync)?\s*\(|\bspawn\s*\(|\beval\s*\(|\bFunction\s*\(|process\.env|\bfetch\s*\(|\bhttps?\b|\baxios\b|\bXMLHttpRequest\b|\bimport\s*\(|\bfs\.|\bwriteFile|\bos\.(?:homedir|hostname|userInfo)/

/**
 * eval / Function / vm / child processes running code that was decoded (base64, hex, XOR, char
 * codes, a custom base64 alphabet, invisible Unicode): GuardDog's npm-exec-base64 and
 * threat-runtime-obfuscation-dynamic-eval. Code downloaded from the network is
 * remote-code-execution's; code from image assets is steganography's.
 */
export default defineRule({
  meta: {
    id: 'dynamic-code-execution',
    severity: 'high',
    description: 'Decoded or encoded data is executed with eval, Function, vm or a child process',
    docs: 'rules/dynamic-code-execution.md',
  },
  create(context) {
    return {
      'Program:exit': onFileFlow((flow, file, ctx) => {
        for (const event of flow.exec) {
          if (event.taint & (L.NET | L.ASSET | L.DROPPED)) continue // the other rules' cases
          if (event.family === 'require') continue
          const args = event.node.arguments as t.Node[]
          // A call into another file's function that runs its argument: the code is that argument.
          const sink = event.cross?.sink
          const codeNode = sink ? (sink.operand !== undefined ? args[sink.operand] : undefined) : args[event.api === 'Function' ? args.length - 1 : 0]
          const runtimeDecoded = (event.taint & L.DECODED) !== 0 && event.text.includes('*')
          // A constant that only folds through decoders: eval(Buffer.from('…', 'base64').toString())
          const folded = !runtimeDecoded && codeNode ? ctx.foldString(codeNode) : undefined
          // Decoding visible in the argument, or a constant decoded elsewhere (a string array, a decoder
          // function of the file) that turns out to be active code; a helper that only joins
          // parameter names (function-bind) is neither.
          const staticDecoded = !!folded && (hasDecoderCall(codeNode!) || (folded.decoded && ACTIVE_CODE.test(folded.value.slice(0, 100_000))))
          if (!runtimeDecoded && !staticDecoded) continue
          const decoded = staticDecoded ? folded!.value : ''
          const active = staticDecoded && ACTIVE_CODE.test(decoded.slice(0, 100_000))
          const hidden = (event.taint & L.HIDDEN) !== 0
          // Decoding right in the argument (eval(atob(x)), exec(Buffer.from(x, 'hex').toString())) is the
          // loader idiom; data that was decoded somewhere upstream (a wasm blob, a source map) is weaker.
          const direct = staticDecoded || (!!codeNode && hasDecoderCall(codeNode))
          const severity: Severity = active || hidden || file.entryKind === 'install' ? 'critical' : direct ? 'high' : 'medium'
          const what = event.family === 'process' ? 'runs a command' : 'executes code'
          context.report({
            ...placeOf(file, event),
            severity,
            message: `${event.api}() ${what} that ${staticDecoded ? 'is stored encoded and decoded just before running' : hidden ? 'is hidden in invisible Unicode characters and decoded at run time' : 'is decoded at run time (base64, hex, XOR, char codes or a custom alphabet)'}${active ? `; the decoded code ${describeActive(decoded)}` : ''}.${crossFileNote(file, event, L.DECODED)}${whenRuns(file)}`,
          })
        }
      }),
    }
  },
})

function hasDecoderCall(node: t.Node): boolean {
  return someDescendant(node, (n) => {
    if (n.type !== 'CallExpression') return false
    const c = n.callee
    if (c.type === 'Identifier') return c.name === 'atob' || c.name === 'unescape' || c.name === 'decodeURIComponent'
    if (c.type !== 'MemberExpression') return false
    const name = c.property.type === 'Identifier' ? c.property.name : c.property.type === 'StringLiteral' ? c.property.value : ''
    if (name === 'from' && c.object.type === 'Identifier' && c.object.name === 'Buffer') return n.arguments.length > 1
    return name === 'fromCharCode' || name === 'reverse' || name === 'fromCodePoint'
  }, 2000)
}

function describeActive(code: string): string {
  const parts: string[] = []
  if (/child_process|\bexec(?:Sync)?\s*\(|\bspawn\s*\(/.test(code)) parts.push('runs processes')
  if (/\bhttps?\b|\bfetch\s*\(|\baxios\b|XMLHttpRequest/.test(code)) parts.push('uses the network')
  if (/process\.env/.test(code)) parts.push('reads the environment')
  if (/\brequire\s*\(|\bimport\s*\(/.test(code)) parts.push('loads modules')
  if (/\beval\s*\(|\bFunction\s*\(/.test(code)) parts.push('evaluates more code')
  if (parts.length === 0) parts.push('touches the file system or host')
  return parts.join(', ')
}
