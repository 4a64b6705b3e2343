import { existsSync, readFileSync } from 'node:fs'

// src/version.ts in a clone, dist/src/version.js in the published package.
const manifestUrl = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)].find((u) => existsSync(u))!

export const TOOL_VERSION: string = (JSON.parse(readFileSync(manifestUrl, 'utf8')) as { version: string }).version
