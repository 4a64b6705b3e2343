import { defineRule } from '../src/types.ts'

/**
 * Commands people and scripts run by name: package managers, runtimes, shells, core utilities.
 * A dependency's `bin` of the same name lands in node_modules/.bin, first on PATH in npm scripts.
 */
const COMMON_COMMANDS = new Set([
  'npm', 'npx', 'node', 'yarn', 'yarnpkg', 'pnpm', 'pnpx', 'bun', 'bunx', 'deno', 'corepack',
  'git', 'ssh', 'scp', 'curl', 'wget', 'sudo', 'su', 'sh', 'bash', 'zsh', 'dash', 'fish', 'env',
  'ls', 'cp', 'mv', 'rm', 'cat', 'echo', 'cd', 'chmod', 'chown', 'mkdir', 'find', 'grep', 'sed',
  'awk', 'tar', 'gzip', 'unzip', 'make', 'python', 'python3', 'pip', 'pip3', 'gpg', 'docker',
  'kubectl', 'aws', 'gcloud', 'az', 'powershell', 'pwsh', 'cmd', 'openssl', 'which', 'whoami',
])

/** The package managers' own packages ship each other's entry points (npm ships npx, corepack ships yarn and pnpm). */
const SAME_TOOL: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['npm', new Set(['npm', 'npx'])],
  ['yarn', new Set(['yarn', 'yarnpkg'])],
  ['pnpm', new Set(['pnpm', 'pnpx'])],
  ['bun', new Set(['bun', 'bunx'])],
  ['corepack', new Set(['corepack', 'yarn', 'yarnpkg', 'pnpm', 'pnpx', 'npm', 'npx'])],
])

/** `@scope/name` → `name`. */
function unscoped(name: string): string {
  return name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name
}

/**
 * A dependency that installs a `bin` named like a common command (Socket `shellScriptOverride`,
 * `binScriptConfusion`): in every npm script of the project, `git`, `node` or `curl` then runs the
 * package's file instead. A package may provide the command of its own name (`npm`, `node`).
 */
export default defineRule({
  meta: {
    id: 'bin-script-override',
    severity: 'medium',
    description: 'A dependency installs a bin named like a common command (npm, node, git, curl, ls …) that npm scripts would run instead',
    docs: 'rules/bin-script-override.md',
  },
  create(context) {
    return {
      manifest() {
        const { ref, manifest } = context.pkg
        if (ref.source === 'root' || !manifest) return
        const own = unscoped(typeof manifest.name === 'string' ? manifest.name : ref.name)
        const bins: Array<[string, unknown]> =
          typeof manifest.bin === 'string' ? [[own, manifest.bin]] : manifest.bin && typeof manifest.bin === 'object' ? Object.entries(manifest.bin) : []
        for (const [rawName, target] of bins) {
          // npm installs a bin under the last path segment of its name.
          const name = unscoped(rawName).toLowerCase()
          if (!COMMON_COMMANDS.has(name) || name === own.toLowerCase() || SAME_TOOL.get(own)?.has(name)) continue
          context.report({
            file: 'package.json',
            message: `Installs a bin named "${name}" (${JSON.stringify(String(target).slice(0, 80))}) though the package is ${own}: in the project's npm scripts and npx, "${name}" then runs this package's file instead of the real command.`,
          })
        }
      },
    }
  },
})
