import type * as t from '@babel/types'
import { defineRule, type Severity } from '../src/types.ts'

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace'])
const STREAMS = new Set(['stdout', 'stderr'])

/** A function that does nothing: `() => {}`, `function () {}`, `() => undefined`, `Function.prototype`. */
function isNoop(node: t.Node): boolean {
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') {
    if (node.body.type === 'BlockStatement') return node.body.body.length === 0
    return node.body.type === 'Identifier' && node.body.name === 'undefined'
  }
  return node.type === 'MemberExpression' && node.object.type === 'Identifier' && node.object.name === 'Function' && node.property.type === 'Identifier' && node.property.name === 'prototype'
}

/**
 * Code that silences the console, the output streams or Node's warnings (GuardDog
 * `threat-runtime-obfuscation-log-suppress`): malware does it so that errors of what it runs in the
 * background never show. Common enough in libraries (quiet modes) to be low; medium at install
 * time, where nothing the user sees should be hidden.
 */
export default defineRule({
  meta: {
    id: 'output-suppression',
    severity: 'low',
    description: "Code silences console output, the process's output streams or Node's warnings",
    docs: 'rules/output-suppression.md',
  },
  create(context) {
    let reported = 0
    const report = (node: t.Node, what: string) => {
      if (reported++ >= 3) return
      const install = context.file?.entryKind === 'install'
      const severity: Severity = install ? 'medium' : 'low'
      context.report({ node, severity, message: `${what}${install ? ', in code that runs at install time: what it does next is hidden from the person installing' : ''}.` })
    }
    return {
      AssignmentExpression(node) {
        const target = node.left
        if (target.type !== 'MemberExpression' || !isNoop(node.right)) return
        const name = target.property.type === 'Identifier' ? target.property.name : target.property.type === 'StringLiteral' ? target.property.value : ''
        const object = target.object
        if (object.type === 'Identifier' && object.name === 'console' && CONSOLE_METHODS.has(name)) report(node, `console.${name} is replaced with a function that does nothing`)
        else if (object.type === 'MemberExpression' && object.object.type === 'Identifier' && object.object.name === 'process' && object.property.type === 'Identifier' && STREAMS.has(object.property.name) && name === 'write') {
          report(node, `process.${object.property.name}.write is replaced with a function that does nothing`)
        } else if (object.type === 'Identifier' && object.name === 'process' && name === 'emitWarning') report(node, "process.emitWarning is replaced: Node's warnings are silenced")
      },
      CallExpression(node) {
        const callee = node.callee
        if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier' || callee.object.name !== 'process') return
        const method = callee.property.type === 'Identifier' ? callee.property.name : ''
        const [first] = node.arguments
        if (method === 'removeAllListeners' && first?.type === 'StringLiteral' && first.value === 'warning') report(node, "process.removeAllListeners('warning') silences Node's warnings")
      },
    }
  },
})
