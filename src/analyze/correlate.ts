import type { Finding, PackageResult } from '../types.ts'
import { verdictOf } from './verdict.ts'

/** Paths that many unrelated tools legitimately share: never a private hand-off. */
const SHARED_PATHS = /^(?:~|<tmp>)\/(?:\.npmrc|\.gitconfig|\.bashrc|\.zshrc|\.profile|\.cache\/?\*?|\.config\/?\*?|\.npm\/?\*?|\.yarnrc)$/

export const PAIRED_HANDOFF_RULE = 'paired-package-handoff'

/**
 * Tree-level correlation after every package was analysed: one package writes downloaded data to a
 * private file under the home or temp directory and another package reads that same file in code
 * that uses the network or runs code (the 2023 paired-package campaign: a token staged in
 * `~/.vscode/jsontoken` by package A, posted by package B to fetch the payload it then runs).
 * Two unrelated packages sharing a private staging file is anomalous by itself.
 *
 * Adds a critical `paired-package-handoff` finding to both packages of each pair and recomputes
 * their verdicts. Returns the results (the same objects, updated in place).
 */
export function correlatePackages(results: PackageResult[]): PackageResult[] {
  const writers = new Map<string, Array<{ result: PackageResult; finding: Finding }>>()
  const readers = new Map<string, Array<{ result: PackageResult; finding: Finding }>>()
  for (const result of results) {
    for (const finding of result.findings) {
      const handoff = finding.handoff
      if (!handoff || handoff.path.includes('*') || SHARED_PATHS.test(handoff.path)) continue
      const map = handoff.access === 'write' ? writers : readers
      const list = map.get(handoff.path) ?? []
      list.push({ result, finding })
      map.set(handoff.path, list)
    }
  }
  const changed = new Set<PackageResult>()
  for (const [path, writes] of writers) {
    const reads = readers.get(path)
    if (!reads) continue
    for (const w of writes) {
      for (const r of reads) {
        if (w.result === r.result || (w.result.name === r.result.name && w.result.version === r.result.version)) continue
        const partnerOf = (p: PackageResult) => `${p.name}@${p.version}`
        add(w.result, {
          ruleId: PAIRED_HANDOFF_RULE,
          severity: 'critical',
          message: `Writes ${w.finding.handoff!.detail ?? 'data'} to ${path}, which ${partnerOf(r.result)} reads and hands to ${r.finding.handoff!.detail === 'exec' ? 'code it runs' : 'the network'}: two packages passing a staged token or payload (paired-package loader).`,
          ...(w.finding.file !== undefined && { file: w.finding.file }),
          ...(w.finding.line !== undefined && { line: w.finding.line }),
          ...(w.finding.snippet !== undefined && { snippet: w.finding.snippet }),
          ...(w.finding.entryKind !== undefined && { entryKind: w.finding.entryKind }),
        })
        add(r.result, {
          ruleId: PAIRED_HANDOFF_RULE,
          severity: 'critical',
          message: `Reads ${path}, which ${partnerOf(w.result)} writes from ${w.finding.handoff!.detail ?? 'downloaded data'}, and hands it to ${r.finding.handoff!.detail === 'exec' ? 'code it runs' : 'the network'}: the second half of a paired-package loader.`,
          ...(r.finding.file !== undefined && { file: r.finding.file }),
          ...(r.finding.line !== undefined && { line: r.finding.line }),
          ...(r.finding.snippet !== undefined && { snippet: r.finding.snippet }),
          ...(r.finding.entryKind !== undefined && { entryKind: r.finding.entryKind }),
        })
        changed.add(w.result).add(r.result)
      }
    }
  }
  for (const result of changed) result.verdict = verdictOf(result.findings)
  return results

  function add(result: PackageResult, finding: Finding): void {
    if (result.findings.some((f) => f.ruleId === finding.ruleId && f.message === finding.message)) return
    result.findings.unshift(finding)
  }
}
