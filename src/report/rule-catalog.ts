import { rules } from '../../rules/index.ts'
import { treeRules } from '../../rules/tree/index.ts'
import { PAIRED_HANDOFF_RULE } from '../analyze/correlate.ts'
import type { RuleMeta } from '../types.ts'

/** What a rule inspects: one package's files, or the lockfile and the tree as a whole. */
export type RuleKind = 'package' | 'tree'

export interface CatalogRule extends RuleMeta {
  kind: RuleKind
}

/**
 * Every rule that can produce a finding, sorted by id: the package rules, the tree rules, and the
 * cross-package correlation (which has a doc page but no rule module).
 */
export function ruleCatalog(): CatalogRule[] {
  const all: CatalogRule[] = [
    ...rules.map((r) => ({ ...r.meta, kind: 'package' as const })),
    ...treeRules.map((r) => ({ ...r.meta, kind: 'tree' as const })),
    {
      id: PAIRED_HANDOFF_RULE,
      severity: 'critical',
      description: 'Two packages of the tree hand a private file over: one writes downloaded data, the other reads it and uses the network or runs code',
      docs: 'rules/paired-package-handoff.md',
      kind: 'tree',
    },
  ]
  return all.sort((a, b) => a.id.localeCompare(b.id))
}
