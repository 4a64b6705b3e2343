import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import ini from 'ini'

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/'

/** npm settings that decide where packages come from and how to authenticate, as pacote options. */
export type RegistryConfig = Record<string, string>

// Only keys that map packages to registries and authenticate to them. Nothing that names an
// executable or a script (git, script-shell, node-options) is taken, whoever wrote the file.
const KEPT_KEY = /^(?:registry|@[^:]+:registry|strict-ssl|ca|cafile|proxy|https-proxy|noproxy|fetch-retries|fetch-retry-factor|fetch-retry-mintimeout|fetch-retry-maxtimeout|fetch-timeout)$/
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
    if (key === 'registry' || /^@[^:]+:registry$/.test(key) || /^fetch-(?:retries|retry-factor|retry-mintimeout|retry-maxtimeout|timeout)$/.test(key)) config[key] = value
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

/** How hard to try a registry that fails or stalls: retries with exponential backoff, and an idle timeout. */
export interface NetworkSettings {
  retries: number
  retryFactor: number
  retryMinTimeoutMs: number
  retryMaxTimeoutMs: number
  /** A request (connection or body) idle for longer than this fails and is retried. */
  timeoutMs: number
}

// Shorter than npm's (10 s then 60 s between attempts, 5 min idle): a scan fetches hundreds of
// tarballs, and a package that cannot be had is reported as not scanned rather than awaited.
export const DEFAULT_NETWORK: NetworkSettings = { retries: 2, retryFactor: 5, retryMinTimeoutMs: 1_000, retryMaxTimeoutMs: 30_000, timeoutMs: 60_000 }

/** npm's `fetch-*` settings of the configuration, over the defaults, then explicit overrides. */
export function networkSettings(config: RegistryConfig, overrides: Partial<NetworkSettings> = {}): NetworkSettings {
  const number = (key: string, fallback: number): number => {
    const value = Number(config[key])
    return config[key] !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback
  }
  return {
    retries: number('fetch-retries', DEFAULT_NETWORK.retries),
    retryFactor: number('fetch-retry-factor', DEFAULT_NETWORK.retryFactor),
    retryMinTimeoutMs: number('fetch-retry-mintimeout', DEFAULT_NETWORK.retryMinTimeoutMs),
    retryMaxTimeoutMs: number('fetch-retry-maxtimeout', DEFAULT_NETWORK.retryMaxTimeoutMs),
    timeoutMs: number('fetch-timeout', DEFAULT_NETWORK.timeoutMs),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  }
}

/** Retry and timeout settings in the form npm-registry-fetch reads them (pacote and arborist pass them on). */
export function pacoteNetworkOptions(network: NetworkSettings): Record<string, unknown> {
  return {
    retry: { retries: network.retries, factor: network.retryFactor, minTimeout: network.retryMinTimeoutMs, maxTimeout: network.retryMaxTimeoutMs },
    timeout: network.timeoutMs,
  }
}

/** The registry a package name is fetched from: its scope's registry, else the default one. */
export function registryOf(name: string, config: RegistryConfig): string {
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined
  return (scope && config[`${scope}:registry`]) || config.registry || DEFAULT_REGISTRY
}

/**
 * The `.npmrc` key that holds the token for a registry, as npm derives it ("nerf dart"): the
 * URL without protocol, credentials, query or file name, e.g. `//npm.acme.example/:_authToken`.
 */
export function authTokenKey(registry: string): string {
  try {
    const url = new URL(registry)
    const path = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1)
    return `//${url.host}${path}:_authToken`
  } catch {
    return `${registry}:_authToken`
  }
}

/** Names the registry and the exact `.npmrc` key to set, and says whether a token was sent. */
export function authFailureReason(registry: string, what: string, config: RegistryConfig, status: number): string {
  const key = authTokenKey(registry)
  const configured = config[key] !== undefined || config[key.replace(/_authToken$/, '_auth')] !== undefined
  const advice = configured ? `the token configured as ${key} was refused; renew it in your .npmrc` : `it needs credentials: set ${key}=<token> in ~/.npmrc (or the project's .npmrc)`
  return `the registry ${redactUrl(registry)} refused ${what} (HTTP ${status}): ${advice}`
}

/** `host[:port]` of a URL, lower-cased; undefined when it is not a URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return undefined
  }
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
