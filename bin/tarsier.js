#!/usr/bin/env node
// Node >= 22.18 runs the TypeScript sources directly (type stripping); a published package ships
// the compiled dist/ instead, because Node does not strip types under node_modules.
import { existsSync } from 'node:fs'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`tarsier needs Node.js 22.18 or newer (this is ${process.version}). In a clone of the repository, \`npm run tarsier -- scan …\` uses the Node 24 it installs.\n`)
  process.exit(2)
}
const compiled = new URL('../dist/src/cli/main.js', import.meta.url)
const { main } = await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/main.ts', import.meta.url).href)
process.exitCode = await main(process.argv.slice(2))
