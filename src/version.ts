import { existsSync, readFileSync } from 'node:fs'

/** Version of package.json: src/version.ts in a clone, dist/src/version.js in the published package; defined by the build of the bundled Action. */
export const TOOL_VERSION: string = typeof __TARSIER_VERSION__ === 'string' ? __TARSIER_VERSION__ : readVersion()

function readVersion(): string {
  const manifestUrl = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)].find((u) => existsSync(u))!
  return (JSON.parse(readFileSync(manifestUrl, 'utf8')) as { version: string }).version
}
