import { posix } from 'node:path'
import { parse as parseJsonc } from 'jsonc-parser'
import type { Manifest, PackageFile, ProjectCommand, RunTrigger } from '../../types.ts'
import { INSTALL_SCRIPTS, relativeImports, resolveIn } from '../entry-kinds.ts'
import { commandEffects, join, type CommandContext } from './commands.ts'
import { configsOf, entriesOf, toolOfConfig } from './tools.ts'
import { triggerRank } from './triggers.ts'

/**
 * When each file of a repository runs, for the project a developer was asked to clone and run
 * (the root of a directory scan): on `npm install`, on `npm start` / `npm run dev` / any other
 * script, when the folder is opened in VS Code, on git operations (hooks), when a dev container
 * is created, when a tool loads its configuration, or when the main module is loaded. Commands
 * are followed into the files they run and those files into their relative imports.
 */
export interface ProjectRuns {
  /** The most automatic trigger of each file it knows (JS files, hook and shell scripts, config JSON). */
  runs: Map<string, RunTrigger>
  /** Code passed inline to `node -e` by scripts, hooks and tasks. */
  inline: Array<{ path: string; code: string; runs: RunTrigger }>
  /** Every command line that an ordinary action runs, with where it is written. */
  commands: ProjectCommand[]
  /** Files without a JS extension that are JavaScript to analyse (a git hook with a node shebang). */
  scriptSources: string[]
}

/** Scripts that only a maintainer runs (publishing, versioning): not part of running the project. */
const MAINTAINER_SCRIPTS = new Set(['prepublishOnly', 'prepublish', 'prepack', 'postpack', 'publish', 'postpublish', 'preversion', 'version', 'postversion', 'preshrinkwrap', 'shrinkwrap', 'postshrinkwrap', 'dependencies'])
const INSTALL = new Set<string>(INSTALL_SCRIPTS)

