import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authTokenKey, DEFAULT_NETWORK, loadRegistryConfig, networkSettings, registryOf } from '../../src/fetch/npm-config.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tarsier-npmrc-'))
  await writeFile(join(dir, 'global'), 'registry=https://global.example.invalid/\ncafile=' + join(dir, 'ca.pem') + '\n')
  await writeFile(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
  await writeFile(join(dir, 'user'), '@acme:registry=https://npm.acme.invalid/\n//npm.acme.invalid/:_authToken=${ACME_TOKEN}\nscript-shell=/tmp/evil.sh\ngit=/tmp/evil-git\n')
  await writeFile(join(dir, '.npmrc'), 'registry=https://project.example.invalid\nnode-options=--require /tmp/evil.js\n')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('loadRegistryConfig', () => {
  const env = () => ({ npm_config_globalconfig: join(dir, 'global'), npm_config_userconfig: join(dir, 'user'), ACME_TOKEN: 's3cret' })

  it('layers global, user and project files, later ones winning', () => {
    const config = loadRegistryConfig(dir, env())
    expect(config.registry).toBe('https://project.example.invalid/')
    expect(config['@acme:registry']).toBe('https://npm.acme.invalid/')
    expect(config['//npm.acme.invalid/:_authToken']).toBe('s3cret')
  })

  it('reads a cafile into ca, as npm does', () => {
    expect(loadRegistryConfig(undefined, env()).ca).toContain('BEGIN CERTIFICATE')
  })

  it('keeps only registry and authentication keys: nothing that names a program to run', () => {
    const config = loadRegistryConfig(dir, env())
    expect(Object.keys(config).filter((k) => /shell|git|node-options/.test(k))).toEqual([])
  })

  it('lets npm_config_registry override the files', () => {
    expect(loadRegistryConfig(dir, { ...env(), npm_config_registry: 'http://127.0.0.1:4873' }).registry).toBe('http://127.0.0.1:4873/')
  })
})

describe('networkSettings', () => {
  it("takes npm's fetch-* keys over the defaults, and explicit overrides over both", () => {
    const config = { registry: 'https://r.example.invalid/', 'fetch-retries': '5', 'fetch-retry-mintimeout': '250', 'fetch-timeout': '9000' }
    expect(networkSettings(config)).toEqual({ ...DEFAULT_NETWORK, retries: 5, retryMinTimeoutMs: 250, timeoutMs: 9000 })
    expect(networkSettings(config, { retries: 0 }).retries).toBe(0)
  })

  it('ignores values that are not numbers', () => {
    expect(networkSettings({ 'fetch-retries': 'many', 'fetch-timeout': '-1' })).toEqual(DEFAULT_NETWORK)
  })

  it('reads fetch-* keys from .npmrc files and npm_config_* variables', () => {
    const config = loadRegistryConfig(undefined, { npm_config_userconfig: join(dir, 'nonexistent'), npm_config_globalconfig: join(dir, 'nonexistent'), npm_config_fetch_retries: '7' })
    expect(networkSettings(config).retries).toBe(7)
  })
})

describe('registryOf and authTokenKey', () => {
  const config = { registry: 'https://registry.example.invalid/', '@acme:registry': 'https://npm.acme.invalid/api/npm/' }

  it('sends scoped names to their scope registry, others to the default', () => {
    expect(registryOf('@acme/widget', config)).toBe('https://npm.acme.invalid/api/npm/')
    expect(registryOf('@other/widget', config)).toBe('https://registry.example.invalid/')
    expect(registryOf('left-pad', config)).toBe('https://registry.example.invalid/')
  })

  it("names the token key the way npm looks it up: host and path, no protocol", () => {
    expect(authTokenKey('https://npm.acme.invalid/api/npm/')).toBe('//npm.acme.invalid/api/npm/:_authToken')
    expect(authTokenKey('http://127.0.0.1:4873/')).toBe('//127.0.0.1:4873/:_authToken')
    expect(authTokenKey('https://user:pw@r.example.invalid/')).toBe('//r.example.invalid/:_authToken')
  })
})
