import { L } from '../src/analyze/flow.ts'
import { crossFileNote, onFileFlow, ownText, placeOf } from '../src/analyze/flow-rules.ts'
import { whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

/**
 * A child process started detached with its output thrown away (`{detached: true, stdio:
 * 'ignore'}`, often `.unref()` and `windowsHide`): it outlives `npm install` and nobody sees it
 * (GuardDog npm-silent-process-execution). Critical when what it runs is a file the package
 * just wrote from downloaded or decoded data, or a dot-file in the home or temp directory.
 */
export default defineRule({
  meta: {
    id: 'silent-process-execution',
    severity: 'medium',
    description: 'A detached child process with ignored output, especially of a freshly dropped file',
    docs: 'rules/silent-process-execution.md',
  },
  create(context) {
    return {
      'Program:exit': onFileFlow((flow, file) => {
        for (const event of flow.exec) {
          if (event.family !== 'process' || !event.options?.detached || !event.options.stdioIgnored) continue
          const dropped = (event.taint & L.DROPPED) !== 0
          // Through another file's function: only what this call adds (the command, a dropped file) is new.
          if (!ownText(event) && !dropped) continue
          const hiddenFile = writesHiddenPath(event.text)
          // Install-time reach is over-approximated (a postinstall that requires the library reaches
          // all of it), so it does not raise the severity by itself.
          const severity: Severity = dropped || hiddenFile ? 'critical' : 'medium'
          context.report({
            ...placeOf(file, event),
            severity,
            message: `${event.api}(${JSON.stringify(event.text.slice(0, 100))}) starts a detached process with its output discarded${event.options.unref ? ' and unref()s it' : ''}${event.options.windowsHide ? ', hiding its window' : ''}${dropped ? '; it runs a file this code wrote from downloaded or decoded data' : hiddenFile ? '; it runs a hidden file in the home or temp directory' : ''}.${crossFileNote(file, event)}${file.runs ? whenRuns(file) : file.entryKind === 'install' ? ` It runs at install time (${file.installScripts.join(', ')}) and outlives npm.` : ''}`,
          })
        }
      }),
    }
  },
})

/** A path under the home or temp directory with a dot-named file or folder in it (`~/.cache/x`). */
function writesHiddenPath(text: string): boolean {
  // Linear: one pass over each path, where a single regular expression would backtrack per '/'.
  for (const [path] of text.matchAll(/(?:~|<tmp>)\/[^\s"']*/g)) {
    if (path.split('/').slice(1).some((segment) => segment.length >= 2 && segment.startsWith('.'))) return true
  }
  return false
}
