import { posix } from 'node:path'
import { parseJsonFile } from '../src/analyze/project/runs.ts'
import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { defineRule, type Manifest, type PackageFile, type Severity } from '../src/types.ts'

const RUNS_CODE = /\b(?:node|nodejs|bun|deno|python[0-9.]*|bash|sh|zsh|powershell|pwsh|cmd(?:\.exe)?|curl|wget|npx)\b/i

interface Task {
  label?: unknown
  type?: unknown
  script?: unknown
  path?: unknown
  command?: unknown
  args?: unknown
  runOptions?: { runOn?: unknown }
  windows?: Task
  linux?: Task
  osx?: Task
}

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
          const json = parseJsonFile(file)
          const tasks: unknown[] = json && typeof json === 'object' && Array.isArray((json as { tasks?: unknown }).tasks) ? (json as { tasks: unknown[] }).tasks : [{ command: text.slice(0, 2000), runOptions: { runOn: 'folderOpen' } }]
          const folder = posix.dirname(path)
          const forced = allowsAutomaticTasks(context.pkg.files.get(`${folder}/settings.json`))
          const projectDir = posix.dirname(folder) === '.' ? '' : posix.dirname(folder)
          for (const task of tasks.slice(0, 200)) {
            if (!task || typeof task !== 'object') continue
            const t = task as Task
            if (!t.runOptions || typeof t.runOptions !== 'object' || t.runOptions.runOn !== 'folderOpen') continue
            const command = commandOf(t, projectDir, context.pkg.files, context.pkg.manifest)
            const shell = inspectShellCommand(command)
            let severity: Severity = shell && shell.kind !== 'network' && shell.kind !== 'hidden-command' ? 'critical' : shell?.kind === 'hidden-command' || RUNS_CODE.test(command) ? 'high' : 'medium'
            if (forced && severity === 'medium') severity = 'high'
            context.report({
              file: path,
              severity,
              runs: 'folder-open',
              snippet: JSON.stringify(command).slice(0, 200),
              message: `VS Code task${typeof t.label === 'string' ? ` "${t.label}"` : ''} runs \`${command.slice(0, 120)}\` automatically when the folder is opened${shell ? `; it ${shell.detail}` : ''}: opening the repository is enough to run it.${forced ? ' The repository\'s own settings.json also turns automatic tasks on (task.allowAutomaticTasks), so VS Code does not ask.' : ''}`,
            })
          }
        }
      },
    }
  },
})

/** The command line a task runs; for an npm task, `npm run x` and what script x runs. */
function commandOf(t: Task, projectDir: string, files: ReadonlyMap<string, PackageFile>, rootManifest: Manifest | undefined): string {
  const word = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string' ? (v as { value: string }).value : undefined)
  const parts: string[] = []
  if (t.type === 'npm' && typeof t.script === 'string') {
    const dir = typeof t.path === 'string' && t.path ? posix.normalize(posix.join(projectDir || '.', t.path)) : projectDir
    const manifest = dir === '' || dir === '.' ? rootManifest : (parseJsonFile(files.get(`${dir}/package.json`)) as Manifest | undefined)
    const script = manifest?.scripts && typeof manifest.scripts === 'object' ? manifest.scripts[t.script] : undefined
    parts.push(`npm run ${t.script}${typeof script === 'string' ? ` (${script})` : ''}`)
  }
  for (const variant of [t, t.windows, t.linux, t.osx]) {
    if (!variant || typeof variant !== 'object') continue
    const command = word(variant.command)
    if (!command) continue
    const args = Array.isArray(variant.args) ? variant.args.map(word).filter((a): a is string => a !== undefined) : []
    parts.push([command, ...args].join(' '))
  }
  return parts.join('; ')
}

/** `"task.allowAutomaticTasks": "on"` in the folder's settings: VS Code runs folder-open tasks without asking. */
function allowsAutomaticTasks(file: PackageFile | undefined): boolean {
  const json = parseJsonFile(file)
  return !!json && typeof json === 'object' && (json as Record<string, unknown>)['task.allowAutomaticTasks'] === 'on'
}
