import type * as t from '@babel/types'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

/**
 * `NODE_TLS_REJECT_UNAUTHORIZED = 0` (any spelling) or `rejectUnauthorized: false`: every HTTPS
 * certificate is accepted, so a staging server needs no valid certificate. An amplifier: low
 * alone, medium in install-time code, info when guarded by a local-development condition.
 */
export default defineRule({
  meta: {
    id: 'tls-verification-disabled',
    severity: 'low',
    description: 'TLS certificate verification is switched off',
    docs: 'rules/tls-verification-disabled.md',
  },
  create(context) {
    const severityFor = (ctx: RuleContext): Severity => {
      if (ctx.file?.entryKind === 'install') return 'medium'
      const guarded = ctx.ancestors().some((a) => a.type === 'IfStatement' || a.type === 'ConditionalExpression' || a.type === 'LogicalExpression')
      return guarded ? 'info' : 'low'
    }
    const isEnvTarget = (node: t.Node, ctx: RuleContext): boolean => {
      if (node.type !== 'MemberExpression') return false
      const key = node.computed ? ctx.staticString(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined
      if (key !== 'NODE_TLS_REJECT_UNAUTHORIZED') return false
      const env = node.object
      return env.type === 'MemberExpression' && (env.computed ? ctx.staticString(env.property) : env.property.type === 'Identifier' ? env.property.name : undefined) === 'env'
    }
    return {
      AssignmentExpression(node, ctx) {
        if (!isEnvTarget(node.left, ctx)) return
        const value = node.right.type === 'NumericLiteral' ? String(node.right.value) : ctx.staticString(node.right)
        if (value !== '0') return
        context.report({ node, severity: severityFor(ctx), message: 'Sets NODE_TLS_REJECT_UNAUTHORIZED to 0: every HTTPS certificate is accepted, for the whole process.' })
      },
      ObjectProperty(node, ctx) {
        if (ctx.file?.entryKind !== 'install') return
        const key = node.key.type === 'Identifier' ? node.key.name : node.key.type === 'StringLiteral' ? node.key.value : ''
        if (key !== 'rejectUnauthorized' || node.value.type !== 'BooleanLiteral' || node.value.value) return
        context.report({ node, severity: 'low', message: 'Install-time code makes an HTTPS request with rejectUnauthorized: false.' })
      },
    }
  },
})
