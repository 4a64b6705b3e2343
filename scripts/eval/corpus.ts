import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export type SampleKind = 'package' | 'repo' | 'payload'

/** One row of `malicious/manifest.tsv`. */
export interface MaliciousSample {
  file: string
  /** Absolute path of the tarball (read by the scanner, never executed). */
  path: string
  name: string
  version: string
  family: string
  year: string
  kind: SampleKind
  partial: boolean
  techniques: string[]
  cluster: string
}

export class CorpusError extends Error {}

const MANIFEST_COLUMNS = ['file', 'name', 'version', 'family', 'year', 'kind', 'partial', 'techniques', 'cluster'] as const
const KINDS: readonly string[] = ['package', 'repo', 'payload']

/** Checks that the evaluation corpus is where it is expected, with a message that says what is missing. */
export function assertCorpus(evalDir: string, needs: { malicious: boolean; benignList?: string }): void {
  const missing: string[] = []
  if (!existsSync(evalDir)) missing.push(evalDir)
  else if (needs.malicious && !existsSync(join(evalDir, 'malicious', 'manifest.tsv'))) missing.push(join(evalDir, 'malicious', 'manifest.tsv'))
  if (needs.benignList && !existsSync(needs.benignList)) missing.push(needs.benignList)
  if (missing.length > 0) {
    throw new CorpusError(
      `evaluation corpus not found: ${missing.join(', ')}\n` +
        'The evaluation reads ../shared/eval (malicious/manifest.tsv, benign-top1000.txt) next to the repository; pass --eval-dir DIR if it is elsewhere.',
    )
  }
}

/** Reads `malicious/manifest.tsv`; every row must name a tarball that exists. */
export function loadMaliciousManifest(evalDir: string): MaliciousSample[] {
  const dir = join(evalDir, 'malicious')
  const lines = readFileSync(join(dir, 'manifest.tsv'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = lines.shift()?.split('\t') ?? []
  const index = Object.fromEntries(MANIFEST_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof MANIFEST_COLUMNS)[number], number>
  const absent = MANIFEST_COLUMNS.filter((c) => index[c] === -1)
  if (absent.length > 0) throw new CorpusError(`manifest.tsv lacks the column(s) ${absent.join(', ')}`)
  return lines.map((line, i) => {
    const cells = line.split('\t')
    const cell = (c: (typeof MANIFEST_COLUMNS)[number]) => (cells[index[c]] ?? '').trim()
    const kind = cell('kind')
    if (!KINDS.includes(kind)) throw new CorpusError(`manifest.tsv line ${i + 2}: unknown kind "${kind}"`)
    const file = cell('file')
    if (!file || file.includes('/') || file.includes('\\')) throw new CorpusError(`manifest.tsv line ${i + 2}: bad file name "${file}"`)
    const path = join(dir, file)
    if (!existsSync(path)) throw new CorpusError(`manifest.tsv line ${i + 2}: ${path} does not exist`)
    return {
      file,
      path,
      name: cell('name'),
      version: cell('version'),
      family: cell('family') || '(none)',
      year: cell('year'),
      kind: kind as SampleKind,
      partial: cell('partial') === 'yes',
      techniques: cell('techniques') ? cell('techniques').split(',') : [],
      cluster: cell('cluster') || file,
    }
  })
}

/** A list of package names, one per line; blank lines and `#` comments are ignored, duplicates dropped. */
export function loadNameList(file: string): string[] {
  const names = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '')
  return [...new Set(names)]
}
