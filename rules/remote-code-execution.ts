import type * as t from '@babel/types'
import { flowGateListeners, flowOf, L } from '../src/analyze/flow.ts'
import { crossFileNote, eventLocation, ownText, placeOf } from '../src/analyze/flow-rules.ts'
import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { locate, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

/** Files with more calls than this are bundles (a CLI or library compiled into one file). */
const BUNDLE_CALLS = 3000

const SHELL_PROGRAM = /^\s*(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k|fi)?sh\b|^\s*(?:cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh)\b/i

/** `child.stdin`, `child.stdout`, `child.stderr`. */
function isStdio(node: t.Node): boolean {
  return node.type === 'MemberExpression' && node.property.type === 'Identifier' && /^std(?:in|out|err)$/.test(node.property.name) && !(node.object.type === 'Identifier' && node.object.name === 'process')
}

/**
 * Download and execute: data received from the network reaches eval / Function / vm, a child
 * process, or `require`, directly or through a file written with it.
 */
export default defineRule({
  meta: {
    id: 'remote-code-execution',
    severity: 'critical',
    description: 'Code or commands received from the network are executed (download-and-execute, remote shell)',
    docs: 'rules/remote-code-execution.md',
  },
  create(context) {
    let pipes: t.CallExpression[] = []
    return {
      // This rule hosts the gate that lets files without sources or sinks skip the flow analysis.
      NewExpression: flowGateListeners.NewExpression,
      OptionalCallExpression: flowGateListeners.OptionalCallExpression,
      ImportExpression: flowGateListeners.ImportExpression,
      ImportDeclaration: flowGateListeners.ImportDeclaration,
      ExportAllDeclaration: flowGateListeners.ExportAllDeclaration,
      ExportNamedDeclaration: flowGateListeners.ExportNamedDeclaration,
      MemberExpression: flowGateListeners.MemberExpression,
      Program(node) {
        flowGateListeners.Program(node)
        pipes = []
      },
      CallExpression(node, ctx) {
        flowGateListeners.CallExpression(node, ctx)
        // x.pipe(y) and x.stdin.write(d): the wiring of a reverse shell
        const c = node.callee
        if (c.type === 'MemberExpression' && c.property.type === 'Identifier' && (c.property.name === 'pipe' || (c.property.name === 'write' && isStdio(c.object))) && pipes.length < 500) pipes.push(node)
      },
      'Program:exit'(program, ctx) {
        const file = ctx.file
        if (!file) return
        const flow = flowOf(program, ctx)
        const shells = flow.exec.filter((e) => e.family === 'process' && ownText(e) && SHELL_PROGRAM.test(e.text))
        if (shells.length > 0) {
          for (const call of pipes) {
            const c = call.callee as t.MemberExpression
            const from = flow.taintOf(c.object)
            const to = flow.taintOf(call.arguments[0] as t.Node | undefined)
            const stdio = isStdio(c.object) || (call.arguments[0] !== undefined && isStdio(call.arguments[0] as t.Node))
            if (stdio && ((from | to) & (L.NET | L.NETOBJ)) !== 0) {
              context.report({ node: shells[0]!.node, severity: 'critical', message: `${shells[0]!.api}(${JSON.stringify(shells[0]!.text.slice(0, 60))}) starts a shell whose input or output is wired to a network socket: a reverse shell.${whenRuns(locate(file, call))}` })
              break
            }
          }
        }
        for (const event of flow.exec) {
          const where = eventLocation(file, event)
          const report = (severity: Severity, message: string) =>
            context.report({ ...placeOf(file, event), severity, message: `${message}${crossFileNote(file, event, L.NET | L.DROPPED)}${whenRuns(where)}` })
          const fromNetwork = (event.taint & L.NET) !== 0
          const dropped = (event.taint & L.DROPPED) !== 0
          if (event.family === 'eval' && fromNetwork) {
            report('critical', `${event.api}() executes code received from the network: a download-and-execute loader.`)
          } else if (event.family === 'require' && (fromNetwork || dropped)) {
            report('critical', `${event.api} loads a module whose name or file comes from ${fromNetwork ? 'a network response' : 'a file written from downloaded or decoded data'}.`)
          } else if (event.family === 'process' && fromNetwork) {
            const wholeCommand = event.text.startsWith('*') && ((event.programTaint ?? event.taint) & L.NET) !== 0
            // In large bundles values merge through shared helpers; a command there is less certainly remote.
            if (wholeCommand) report(flow.calls > BUNDLE_CALLS ? 'high' : 'critical', `${event.api}() runs a command received from the network: a remote shell.`)
            else report('medium', `${event.api}(${JSON.stringify(event.text.slice(0, 100))}) puts data received from the network into a command line.`)
          } else if (dropped) {
            const ownDir = event.text.includes('<pkg>') && !/~\/|<tmp>/.test(event.text)
            if (ownDir) {
              report('medium', `${event.api}(${JSON.stringify(event.text.slice(0, 100))}) runs a file the package downloaded into its own directory (binary installer shape).`)
            } else {
              report('critical', `${event.api}(${JSON.stringify(event.text.slice(0, 100))}) runs a file that this code wrote from downloaded or decoded data: download-and-execute.`)
            }
          } else if (event.family === 'process' && file.entryKind !== 'install' && ownText(event)) {
            // Shell one-liners at run time (install-time ones are install-time-child-process's).
            const shell = inspectShellCommand(event.text)
            if (shell && (shell.kind === 'download-exec' || shell.kind === 'reverse-shell')) {
              report('high', `${event.api}(${JSON.stringify(event.text.slice(0, 120))}) ${shell.detail}.`)
            }
          }
        }
      },
    }
  },
})
