import type * as t from '@babel/types'
import { isNetworkCall, isWholeProcessEnv, NETWORK_MODULES, someDescendant } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext } from '../src/types.ts'

const STREAM_SENDS = new Set(['write', 'end', 'send', 'emit', 'post', 'put'])

export default defineRule({
  meta: {
    id: 'env-exfiltration',
    severity: 'critical',
    description: 'The whole process environment (every secret and token in it) sent over the network',
    docs: 'rules/env-exfiltration.md',
  },
  create(context) {
    let tainted = new Set<string>()
    let usesNetwork = false
    let pendingSends: t.CallExpression[] = []
    let reported = new Set<t.Node>()

    const carriesEnv = (node: t.Node | null | undefined): boolean =>
      !!node && someDescendant(node, (n, parent) => isWholeProcessEnv(n, parent) || (n.type === 'Identifier' && tainted.has(n.name) && !(parent?.type === 'MemberExpression' && parent.property === n && !parent.computed)))

    const report = (node: t.Node, ctx: RuleContext, how: string) => {
      if (reported.has(node)) return
      reported.add(node)
      const when = ctx.file?.entryKind === 'install' ? ` It runs at install time (${ctx.file.installScripts.join(', ')}).` : ''
      context.report({ node, message: `The whole process.env ${how}: every token, key and password in the environment leaves the machine.${when}` })
    }

    return {
      Program() {
        tainted = new Set()
        usesNetwork = false
        pendingSends = []
        reported = new Set()
      },
      VariableDeclarator(node) {
        if (node.id.type === 'Identifier' && carriesEnv(node.init)) tainted.add(node.id.name)
      },
      AssignmentExpression(node) {
        if (node.left.type === 'Identifier' && carriesEnv(node.right)) tainted.add(node.left.name)
      },
      CallExpression(node, ctx) {
        const ref = ctx.moduleOf(node.callee)
        if (ref && NETWORK_MODULES.has(ref.module)) usesNetwork = true
        if (isNetworkCall(node, ctx)) {
          usesNetwork = true
          if (node.arguments.some((a) => carriesEnv(a))) report(node, ctx, 'is sent in a network request')
          return
        }
        const callee = node.callee
        if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && STREAM_SENDS.has(callee.property.name) && node.arguments.some((a) => carriesEnv(a))) {
          pendingSends.push(node)
        }
      },
      NewExpression(node, ctx) {
        if (isNetworkCall(node, ctx)) usesNetwork = true
      },
      'Program:exit'(_program, ctx) {
        if (usesNetwork) for (const send of pendingSends) report(send, ctx, 'is written to a network request')
      },
    }
  },
})
