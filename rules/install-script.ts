import { posix } from 'node:path'
import { commandSegments, INSTALL_SCRIPTS, shellWords } from '../src/analyze/entry-kinds.ts'
import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { defineRule, type Severity } from '../src/types.ts'

const SEVERITY_OF = { 'reverse-shell': 'critical', 'download-exec': 'critical', exfiltration: 'critical', network: 'high', 'hidden-command': 'high' } as const satisfies Record<string, Severity>

export default defineRule({
  meta: {
    id: 'install-script',
    severity: 'low',
    description: 'Lifecycle scripts that npm runs on install, and what their commands do',
    docs: 'rules/install-script.md',
  },
  create(context) {
    /** A shell script that an install script runs is read like the command itself, line by line. */
    const inspectScriptFile = (path: string, scriptName: string) => {
      const content = context.pkg.files.get(path)?.content
      if (!content) return
      const text = content.subarray(0, 1024 * 1024).toString('utf8')
      const whole = inspectShellCommand(text)
      if (!whole) return
      const lines = text.split('\n')
      const index = Math.max(0, lines.findIndex((l) => inspectShellCommand(l)?.kind === whole.kind))
      context.report({
        severity: SEVERITY_OF[whole.kind],
        file: path,
        line: index + 1,
        snippet: lines[index]!.trim().slice(0, 200),
        message: `${path}, run by the ${scriptName} script, ${whole.detail}; it runs on every \`npm install\` of this package.`,
      })
    }
    return {
      manifest() {
        const scripts = context.pkg.manifest?.scripts
        if (!scripts || typeof scripts !== 'object') return
        for (const name of INSTALL_SCRIPTS) {
          const command = scripts[name]
          if (typeof command !== 'string') continue
          const snippet = `"${name}": ${JSON.stringify(command).slice(0, 300)}`
          const shell = inspectShellCommand(command)
          if (shell) {
            context.report({
              severity: SEVERITY_OF[shell.kind],
              file: 'package.json',
              snippet,
              message: `The ${name} script ${shell.detail}; it runs on every \`npm install\` of this package, before anyone has looked at it.`,
            })
          } else {
            context.report({
              file: 'package.json',
              snippet,
              message: `Runs \`${command.slice(0, 120)}\` on install (${name}); the code it starts is analysed as install-time code.`,
            })
          }
          for (const path of shellScriptsRunBy(command)) inspectScriptFile(path, name)
        }
      },
    }
  },
})

/** Package paths of shell scripts a command runs: `sh x.sh`, `bash ./x`, `./x.sh`. */
function shellScriptsRunBy(command: string): string[] {
  const paths: string[] = []
  for (const segment of commandSegments(command)) {
    const words = shellWords(segment)
    const program = words[0]
    if (!program) continue
    const base = posix.basename(program)
    let script: string | undefined
    if (['sh', 'bash', 'zsh', 'dash', 'ksh'].includes(base)) script = words.slice(1).find((w) => !w.startsWith('-'))
    else if (/\.(?:sh|bash|command)$/.test(program) || (program.startsWith('./') && !/\.[cm]?[jt]s$/.test(program))) script = program
    if (script) paths.push(posix.normalize(script.replace(/^\.\//, '')))
  }
  return paths
}
