#!/usr/bin/env node
// Node >= 22.18 runs the TypeScript sources directly (type stripping); a published
// package ships the compiled dist/ instead, because Node does not strip types under node_modules.
import { existsSync } from 'node:fs'
const compiled = new URL('../dist/src/cli/main.js', import.meta.url)
const { main } = await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/main.ts', import.meta.url).href)
process.exitCode = await main(process.argv.slice(2))