/** Client-side hooks git runs (server-side ones never run in a clone). */
const GIT_HOOKS = new Set(['applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'post-rewrite', 'pre-auto-gc', 'reference-transaction', 'sendemail-validate', 'fsmonitor-watchman', 'post-index-change', 'push-to-checkout'])

const DEVCONTAINER_COMMANDS = ['initializeCommand', 'onCreateCommand', 'updateContentCommand', 'postCreateCommand', 'postStartCommand', 'postAttachCommand'] as const

/** Settings whose value VS Code runs as a program or loads as a module. */
const EXECUTABLE_SETTING = /(?:^|\.)(?:path|executablePath|runtime|runtimeExecutable|runtimeArgs|nodePath|tsdk|shellPath|command|serverPath|binPath|interpreterPath|defaultInterpreterPath)$/i

const LIMITS = { manifests: 200, commands: 2000, hookLines: 500, tasks: 200, graph: 20_000 }

const NODE_SHEBANG = /^#!\s*(?:\/usr\/bin\/env\s+(?:-S\s+)?)?\S*\b(?:node|nodejs|bun|deno|tsx|ts-node)\b/

export function analyzeProjectRuns(files: ReadonlyMap<string, PackageFile>, texts: ReadonlyMap<string, string>): ProjectRuns {
  const runs = new Map<string, RunTrigger>()
  const inline: ProjectRuns['inline'] = []
  const commands: ProjectCommand[] = []
  const scriptSources: string[] = []
  const seeds: Array<{ path: string; trigger: RunTrigger }> = []
  const hookDirs = new Set<string>(['.git/hooks', '.husky'])

  const manifests = readManifests(files)
  const exists = (path: string) => files.has(path)
  const textOf = (path: string): string | undefined => texts.get(path) ?? files.get(path)?.content?.subarray(0, 1024 * 1024).toString('utf8')
  const mark = (path: string, trigger: RunTrigger) => {
    const known = runs.get(path)
    if (known === undefined || triggerRank(trigger) < triggerRank(known)) runs.set(path, trigger)
  }
  const manifestPath = (dir: string) => (dir ? `${dir}/package.json` : 'package.json')
  const context = (dir: string): CommandContext => ({
    dir,
    exists,
    scriptNames: (d) => Object.keys(scriptsOf(manifests.get(d))),
  })

  /** A JS file a command names: `server/x` → `server/x.js`; a directory → its package main. */
  const jsFile = (path: string): string | undefined => {
    if (texts.has(path)) return path
    const manifest = manifests.get(path)
    if (manifest !== undefined || path === '') return mainOf(path, manifest, texts)
    return resolveIn('', `./${path}`, texts)
  }

  const visited = new Set<string>()
  const runCommand = (command: string, dir: string, trigger: RunTrigger, origin: { file: string; label: string; line?: number }, depth = 0): void => {
    const key = `${trigger}\u0000${dir}\u0000${command}`
    if (visited.has(key) || visited.size >= LIMITS.commands || depth > 8) return
    visited.add(key)
    commands.push({ file: origin.file, label: origin.label, command, runs: trigger, ...(origin.line !== undefined && { line: origin.line }) })
    const effects = commandEffects(command, context(dir))
    for (const file of effects.files) {
      const js = jsFile(file)
      if (js) seeds.push({ path: js, trigger })
      else if (exists(file)) runScriptFile(file, dir, trigger, depth)
    }
    effects.inline.forEach((code, i) => {
      const path = `${origin.file}#${origin.line !== undefined ? `L${origin.line}` : origin.label}${i ? `.${i}` : ''}`
      inline.push({ path, code, runs: trigger })
      runs.set(path, trigger)
      for (const spec of relativeImports(code)) {
        const target = resolveIn(dir, spec, texts)
        if (target) seeds.push({ path: target, trigger })
      }
    })
    for (const file of effects.shellFiles) runScriptFile(file, dir, trigger, depth)
    for (const { tool, dir: toolDir, config } of effects.tools) {
      const configs = config ? (texts.has(config) ? [{ path: config }] : []) : configsOf(tool, toolDir, (p) => texts.has(p))
      for (const c of configs) seeds.push({ path: c.path, trigger })
      for (const entry of entriesOf(tool, toolDir, texts.keys())) seeds.push({ path: entry, trigger })
    }
    for (const { dir: scriptDir, name } of effects.scripts) runScript(scriptDir, name, trigger, depth + 1)
    for (const installDir of effects.installs) runInstall(installDir, trigger, depth + 1)
    for (const hooks of effects.hooksPaths) hookDirs.add(hooks)
  }

  /** A script file a command runs: JavaScript (by shebang) is analysed, shell is read line by line. */
  const runScriptFile = (path: string, dir: string, trigger: RunTrigger, depth: number) => {
    const text = textOf(path)
    if (text === undefined) return
    mark(path, trigger)
    if (texts.has(path)) {
      seeds.push({ path, trigger })
      return
    }
    if (NODE_SHEBANG.test(text)) {
      if (!scriptSources.includes(path)) scriptSources.push(path)
      seeds.push({ path, trigger })
      return
    }
    text.split('\n').slice(0, LIMITS.hookLines).forEach((line, i) => {
      if (line.trim() && !line.trimStart().startsWith('#')) runCommand(line, dir, trigger, { file: path, label: posix.basename(path), line: i + 1 }, depth + 1)
    })
  }

  const runScript = (dir: string, name: string, trigger: RunTrigger, depth = 0) => {
    const scripts = scriptsOf(manifests.get(dir))
    for (const step of [`pre${name}`, name, `post${name}`]) {
      const command = scripts[step]
      if (typeof command === 'string') runCommand(command, dir, trigger, { file: manifestPath(dir), label: `scripts.${step}` }, depth)
    }
    // `npm start` without a start script runs `node server.js` when there is one
    if (name === 'start' && typeof scripts.start !== 'string' && exists(dir ? `${dir}/server.js` : 'server.js')) {
      runCommand('node server.js', dir, trigger, { file: manifestPath(dir), label: 'scripts.start (npm default)' }, depth)
    }
  }
  const runInstall = (dir: string, trigger: RunTrigger, depth = 0) => {
    const scripts = scriptsOf(manifests.get(dir))
    for (const name of INSTALL_SCRIPTS) {
      if (typeof scripts[name] === 'string') runCommand(scripts[name], dir, trigger, { file: manifestPath(dir), label: `scripts.${name}` }, depth)
    }
  }

  // npm: every package.json of the repository is a project the victim may be told to run
  for (const [dir, manifest] of manifests) {
    mark(manifestPath(dir), 'npm-install')
    runInstall(dir, 'npm-install')
    const scripts = scriptsOf(manifest)
    const names = Object.keys(scripts)
    for (const name of names) {
      if (INSTALL.has(name) || MAINTAINER_SCRIPTS.has(name)) continue
      const base = /^(?:pre|post)(.+)$/.exec(name)?.[1]
      if (base !== undefined && (base in scripts || base === 'start' || INSTALL.has(base) || MAINTAINER_SCRIPTS.has(base))) continue
      runScript(dir, name, `npm-script:${name}`)
    }
    if (!('start' in scripts)) runScript(dir, 'start', 'npm-script:start')
    // husky 4 and yorkie keep hook commands in package.json
    const husky = manifest.husky
    const hooks = husky && typeof husky === 'object' ? (husky as { hooks?: unknown }).hooks : manifest.gitHooks
    if (hooks && typeof hooks === 'object') {
      for (const [hook, command] of Object.entries(hooks as Record<string, unknown>)) {
        if (typeof command === 'string' && GIT_HOOKS.has(hook)) runCommand(command, dir, `git-hook:${hook}`, { file: manifestPath(dir), label: `husky.hooks.${hook}` })
      }
    }
    const main = mainOf(dir, manifest, texts)
    if (main) seeds.push({ path: main, trigger: 'import' })
    for (const bin of binsOf(manifest)) {
      const path = resolveIn(dir, bin.startsWith('.') ? bin : `./${bin}`, texts)
      if (path) seeds.push({ path, trigger: 'import' })
    }
  }

  // Configuration files that tools load whenever they run (also from editor extensions)
  for (const path of texts.keys()) {
    const tool = toolOfConfig(path)
    if (tool) seeds.push({ path, trigger: `tool-config:${tool}` })
  }

  // VS Code: tasks that run when the folder is opened, settings that point at programs of the repository
  for (const [path] of files) {
    const vscode = /^(?:(.*)\/)?\.vscode\/(tasks|settings)\.json$/.exec(path)
    if (!vscode) continue
    const dir = vscode[1] ?? ''
    const json = parseJsonFile(files.get(path))
    if (vscode[2] === 'tasks') folderOpenTasks(json, dir, path, runCommand, runScript, mark)
    else executableSettings(json, dir, path, exists, (file) => runScriptFile(file, dir, 'folder-open', 0), mark)
  }

  // Dev containers: lifecycle commands (initializeCommand even runs on the host)
  for (const [path] of files) {
    const devcontainer = /^(?:(.*)\/)?(?:\.devcontainer\/(?:[^/]+\/)?devcontainer\.json|\.devcontainer\.json)$/.exec(path)
    if (!devcontainer) continue
    const dir = devcontainer[1] ?? ''
    const json = parseJsonFile(files.get(path))
    if (!json || typeof json !== 'object') continue
    for (const key of DEVCONTAINER_COMMANDS) {
      for (const [label, command] of devcontainerCommands((json as Record<string, unknown>)[key], key)) {
        const trigger: RunTrigger = `devcontainer:${key}`
        mark(path, trigger)
        runCommand(command, dir, trigger, { file: path, label })
      }
    }
  }

  // Git hooks: .git/hooks (read from the root only), .husky and any core.hooksPath a script sets
  for (const [path] of files) {
    const dir = posix.dirname(path)
    const name = posix.basename(path)
    if (!hookDirs.has(dir) || !GIT_HOOKS.has(name)) continue
    const trigger: RunTrigger = `git-hook:${name}`
    mark(path, trigger)
    runScriptFile(path, '', trigger, 0)
  }

  // Files reached from each seed through relative require/import, most automatic trigger first
  seeds.sort((a, b) => triggerRank(a.trigger) - triggerRank(b.trigger))
  const reached = new Set<string>()
  for (const seed of seeds) {
    const queue = [seed.path]
    while (queue.length > 0 && reached.size < LIMITS.graph) {
      const file = queue.pop()!
      const key = `${file}\u0000${seed.trigger}`
      if (reached.has(key) || (runs.has(file) && triggerRank(runs.get(file)!) <= triggerRank(seed.trigger) && file !== seed.path)) continue
      reached.add(key)
      mark(file, seed.trigger)
      const text = texts.get(file) ?? (scriptSources.includes(file) ? textOf(file) : undefined)
      if (text === undefined) continue
      for (const spec of relativeImports(text)) {
        const target = resolveIn(posix.dirname(file), spec, texts)
        if (target) queue.push(target)
      }
    }
  }

  return { runs, inline, commands, scriptSources }
}

function scriptsOf(manifest: Manifest | undefined): Record<string, string> {
  const scripts = manifest?.scripts
  if (!scripts || typeof scripts !== 'object' || Array.isArray(scripts)) return {}
  return Object.fromEntries(Object.entries(scripts).filter(([, v]) => typeof v === 'string'))
}

function binsOf(manifest: Manifest): string[] {
  if (typeof manifest.bin === 'string') return [manifest.bin]
  if (manifest.bin && typeof manifest.bin === 'object') return Object.values(manifest.bin).filter((v): v is string => typeof v === 'string')
  return []
}

function mainOf(dir: string, manifest: Manifest | undefined, texts: ReadonlyMap<string, string>): string | undefined {
  const main = typeof manifest?.main === 'string' ? manifest.main : 'index.js'
  return resolveIn(dir, main.startsWith('.') ? main : `./${main}`, texts) ?? resolveIn(dir, './index.js', texts)
}

/** Every package.json of the repository by directory ('' for the root), bounded. */
function readManifests(files: ReadonlyMap<string, PackageFile>): Map<string, Manifest> {
  const manifests = new Map<string, Manifest>()
  const paths = [...files.keys()].filter((p) => p === 'package.json' || p.endsWith('/package.json'))
  paths.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
  for (const path of paths.slice(0, LIMITS.manifests)) {
    const json = parseJsonFile(files.get(path))
    if (json && typeof json === 'object' && !Array.isArray(json)) manifests.set(path === 'package.json' ? '' : posix.dirname(path), json as Manifest)
  }
  return manifests
}

/** JSON with comments and trailing commas (VS Code, dev containers), bounded; undefined when unreadable. */
export function parseJsonFile(file: PackageFile | undefined): unknown {
  if (!file?.content || file.partial || file.content.length > 2 * 1024 * 1024) return undefined
  let text = file.content.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  try {
    return parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false })
  } catch {
    return undefined
  }
}

