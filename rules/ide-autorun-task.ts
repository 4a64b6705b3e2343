import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { defineRule, type Severity } from '../src/types.ts'

const RUNS_CODE = /\b(?:node|nodejs|bun|deno|python[0-9.]*|bash|sh|zsh|powershell|pwsh|cmd(?:\.exe)?|curl|wget|npx)\b/i

/**
 * A VS Code task that runs by itself when the folder is opened (`runOptions.runOn: "folderOpen"`):
 * cloning and opening a "take-home interview" repository is then enough to run its code, no
 * `npm install` needed (Contagious Interview, 2025–2026). Shipped in a package or a project.
 */
export default defineRule({
  meta: {
    id: 'ide-autorun-task',
    severity: 'medium',
    description: 'An editor task that runs code automatically when the folder is opened',
    docs: 'rules/ide-autorun-task.md',
  },
  create(context) {
    return {
      manifest() {
        for (const [path, file] of context.pkg.files) {
          if (!/(?:^|\/)\.vscode\/tasks\.json$/.test(path) || !file.content || file.content.length > 1_000_000) continue
          const text = file.content.toString('utf8')
          if (!/"runOn"\s*:\s*"folderOpen"/.test(text)) continue
          let tasks: unknown[] = []
          try {
            // tasks.json allows comments and trailing commas; strip the simple cases before parsing
            const json = JSON.parse(text.replace(/^[ \t]*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')) as { tasks?: unknown[] }
            tasks = Array.isArray(json.tasks) ? json.tasks : []
          } catch {
            tasks = [{ command: text.slice(0, 2000), runOptions: { runOn: 'folderOpen' } }]
          }
          for (const task of tasks) {
            if (!task || typeof task !== 'object') continue
            const t = task as { command?: unknown; args?: unknown; runOptions?: { runOn?: unknown }; label?: unknown }
            if (t.runOptions?.runOn !== 'folderOpen') continue
            const command = [t.command, ...(Array.isArray(t.args) ? t.args : [])].filter((x) => typeof x === 'string').join(' ')
            const shell = inspectShellCommand(command)
            const severity: Severity = shell && shell.kind !== 'network' ? 'critical' : RUNS_CODE.test(command) ? 'high' : 'medium'
            context.report({
              file: path,
              severity,
              snippet: JSON.stringify(command).slice(0, 200),
              message: `VS Code task${typeof t.label === 'string' ? ` "${t.label}"` : ''} runs \`${command.slice(0, 120)}\` automatically when the folder is opened${shell ? `; it ${shell.detail}` : ''}: opening the repository is enough to run it.`,
            })
          }
        }
      },
    }
  },
})
