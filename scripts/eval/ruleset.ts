import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { TOOL_VERSION } from '../../src/version.ts'

export interface RuleSetVersion {
  toolVersion: string
  /** First 12 hex digits of a SHA-256 over every file of `rules/` (sorted paths and contents). */
  rulesHash: string
  /** `0.1.0+abc123def456` */
  label: string
}

export function ruleSetVersion(repoRoot: string): RuleSetVersion {
  const rulesDir = join(repoRoot, 'rules')
  const hash = createHash('sha256')
  for (const file of listFiles(rulesDir)) {
    hash.update(relative(rulesDir, file).split('\\').join('/'))
    hash.update('\0')
    hash.update(readFileSync(file))
    hash.update('\0')
  }
  const rulesHash = hash.digest('hex').slice(0, 12)
  return { toolVersion: TOOL_VERSION, rulesHash, label: `${TOOL_VERSION}+${rulesHash}` }
}

function listFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(path))
    else if (entry.isFile()) out.push(path)
  }
  return out
}
