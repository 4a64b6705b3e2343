import type * as t from '@babel/types'
import { CHILD_PROCESS_FUNCTIONS } from '../src/analyze/sinks.ts'
import { describeTrigger } from '../src/analyze/project/triggers.ts'
import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

export default defineRule({
  meta: {
    id: 'install-time-child-process',
    severity: 'medium',
    description: 'A process spawned by code that runs at install time',
    docs: 'rules/install-time-child-process.md',
  },
  create(context) {
    const check = (node: t.CallExpression | t.OptionalCallExpression, ctx: RuleContext) => {
      const file = ctx.file
      if (!file || file.entryKind !== 'install') return
      const ref = ctx.moduleOf(node.callee)
      if (!ref || ref.module !== 'child_process' || !CHILD_PROCESS_FUNCTIONS.has(ref.member)) return
      const command = commandOf(node, ref.member, ctx)
      const shell = command === undefined ? undefined : inspectShellCommand(command)
      // A project's dev server, build or test script starting programs is ordinary; only what they fetch matters there.
      const projectScript = file.runs !== undefined && file.runs !== 'npm-install'
      if (projectScript && !shell) return
      const severity: Severity = shell ? (shell.kind === 'network' || shell.kind === 'hidden-command' ? (projectScript ? 'medium' : 'high') : 'critical') : 'medium'
      const when = file.runs ? ` from code that runs ${describeTrigger(file.runs)}.` : ` from code run by the ${file.installScripts.join(', ')} script.`
      context.report({
        node,
        severity,
        message: shell
          ? `${ref.member}(${JSON.stringify(command!.slice(0, 120))}) ${shell.detail},${when}`
          : `${ref.member}(${command === undefined ? '<dynamic command>' : JSON.stringify(command.slice(0, 120))}) runs a program${when}`,
      })
    }
    return { CallExpression: check, OptionalCallExpression: check }
  },
})

/** The command line a child_process call runs, when it is static. */
function commandOf(node: t.CallExpression | t.OptionalCallExpression, member: string, ctx: RuleContext): string | undefined {
  const program = ctx.staticString(node.arguments[0])
  if (program === undefined) return undefined
  if (member.startsWith('exec') && !member.startsWith('execFile')) return program
  const args = node.arguments[1]
  if (args?.type !== 'ArrayExpression') return program
  const words = args.elements.map((e) => (e && e.type !== 'SpreadElement' ? ctx.staticString(e) : undefined))
  return [program, ...words.map((w) => w ?? '…')].join(' ')
}