interface VsTask {
  label?: unknown
  type?: unknown
  script?: unknown
  command?: unknown
  args?: unknown
  dependsOn?: unknown
  runOptions?: { runOn?: unknown }
  options?: { cwd?: unknown }
  windows?: VsTask
  linux?: VsTask
  osx?: VsTask
  path?: unknown
}

function folderOpenTasks(
  json: unknown,
  dir: string,
  path: string,
  runCommand: (command: string, dir: string, trigger: RunTrigger, origin: { file: string; label: string }) => void,
  runScript: (dir: string, name: string, trigger: RunTrigger) => void,
  mark: (path: string, trigger: RunTrigger) => void,
): void {
  const tasks = json && typeof json === 'object' && Array.isArray((json as { tasks?: unknown }).tasks) ? ((json as { tasks: unknown[] }).tasks.slice(0, LIMITS.tasks) as VsTask[]) : []
  const byLabel = new Map<string, VsTask>()
  for (const task of tasks) if (task && typeof task === 'object' && typeof task.label === 'string') byLabel.set(task.label, task)
  const done = new Set<VsTask>()
  const run = (task: VsTask, depth: number) => {
    if (done.has(task) || depth > 10) return
    done.add(task)
    mark(path, 'folder-open')
    const label = typeof task.label === 'string' ? task.label : 'task'
    const cwd = typeof task.options?.cwd === 'string' ? join(dir, task.options.cwd) : dir
    if (task.type === 'npm' && typeof task.script === 'string') {
      runScript(typeof task.path === 'string' ? join(dir, task.path) : dir, task.script, 'folder-open')
    }
    for (const variant of [task, task.windows, task.linux, task.osx]) {
      if (!variant || typeof variant !== 'object') continue
      const command = taskCommand(variant)
      if (command) runCommand(command, cwd, 'folder-open', { file: path, label })
    }
    const deps = typeof task.dependsOn === 'string' ? [task.dependsOn] : Array.isArray(task.dependsOn) ? task.dependsOn : []
    for (const dep of deps) {
      const next = typeof dep === 'string' ? byLabel.get(dep) : undefined
      if (next) run(next, depth + 1)
    }
  }
  for (const task of tasks) {
    if (task && typeof task === 'object' && task.runOptions && typeof task.runOptions === 'object' && task.runOptions.runOn === 'folderOpen') run(task, 0)
  }
}

