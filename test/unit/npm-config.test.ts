import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRegistryConfig } from '../../src/fetch/npm-config.ts'

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
