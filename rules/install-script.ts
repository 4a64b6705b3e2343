import { INSTALL_SCRIPTS } from '../src/analyze/entry-kinds.ts'
import { inspectShellCommand } from '../src/analyze/shell-command.ts'
import { defineRule, type Severity } from '../src/types.ts'

const SEVERITY_OF = { 'reverse-shell': 'critical', 'download-exec': 'critical', exfiltration: 'critical', network: 'high' } as const satisfies Record<string, Severity>

export default defineRule({
  meta: {
    id: 'install-script',
    severity: 'low',
    description: 'Lifecycle scripts that npm runs on install, and what their commands do',
    docs: 'rules/install-script.md',
  },
  create(context) {
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
        }
      },
    }
  },
})
