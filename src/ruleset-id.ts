import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TOOL_VERSION } from './version.ts'

const ANALYSIS_DIRS = [new URL('../rules/', import.meta.url), new URL('./analyze/', import.meta.url), new URL('./fetch/', import.meta.url), new URL('../data/', import.meta.url)]

/**
 * Identifies the code that produces a package's findings: the tool version and a hash of every
 * rule, the analysis engine, the readers and the data files. Cached results are keyed by it, so a
 * changed rule never serves a stale result. The bundled Action has no such files beside it: its
 * build computes the id from the sources it bundles and defines __TARSIER_RULESET_ID__.
 */
export const RULESET_ID: string = typeof __TARSIER_RULESET_ID__ === 'string' ? __TARSIER_RULESET_ID__ : computeRulesetId()

function computeRulesetId(): string {
  const hash = createHash('sha256')
  for (const dir of ANALYSIS_DIRS) {
    let root: string
    try {
      root = fileURLToPath(dir)
      statSync(root)
    } catch {
      continue
    }
    for (const file of listFiles(root)) hash.update(file.slice(root.length)).update(readFileSync(file))
  }
  return `${TOOL_VERSION}+${hash.digest('hex').slice(0, 12)}`
}

function listFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(path))
    else if (/\.(?:[cm]?[jt]s|json)$/.test(entry.name) && !entry.name.endsWith('.map')) out.push(path)
  }
  return out
}
