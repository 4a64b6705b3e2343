import type { TreeRule } from '../../src/analyze/tree-rule.ts'
import integrityChanged from './integrity-changed.ts'
import lockfileInjection from './lockfile-injection.ts'
import lockfileIntegrityConflict from './lockfile-integrity-conflict.ts'
import lockfileMissingIntegrity from './lockfile-missing-integrity.ts'
import resolvedHostChanged from './resolved-host-changed.ts'

/** Rules over the whole resolved tree, run once per scan after every package was analysed. */
export const treeRules: readonly TreeRule[] = [integrityChanged, lockfileInjection, lockfileIntegrityConflict, lockfileMissingIntegrity, resolvedHostChanged]
