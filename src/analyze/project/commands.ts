import { posix } from 'node:path'
import { commandSegments, shellWords } from '../entry-kinds.ts'

/**
 * What one shell command line of a repository runs, read the way a shell and the usual wrappers
 * would: `cd dir && …`, env prefixes, `npx`, `concurrently "a" "b"`, `npm-run-all`, `npm run x`,
 * `npm --prefix dir start`, interpreters and watchers (`node`, `nodemon`, `ts-node`, `tsx` …) and
 * tools that load their own configuration files (`next`, `vite`, `hardhat` …). Nothing is run:
 * this only names the files and scripts the command would start.
 */
export interface CommandEffects {
  /** JavaScript files run (package paths). */
  files: string[]
  /** Shell scripts run (package paths): their lines are commands too. */
  shellFiles: string[]
  /** Code passed inline (`node -e '…'`). */
  inline: string[]
  /** Tools run in a directory: they load their configuration files from there. */
  tools: Array<{ tool: string; dir: string; config?: string }>
  /** npm scripts run, by the directory of their package.json. */
  scripts: Array<{ dir: string; name: string }>
  /** Directories where `npm install` (or yarn / pnpm install) runs: their install scripts run too. */
  installs: string[]
  /** `git config core.hooksPath <dir>`: the hooks git will run from then on. */
  hooksPaths: string[]
}

export function emptyEffects(): CommandEffects {
  return { files: [], shellFiles: [], inline: [], tools: [], scripts: [], installs: [], hooksPaths: [] }
}

const MAX_DEPTH = 6
const MAX_COMMAND_LENGTH = 100_000

/** Programs that set variables or wrap the rest of the line, then run it. */
const PREFIX_PROGRAMS = new Set(['env', 'cross-env', 'cross-env-shell', 'exec', 'sudo', 'nohup', 'time', 'command', 'dotenv', 'env-cmd', 'nice', 'caffeinate'])
/** Options of those prefixes that take a value. */
const PREFIX_VALUE_FLAGS = new Set(['-e', '-f', '-c', '-v', '--file', '--environments', '-n', '-u'])

const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'for', 'case', 'esac', 'function', '{', '}', '!', '[', '[[', 'test', 'true', 'false', 'echo', 'printf', 'set', 'export', 'local', 'return', 'exit', 'shift', 'read', 'trap', 'wait'])

