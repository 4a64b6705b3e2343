import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import ini from 'ini'

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/'

/** npm settings that decide where packages come from and how to authenticate, as pacote options. */
export type RegistryConfig = Record<string, string>

// Only keys that map packages to registries and authenticate to them. Nothing that names an
// executable or a script (git, script-shell, node-options) is taken, whoever wrote the file.
const KEPT_KEY = /^(?:registry|@[^:]+:registry|strict-ssl|ca|cafile|proxy|https-proxy|noproxy)$/
const AUTH_KEY_SUFFIX = /:(?:_authToken|_auth|username|_password|email|always-auth|certfile|keyfile)$/

/**
 * Reads registry settings the way npm layers them (lowest first): the global `npmrc`, the user's
 * `~/.npmrc`, the project's `.npmrc`, then `npm_config_*` environment variables. `${VAR}`
 * references are expanded like npm does, and a `cafile` is read into `ca`.
 */
export function loadRegistryConfig(projectDir: string | undefined, env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const config: RegistryConfig = { registry: DEFAULT_REGISTRY }
  const userConfig = env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? join(homedir(), '.npmrc')
  const files = [...globalConfigFile(env), userConfig, ...(projectDir ? [join(projectDir, '.npmrc')] : [])]
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const [key, value] of Object.entries(ini.parse(text))) {
      if ((KEPT_KEY.test(key) || (key.startsWith('//') && AUTH_KEY_SUFFIX.test(key))) && (typeof value === 'string' || typeof value === 'boolean')) config[key] = expandEnv(String(value), env)
    }
  }
  for (const [name, value] of Object.entries(env)) {
    const match = /^npm_config_(.+)$/i.exec(name)
    if (!match || value === undefined) continue
    const key = match[1]!.toLowerCase().replace(/_/g, '-')
    if (key === 'registry' || /^@[^:]+:registry$/.test(key)) config[key] = value
  }
  if (!config.registry!.endsWith('/')) config.registry += '/'
  if (config.cafile && !config.ca) {
    try {
      config.ca = readFileSync(config.cafile, 'utf8')
    } catch {
      // npm fails on an unreadable cafile too; the request will say why it cannot verify the registry.
    }
  }
  return config
}

/** npm's global config file: named by npm in the environment of its scripts, else where npm keeps it. */
function globalConfigFile(env: NodeJS.ProcessEnv): string[] {
  const named = env.npm_config_globalconfig ?? env.NPM_CONFIG_GLOBALCONFIG
  if (named) return [named]
  const prefix = env.npm_config_prefix ?? env.PREFIX
  const candidates = [...(prefix ? [join(prefix, 'etc', 'npmrc')] : []), join(dirname(dirname(process.execPath)), 'etc', 'npmrc'), '/usr/local/etc/npmrc', '/usr/etc/npmrc', '/etc/npmrc']
  const found = candidates.find((path) => {
    try {
      readFileSync(path)
      return true
    } catch {
      return false
    }
  })
  return found ? [found] : []
}

function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{([^${}]{1,200})\}/g, (whole, name: string) => env[name] ?? whole)
}

/** Registry URL with credentials removed, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.toString()
  } catch {
    return url
  }
}
