import type * as t from '@babel/types'
import { L } from '../src/analyze/flow.ts'
import { crossFileNote, eventLocation, onFileFlow, placeOf } from '../src/analyze/flow-rules.ts'
import { isNetworkCall, isWholeProcessEnv, NETWORK_MODULES, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext } from '../src/types.ts'

/** Methods that put data on an open request or socket. */
const STREAM_SENDS = new Set(['write', 'end', 'send', 'emit'])
/** Calls that serialise or encode a value without dropping its content. */
const ENCODERS = new Set(['stringify', 'from', 'btoa', 'encodeURIComponent', 'encodeURI', 'escape', 'String', 'entries', 'values', 'assign', 'toString', 'concat', 'encode'])

export default defineRule({
  meta: {
    id: 'env-exfiltration',
    severity: 'critical',
    description: 'The whole process environment (every secret and token in it) sent over the network',
    docs: 'rules/env-exfiltration.md',
  },
  create(context) {
    let usesNetwork = false
    let pendingSends: t.CallExpression[] = []
    const reported = new WeakSet<t.Node>()

    const report = (node: t.Node, ctx: RuleContext, how: string) => {
      const when = ctx.file && (ctx.file.entryKind === 'install' || ctx.file.runs) ? whenRuns(ctx.file) : ''
      reported.add(node)
      context.report({ node, message: `The whole process.env ${how}: every token, key and password in the environment leaves the machine.${when}` })
    }
    // Across files: the environment collected by another file's export, or handed to another file's
    // request function, as the data flow follows it (flow.ts, module-summary.ts).
    const crossFile = onFileFlow((flow, file) => {
      for (const event of flow.network) {
        if ((event.taint & L.ENV) === 0 || !event.cross || reported.has(event.node)) continue
        if (!event.cross.sink && !event.cross.sources?.some((s) => s.labels & L.ENV)) continue
        reported.add(event.node)
        const where = eventLocation(file, event)
        context.report({
          ...placeOf(file, event),
          message: `The whole process.env is sent in a network request: every token, key and password in the environment leaves the machine.${crossFileNote(file, event, L.ENV)}${where.entryKind === 'install' ? whenRuns(where) : ''}`,
        })
      }
    })

    return {
      Program() {
        usesNetwork = false
        pendingSends = []
      },
      CallExpression(node, ctx) {
        const ref = ctx.moduleOf(node.callee)
        if (ref && NETWORK_MODULES.has(ref.module)) usesNetwork = true
        if (isNetworkCall(node, ctx)) {
          usesNetwork = true
          if (node.arguments.some((a) => isEnvPayload(a, ctx, 0))) report(node, ctx, 'is sent in a network request')
          return
        }
        const callee = node.callee
        if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && STREAM_SENDS.has(callee.property.name) && !isStdio(callee.object) && node.arguments.some((a) => isEnvPayload(a, ctx, 0))) {
          pendingSends.push(node)
        }
      },
      NewExpression(node, ctx) {
        if (isNetworkCall(node, ctx)) usesNetwork = true
      },
      'Program:exit'(program, ctx) {
        if (usesNetwork) for (const send of pendingSends) report(send, ctx, 'is written to a network request')
        crossFile(program, ctx)
      },
    }
  },
})

/**
 * Whether an expression carries the values of the whole environment: `process.env` itself, or
 * something that serialises, encodes, wraps or concatenates it (`JSON.stringify(process.env)`,
 * `{ env: process.env }`, `` `${btoa(JSON.stringify(env))}` ``), directly or through a name bound
 * once to such a value. Filtering or mapping calls are not followed: they may keep nothing.
 */
function isEnvPayload(node: t.Node | null | undefined, ctx: RuleContext, depth: number): boolean {
  if (!node || depth > 12) return false
  const next = (n: t.Node | null | undefined) => isEnvPayload(n, ctx, depth + 1)
  switch (node.type) {
    case 'MemberExpression':
      return isWholeProcessEnv(node, undefined)
    case 'Identifier':
      return next(ctx.initOf(node))
    case 'ParenthesizedExpression':
    case 'AwaitExpression':
    case 'TSAsExpression':
      return next('expression' in node ? node.expression : (node as t.AwaitExpression).argument)
    case 'SpreadElement':
      return next(node.argument)
    case 'ObjectExpression':
      return node.properties.some((p) => (p.type === 'SpreadElement' ? next(p.argument) : p.type === 'ObjectProperty' ? next(p.value) : false))
    case 'ArrayExpression':
      return node.elements.some((e) => next(e))
    case 'TemplateLiteral':
      return node.expressions.some((e) => next(e))
    case 'BinaryExpression':
      return node.operator === '+' && (next(node.left) || next(node.right))
    case 'LogicalExpression':
    case 'ConditionalExpression':
      return node.type === 'LogicalExpression' ? next(node.left) || next(node.right) : next(node.consequent) || next(node.alternate)
    case 'NewExpression':
    case 'CallExpression': {
      const callee = node.callee
      const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : undefined
      if (!name || !ENCODERS.has(name) && name !== 'URLSearchParams') return false
      // x.toString('base64'), buf.concat(env): the receiver carries the payload too
      if (callee.type === 'MemberExpression' && (name === 'toString' || name === 'concat' || name === 'encode') && next(callee.object)) return true
      return node.arguments.some((a) => next(a))
    }
    default:
      return false
  }
}

/** `process.stdout` / `process.stderr`: writing there prints, it does not send. */
function isStdio(node: t.Node): boolean {
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    node.object.type === 'Identifier' &&
    node.object.name === 'process' &&
    node.property.type === 'Identifier' &&
    (node.property.name === 'stdout' || node.property.name === 'stderr')
  )
}