/** JavaScript runners: the first non-option word is the file they run. */
const JS_RUNNERS: Record<string, { valueFlags: Set<string>; inlineFlags?: Set<string>; subcommands?: Set<string>; execFlags?: Set<string> }> = {
  node: { valueFlags: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--watch-path', '--input-type', '--conditions', '-C', '--title']), inlineFlags: new Set(['-e', '--eval', '-p', '--print']) },
  nodejs: { valueFlags: new Set(['-r', '--require', '--import', '--loader', '--env-file']), inlineFlags: new Set(['-e', '--eval', '-p', '--print']) },
  bun: { valueFlags: new Set(['-r', '--preload', '--cwd', '--env-file']), inlineFlags: new Set(['-e', '--eval', '-p', '--print']), subcommands: new Set(['run', 'x', '--watch', '--hot']) },
  deno: { valueFlags: new Set(['--config', '-c', '--import-map', '--env-file', '--location']), inlineFlags: new Set([]), subcommands: new Set(['run', 'task', 'serve']) },
  'ts-node': { valueFlags: new Set(['-r', '--require', '-P', '--project', '-O', '--compiler-options', '-C', '--compiler', '-I', '--ignore', '--cwd']), inlineFlags: new Set(['-e', '--eval', '-p', '--print']) },
  'ts-node-dev': { valueFlags: new Set(['-r', '--require', '-P', '--project', '--ignore-watch', '--watch', '-O', '--compiler-options', '--cwd']) },
  'ts-node-esm': { valueFlags: new Set(['-P', '--project']) },
  tsx: { valueFlags: new Set(['--tsconfig', '--import', '--require', '--env-file', '--include', '--exclude', '--ignore']), inlineFlags: new Set(['-e', '--eval', '-p', '--print']), subcommands: new Set(['watch']) },
  'babel-node': { valueFlags: new Set(['--presets', '--plugins', '-x', '--extensions', '--config-file', '-r', '--require']), inlineFlags: new Set(['-e', '--eval', '-p', '--print']) },
  'node-dev': { valueFlags: new Set(['-r', '--require']) },
  nodemon: { valueFlags: new Set(['-w', '--watch', '-e', '--ext', '-i', '--ignore', '--config', '-d', '--delay', '--signal', '-V', '--exitcrash', '--cwd']), execFlags: new Set(['-x', '--exec']) },
  supervisor: { valueFlags: new Set(['-w', '--watch', '-i', '--ignore', '-e', '--extensions', '-x', '--exec', '-p', '--poll-interval']) },
  esno: { valueFlags: new Set([]) },
  esr: { valueFlags: new Set([]) },
  'vite-node': { valueFlags: new Set(['--root', '-r', '--config', '-c', '--mode', '-m']), subcommands: new Set(['--watch', '-w']) },
  jiti: { valueFlags: new Set([]) },
  'sucrase-node': { valueFlags: new Set([]) },
  'swc-node': { valueFlags: new Set([]) },
  electron: { valueFlags: new Set([]) },
  forever: { valueFlags: new Set(['-l', '-o', '-e', '-p', '--uid', '-c', '--minUptime', '--spinSleepTime', '--workingDir', '--sourceDir']), subcommands: new Set(['start', 'stop', 'restart']) },
  pm2: { valueFlags: new Set(['--name', '-n', '-i', '--instances', '--log', '-l', '-o', '-e', '--cwd', '--interpreter', '--watch-delay', '--max-memory-restart', '--env']), subcommands: new Set(['start', 'restart', 'reload', 'startOrRestart', 'startOrReload']) },
}

/** Tools whose command line is a list of whole commands to run. */
const PARALLEL_RUNNERS = new Set(['concurrently', 'npm-run-all', 'npm-run-all2', 'run-p', 'run-s', 'parallelshell', 'wait-on', 'start-server-and-test'])
const CONCURRENTLY_VALUE_FLAGS = new Set(['-n', '--names', '-c', '--prefix-colors', '-p', '--prefix', '-s', '--success', '-l', '--prefix-length', '-t', '--timestamp-format', '--default-input-target', '--max-processes', '-m', '--restart-tries', '--restart-after', '--handle-input', '--name-separator', '-P', '--passthrough-arguments', '--kill-signal', '--teardown'])

/** npm / yarn / pnpm subcommands that install (and so run the install scripts of that project). */
const INSTALL_COMMANDS = new Set(['install', 'i', 'ci', 'add', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isntall', 'install-clean', 'install-ci-test', 'it'])
/** `npm start`, `npm test`, `npm stop`, `npm restart`, and their aliases, as script names. */
const NPM_SHORTHANDS: Record<string, string> = { start: 'start', test: 'test', t: 'test', tst: 'test', stop: 'stop', restart: 'restart' }

export interface CommandContext {
  /** Directory (package path, '' for the root) the command runs in. */
  dir: string
  /** Scripts of the package.json in `dir`, for `npm-run-all` globs. */
  scriptNames(dir: string): readonly string[]
  /** Whether a file exists (package path). */
  exists(path: string): boolean
}

/** What a command line runs; `dir` is where it starts. */
export function commandEffects(command: string, context: CommandContext, depth = 0, into: CommandEffects = emptyEffects()): CommandEffects {
  if (depth > MAX_DEPTH) return into
  if (command.length > MAX_COMMAND_LENGTH) command = command.slice(0, MAX_COMMAND_LENGTH)
  let dir = context.dir
  for (const segment of commandSegments(command)) {
    const words = shellWords(stripComment(segment))
    if (words.length === 0) continue
    // cd changes the directory of the rest of the line
    if (words[0] === 'cd' || words[0] === 'pushd') {
      dir = words[1] && !words[1].startsWith('-') ? join(dir, words[1]) : dir
      continue
    }
    simpleCommand(words, { ...context, dir }, depth, into)
  }
  return into
}

function stripComment(segment: string): string {
  const trimmed = segment.trimStart()
  return trimmed.startsWith('#') ? '' : segment
}

function simpleCommand(words: string[], context: CommandContext, depth: number, out: CommandEffects): void {
  let i = 0
  // FOO=bar …, env FOO=bar …, cross-env …, dotenv -e .env -- …, shell keywords (if, then …)
  for (;;) {
    const word = words[i]
    if (word === undefined) return
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || SHELL_KEYWORDS.has(word)) {
      i++
      continue
    }
    const base = posix.basename(word)
    if (PREFIX_PROGRAMS.has(base)) {
      i++
      while (i < words.length && (words[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))) {
        if (words[i] === '--') {
          i++
          break
        }
        i += PREFIX_VALUE_FLAGS.has(words[i]!) ? 2 : 1
      }
      continue
    }
    break
  }
  let program = words[i]!
  let args = words.slice(i + 1)
  // npx x, pnpm exec x, pnpm dlx x, yarn exec x, bunx x, npm exec -- x
  for (let guard = 0; guard < 3; guard++) {
    const base = posix.basename(program)
    const exec = base === 'npx' || base === 'bunx' || base === 'pnpx' ? 0 : (base === 'pnpm' || base === 'yarn' || base === 'npm') && (args[0] === 'exec' || args[0] === 'dlx' || args[0] === 'x') ? 1 : -1
    if (exec < 0) break
    let j = exec
    while (j < args.length && args[j]!.startsWith('-')) {
      if (args[j] === '--') {
        j++
        break
      }
      j += args[j] === '-p' || args[j] === '--package' ? 2 : 1
    }
    if (j >= args.length) return
    program = args[j]!
    args = args.slice(j + 1)
  }
  const base = posix.basename(program).replace(/\.(?:cmd|exe)$/i, '')
  const dir = context.dir

  if (base === 'npm' || base === 'yarn' || base === 'pnpm' || (base === 'bun' && (args[0] === 'run' || args[0] === 'install' || args[0] === 'i'))) {
    packageManager(base, args, context, out)
    return
  }
  if (base === 'git' && args[0] === 'config') {
    const at = args.indexOf('core.hooksPath')
    if (at !== -1 && args[at + 1]) out.hooksPaths.push(join(dir, args[at + 1]!))
    return
  }
  if (base === 'husky' && (args.length === 0 || args[0] === 'install' || !args[0]!.startsWith('-'))) {
    out.hooksPaths.push(join(dir, args[0] && args[0] !== 'install' ? args[0] : '.husky'))
    return
  }
  if (base in JS_RUNNERS) {
    jsRunner(base, args, context, depth, out)
    return
  }
  if (PARALLEL_RUNNERS.has(base)) {
    parallelRunner(base, args, context, depth, out)
    return
  }
  if (['sh', 'bash', 'zsh', 'dash', 'ksh'].includes(base)) {
    const c = args.indexOf('-c')
    if (c !== -1 && args[c + 1] !== undefined) {
      commandEffects(args[c + 1]!, context, depth + 1, out)
      return
    }
    const script = args.find((a) => !a.startsWith('-'))
    if (script) out.shellFiles.push(join(dir, script))
    return
  }
  if (/\.[cm]?[jt]s$/.test(program)) {
    out.files.push(join(dir, program)) // ./server.js with a shebang
    return
  }
  if (/\.(?:sh|bash|command)$/.test(program) || (program.startsWith('./') && context.exists(join(dir, program)))) {
    out.shellFiles.push(join(dir, program))
    return
  }
  // A tool that loads configuration: `next dev`, `vite`, `hardhat run scripts/x.js`, `webpack --config x`
  out.tools.push({ tool: base, dir, ...configOption(args, dir) })
  // Tools that run a script file given as an argument: hardhat run x.js, truffle exec x.js
  if ((base === 'hardhat' && args[0] === 'run') || (base === 'truffle' && args[0] === 'exec')) {
    const file = args.slice(1).find((a) => !a.startsWith('-') && /\.[cm]?[jt]s$/.test(a))
    if (file) out.files.push(join(dir, file))
  }
}

function configOption(args: string[], dir: string): { config?: string } {
  for (let j = 0; j < args.length; j++) {
    const a = args[j]!
    if ((a === '--config' || a === '-c' || a === '--configFile' || a === '--config-file') && args[j + 1] && /\.[cm]?[jt]s$/.test(args[j + 1]!)) return { config: join(dir, args[j + 1]!) }
    const eq = /^--config(?:-file|File)?=(.+\.[cm]?[jt]s)$/.exec(a)
    if (eq) return { config: join(dir, eq[1]!) }
  }
  return {}
}

function jsRunner(base: string, args: string[], context: CommandContext, depth: number, out: CommandEffects): void {
  const spec = JS_RUNNERS[base]!
  const dir = context.dir
  let sawFile = false
  for (let j = 0; j < args.length; j++) {
    const word = args[j]!
    if (spec.inlineFlags?.has(word)) {
      if (args[j + 1] !== undefined) out.inline.push(args[j + 1]!)
      return
    }
    if (spec.execFlags?.has(word)) {
      if (args[j + 1] !== undefined) commandEffects(args[j + 1]!, context, depth + 1, out)
      j++
      continue
    }
    const inlineEq = /^--(?:eval|print)=(.*)$/s.exec(word)
    if (inlineEq && spec.inlineFlags) {
      out.inline.push(inlineEq[1]!)
      return
    }
    if (word === '-r' || word === '--require' || word === '--import' || word === '--preload') {
      const module = args[j + 1]
      if (module && (module.startsWith('.') || /\.[cm]?[jt]s$/.test(module))) out.files.push(join(dir, module))
      j++
      continue
    }
    if (spec.valueFlags.has(word)) {
      j++
      continue
    }
    if (word.startsWith('-')) continue
    if (spec.subcommands?.has(word) && !sawFile) continue
    if (base === 'deno' && word === 'task') return
    out.files.push(word === '.' ? join(dir, '.') : join(dir, word))
    sawFile = true
    // the rest are the program's own arguments
    break
  }
  if (!sawFile && base === 'nodemon') out.files.push(join(dir, '.')) // nodemon alone runs the package's main
}

function parallelRunner(base: string, args: string[], context: CommandContext, depth: number, out: CommandEffects): void {
  const dir = context.dir
  if (base === 'concurrently' || base === 'parallelshell' || base === 'wait-on' || base === 'start-server-and-test') {
    for (let j = 0; j < args.length; j++) {
      const word = args[j]!
      if (CONCURRENTLY_VALUE_FLAGS.has(word)) {
        j++
        continue
      }
      if (word.startsWith('-')) continue
      // concurrently's shorthands: npm:dev, yarn:dev, pnpm:dev
      const shorthand = /^(?:npm|yarn|pnpm|bun):(.+)$/.exec(word)
      if (shorthand) {
        for (const name of matchScripts(shorthand[1]!, context.scriptNames(dir))) out.scripts.push({ dir, name })
        continue
      }
      // wait-on / start-server-and-test take URLs and script names as well
      if (/^(?:https?|tcp|file|http-get):/.test(word)) continue
      if (base === 'start-server-and-test' && context.scriptNames(dir).includes(word)) {
        out.scripts.push({ dir, name: word })
        continue
      }
      commandEffects(word, context, depth + 1, out)
    }
    return
  }
  // npm-run-all [-p|-s] a b 'c:*', run-p a b, run-s a b
  for (let j = 0; j < args.length; j++) {
    const word = args[j]!
    if (word === '--npm-path' || word === '--max-parallel') {
      j++
      continue
    }
    if (word.startsWith('-')) continue
    for (const name of matchScripts(word, context.scriptNames(dir))) out.scripts.push({ dir, name })
  }
}

/** Script names matching an npm-run-all pattern (`*` within a segment, `**` across `:`). */
function matchScripts(pattern: string, names: readonly string[]): string[] {
  const name = pattern.split(/\s+/)[0]!
  if (!name.includes('*')) return names.includes(name) ? [name] : []
  const escaped = name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^:]*').replace(/\u0000/g, '.*')
  const regex = new RegExp(`^${escaped}$`)
  return names.filter((n) => regex.test(n))
}

function packageManager(base: string, args: string[], context: CommandContext, out: CommandEffects): void {
  let dir = context.dir
  const rest: string[] = []
  for (let j = 0; j < args.length; j++) {
    const word = args[j]!
    if (word === '--prefix' || word === '-C' || word === '--dir' || word === '--cwd') {
      if (args[j + 1]) dir = join(context.dir, args[j + 1]!)
      j++
      continue
    }
    const eq = /^--(?:prefix|dir|cwd)=(.+)$/.exec(word)
    if (eq) {
      dir = join(context.dir, eq[1]!)
      continue
    }
    if (word === '--') break
    if (word === '--workspace' || word === '-w' || word === '--filter' || word === '-F') {
      j++
      continue
    }
    if (word.startsWith('-')) continue
    rest.push(word)
  }
  const sub = rest[0]
  // yarn alone installs
  if (sub === undefined) {
    if (base === 'yarn' || base === 'pnpm') out.installs.push(dir)
    return
  }
  if (INSTALL_COMMANDS.has(sub)) {
    // `npm install some-package` installs that package (scanned as a dependency), and the project's own hooks run too
    out.installs.push(dir)
    return
  }
  if (sub === 'run' || sub === 'run-script' || sub === 'rum' || sub === 'urn') {
    const name = rest[1]
    // bun run server.js runs a file; npm run never does
    if (name && base === 'bun' && /\.[cm]?[jt]sx?$/.test(name)) out.files.push(join(dir, name))
    else if (name) out.scripts.push({ dir, name })
    return
  }
  if (sub in NPM_SHORTHANDS) {
    out.scripts.push({ dir, name: NPM_SHORTHANDS[sub]! })
    return
  }
  // yarn dev, pnpm dev, bun dev: a script of that name
  if (base !== 'npm' && context.scriptNames(dir).includes(sub)) out.scripts.push({ dir, name: sub })
}

/** Joins a package directory and a relative path from a command; paths that leave the project are dropped to ''. */
export function join(dir: string, path: string): string {
  const cleaned = path.replace(/^["']|["']$/g, '').replace(/\\/g, '/').replace(/^\$\{?(?:PWD|INIT_CWD|workspaceFolder)\}?\//, '')
  if (cleaned.startsWith('/') || cleaned.startsWith('~')) return cleaned
  const joined = posix.normalize(posix.join(dir || '.', cleaned))
  return joined === '.' ? '' : joined.replace(/\/$/, '')
}
