import type * as t from '@babel/types'
import { onFileFlow } from '../src/analyze/flow-rules.ts'
import { locate, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

/** Modules that hook the keyboard system-wide, outside the process' own terminal. */
const GLOBAL_KEY_HOOKS = new Set(['iohook', 'uiohook-napi', 'node-global-key-listener', 'gkm'])
/** Win32 keyboard-capture APIs, reached through an FFI module or PowerShell Add-Type. */
const WIN32_KEY_CAPTURE = /\b(?:GetAsyncKeyState|SetWindowsHookEx[AW]?|WH_KEYBOARD_LL|GetKeyboardState)\b/
/** Raw keyboard devices of Linux. */
const INPUT_DEVICE = /^\/dev\/input\//

/**
 * Keyboard capture beyond the process' own terminal (GuardDog `threat-runtime-keylogging`): a
 * global key-hook module, the Win32 keyboard-capture APIs, or reads of Linux input devices. High
 * when the same file uses the network or the code runs at install time.
 */
export default defineRule({
  meta: {
    id: 'keylogging',
    severity: 'medium',
    description: 'Keystrokes captured system-wide (global key hooks, Win32 keyboard APIs, /dev/input), especially with the network',
    docs: 'rules/keylogging.md',
  },
  create(context) {
    let hooks: Array<{ what: string; node: t.Node }> = []
    const loads = (spec: string | undefined, node: t.Node) => {
      if (spec !== undefined && GLOBAL_KEY_HOOKS.has(spec)) hooks.push({ what: `loads ${spec}, a global keyboard hook`, node })
    }
    return {
      Program() {
        hooks = []
      },
      ImportDeclaration(node) {
        loads(node.source.value, node)
      },
      CallExpression(node, ctx) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) loads(ctx.staticString(node.arguments[0]), node)
      },
      'Program:exit': onFileFlow((flow, file) => {
        const evidence: Array<{ what: string; node?: t.Node }> = [...hooks]
        for (const event of flow.files) {
          if (event.kind === 'read' && !event.probe && INPUT_DEVICE.test(event.pathText)) evidence.push({ what: `reads ${event.pathText}, a raw input device`, node: event.node })
        }
        const api = WIN32_KEY_CAPTURE.exec(file.text)
        if (api) evidence.push({ what: `names the Win32 keyboard-capture API ${api[0]}` })
        if (evidence.length === 0) return
        const networked = flow.network.length > 0
        const severity: Severity = networked || file.entryKind === 'install' ? 'high' : 'medium'
        const first = evidence[0]!
        const where = locate(file, first.node)
        context.report({
          ...(first.node ? { node: first.node } : { file: file.path, line: lineOf(file.text, api?.index ?? 0) }),
          severity,
          message: `Captures keystrokes system-wide: the code ${evidence.map((e) => e.what).join('; ')}${networked ? ', in a file that also uses the network' : ''}.${whenRuns(where)}`,
        })
      }),
    }
  },
})

function lineOf(text: string, index: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++
  return line
}