function taskCommand(task: VsTask): string | undefined {
  const word = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string' ? (v as { value: string }).value : undefined)
  const command = word(task.command)
  if (!command) return undefined
  const args = Array.isArray(task.args) ? task.args.map(word).filter((a): a is string => a !== undefined) : []
  return [command, ...args.map(quote)].join(' ')
}

function quote(arg: string): string {
  return /[\s"'$`\\;&|<>()]/.test(arg) ? `'${arg.replace(/'/g, `'\\''`)}'` : arg
}

function executableSettings(json: unknown, dir: string, path: string, exists: (p: string) => boolean, runFile: (file: string) => void, mark: (path: string, trigger: RunTrigger) => void): void {
  let budget = 2000
  const visit = (value: unknown, key: string, depth: number) => {
    if (budget-- <= 0 || depth > 6) return
    if (typeof value === 'string') {
      if (!EXECUTABLE_SETTING.test(key)) return
      const file = join(dir, value.trim())
      if (file && exists(file)) {
        mark(path, 'folder-open')
        runFile(file)
      }
    } else if (Array.isArray(value)) {
      value.slice(0, 100).forEach((v) => visit(v, key, depth + 1))
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value).slice(0, 500)) visit(v, key ? `${key}.${k}` : k, depth + 1)
    }
  }
  visit(json, '', 0)
}

/** A dev container lifecycle command: a string, an argv array, or named commands run in parallel. */
function devcontainerCommands(value: unknown, key: string): Array<[string, string]> {
  if (typeof value === 'string') return [[key, value]]
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? [[key, (value as string[]).map(quote).join(' ')]] : []
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .slice(0, 50)
      .flatMap(([name, v]) => devcontainerCommands(v, `${key}.${name}`))
  }
  return []
}
