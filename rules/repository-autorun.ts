import { INSTALL_SCRIPTS } from '../src/analyze/entry-kinds.ts'
import { describeTrigger, triggerRank } from '../src/analyze/project/triggers.ts'
import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { defineRule, type ProjectCommand, type Severity } from '../src/types.ts'

const INSTALL_LABELS = new Set(INSTALL_SCRIPTS.map((s) => `scripts.${s}`))

/**
 * Shell commands that the project being scanned runs on a developer's ordinary actions, read like
 * npm install scripts: an npm script run by `npm start` / `npm run dev` / `npm test`, a git hook
 * (`.git/hooks/*`, `.husky/*`, husky's package.json hooks), a dev container lifecycle command, a
 * shell script one of those runs. A download piped into a shell there runs on the first command
 * the victim of a fake job interview is told to type, or on their next `git pull`.
 */
export default defineRule({
  meta: {
    id: 'repository-autorun',
    severity: 'high',
    description: "A command the repository runs on npm start/dev/test, a git hook or a dev container downloads and runs code",
    docs: 'rules/repository-autorun.md',
  },
  create(context) {
    return {
      manifest() {
        const commands = context.pkg.project?.commands
        if (!commands) return
        for (const command of mostAutomatic(commands)) {
          // The root package.json's install scripts are install-script's; folder-open tasks are ide-autorun-task's.
          if (command.file === 'package.json' && INSTALL_LABELS.has(command.label)) continue
          if (command.file.endsWith('.vscode/tasks.json')) continue
          const shell = inspectShellCommand(command.command)
          if (!shell) continue
          const hook = !command.runs.startsWith('npm-script:')
          // Scripts that download (a dataset, a binary) are common in builds; in a hook or dev container they are not.
          const severity: Severity = shell.kind === 'network' ? (hook ? 'medium' : 'low') : shell.kind === 'hidden-command' ? 'high' : 'critical'
          context.report({
            file: command.file,
            ...(command.line !== undefined && { line: command.line }),
            severity,
            runs: command.runs,
            snippet: `${command.label}: ${command.command}`.slice(0, 240),
            message: `${describe(command)} ${shell.detail}; it runs ${describeTrigger(command.runs)}.`,
          })
        }
      },
    }
  },
})

/** One entry per command as written, with its most automatic trigger. */
function mostAutomatic(commands: readonly ProjectCommand[]): ProjectCommand[] {
  const best = new Map<string, ProjectCommand>()
  for (const c of commands) {
    const key = `${c.file}\u0000${c.line ?? ''}\u0000${c.label}\u0000${c.command}`
    const known = best.get(key)
    if (!known || triggerRank(c.runs) < triggerRank(known.runs)) best.set(key, c)
  }
  return [...best.values()]
}

function describe(c: ProjectCommand): string {
  const text = JSON.stringify(c.command.length > 120 ? `${c.command.slice(0, 117)}…` : c.command)
  if (c.runs.startsWith('git-hook:')) return `The git hook ${c.file} runs ${text}, which`
  if (c.runs.startsWith('devcontainer:')) return `The dev container command ${c.label} (${text})`
  if (c.label.startsWith('scripts.')) return `The npm script "${c.label.slice('scripts.'.length)}" of ${c.file} (${text})`
  return `${c.file}${c.line ? `:${c.line}` : ''} runs ${text}, which`
}
