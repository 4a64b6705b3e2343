import type * as t from '@babel/types'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

const INSPECTOR_MEMBERS = new Set(['open', 'Session', 'url'])

/** `--inspect` bound to an address other than loopback: anyone who can reach it runs code in the process. */
const EXPOSED_INSPECTOR = /--inspect(?:-brk|-wait)?=(?!(?:127\.0\.0\.1|localhost|\[::1\])?:?\d*(?:\s|$))[^\s"']+/

/**
 * Use of Node's debugger (Socket `debugAccess`): the `inspector` module, `process._debugProcess`
 * (makes ANOTHER Node process open its debugger, so that code can be injected into it), and an
 * inspector exposed on a non-loopback address. A debugger is a way to run arbitrary code.
 */
export default defineRule({
  meta: {
    id: 'debug-access',
    severity: 'low',
    description: "Use of Node's debugger: the inspector module, opening another process's debugger, an exposed --inspect",
    docs: 'rules/debug-access.md',
  },
  create(context) {
    let reported = 0
    const report = (node: t.Node, severity: Severity, message: string) => {
      if (reported++ < 5) context.report({ node, severity, message })
    }
    const inspector = (node: t.Node, ctx: RuleContext) => {
      const ref = ctx.moduleOf(node)
      if (ref?.module !== 'inspector' || !INSPECTOR_MEMBERS.has(ref.member)) return
      const install = ctx.file?.entryKind === 'install'
      report(node, install ? 'medium' : 'low', `inspector.${ref.member}: the package drives Node's debugger${install ? ' from code that runs at install time' : ''}.`)
    }
    return {
      CallExpression(node, ctx) {
        if (node.callee.type === 'Identifier') inspector(node.callee, ctx)
      },
      NewExpression(node, ctx) {
        if (node.callee.type === 'Identifier') inspector(node.callee, ctx)
      },
      MemberExpression(node, ctx) {
        inspector(node, ctx)
        const property = node.property.type === 'Identifier' ? node.property.name : node.property.type === 'StringLiteral' ? node.property.value : ''
        if (property === '_debugProcess' && node.object.type === 'Identifier' && node.object.name === 'process') {
          report(node, 'high', 'process._debugProcess(pid) makes another Node process open its debugger, through which code can be injected into it.')
        }
      },
      StringLiteral(node) {
        if (node.value.length < 200 && EXPOSED_INSPECTOR.test(node.value)) {
          report(node, 'medium', `${JSON.stringify(node.value.slice(0, 80))} opens Node's debugger on a non-loopback address: whoever reaches it can run code in the process.`)
        }
      },
    }
  },
})
