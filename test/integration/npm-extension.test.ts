/**
 * arborist 10 runs a project's `.npm-extension.cjs` / `.mjs` (a transformManifest hook) when it
 * builds an ideal tree (package.json without a lockfile) or reads an installed node_modules. A
 * scanned repository is hostile: its extension file must never run.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, describeRun, tarsier, type Sandbox } from '../helpers/cli.ts'
import { listDir } from '../helpers/fixtures.ts'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await createSandbox()
})
afterAll(() => sandbox?.dispose())

const CJS = "require('fs').writeFileSync(require('path').join(process.env.TARSIER_MARKER_DIR, 'npm-extension-cjs'), ''); module.exports = { transformManifest: (p) => p }\n"
const MJS = "import { writeFileSync } from 'node:fs'; writeFileSync(process.env.TARSIER_MARKER_DIR + '/npm-extension-mjs', ''); export const transformManifest = (p) => p\n"

async function project(name: string, files: Record<string, string>, installed: boolean): Promise<string> {
  const dir = join(sandbox.work, name)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }))
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text)
  if (installed) await mkdir(join(dir, 'node_modules'))
  return dir
}

describe("a scanned project's .npm-extension file", () => {
  it.each([
    ['package.json only (ideal tree), .cjs', { '.npm-extension.cjs': CJS }, false],
    ['package.json only (ideal tree), .mjs', { '.npm-extension.mjs': MJS }, false],
    ['installed node_modules (actual tree), .cjs', { '.npm-extension.cjs': CJS }, true],
    ['extension-file set in the project .npmrc', { 'hook.cjs': CJS, '.npmrc': 'extension-file=hook.cjs\n' }, false],
  ])('never runs: %s', async (label, files, installed) => {
    const dir = await project(`ext-${label.replace(/\W+/g, '-')}`, files, installed)
    const run = await tarsier(['scan', dir, '--format', 'json'], { sandbox })
    expect([0, 1], describeRun(run)).toContain(run.code)
    expect(await listDir(sandbox.markers)).toEqual([])
  })
})
