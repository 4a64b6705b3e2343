import { L } from '../src/analyze/flow.ts'
import { crossFileNote, eventLocation, onFileFlow, ownText, placeOf } from '../src/analyze/flow-rules.ts'
import { destinationOf, locate, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

const CLIPBOARD_COMMAND = /\b(?:pbpaste|Get-Clipboard|wl-paste)\b|\bxclip\b[^|;&]{0,40}\s-o\b|\bxsel\b[^|;&]{0,40}\s-[a-z]{0,8}o\b/i

/**
 * Reading the clipboard (`pbpaste`, `Get-Clipboard`, `xclip -o`, clipboardy): where wallet
 * addresses, passwords and seed phrases pass. Critical when its content is sent over the network.
 */
export default defineRule({
  meta: {
    id: 'clipboard-access',
    severity: 'medium',
    description: 'The clipboard is read (and sent over the network)',
    docs: 'rules/clipboard-access.md',
  },
  create(context) {
    return {
      'Program:exit': onFileFlow((flow, file) => {
        const sends = flow.network.filter((e) => e.taint & L.CLIPBOARD)
        for (const event of sends) {
          context.report({ ...placeOf(file, event), severity: 'critical', message: `Sends clipboard content to ${destinationOf(event.url).detail}: a clipboard stealer.${crossFileNote(file, event, L.CLIPBOARD)}${whenRuns(eventLocation(file, event))}` })
        }
        if (sends.length > 0) return
        for (const event of flow.exec) {
          if (event.family !== 'process' || !ownText(event) || !CLIPBOARD_COMMAND.test(event.text)) continue
          const polled = /\bsetInterval\s*\(/.test(file.text)
          const severity: Severity = polled && flow.network.length > 0 ? 'high' : 'medium'
          context.report({ node: event.node, severity, message: `${event.api}(${JSON.stringify(event.text.slice(0, 80))}) reads the clipboard${polled ? ' from code that polls on a timer' : ''}.${whenRuns(locate(file, event.node))}` })
          break
        }
      }),
    }
  },
})
