import type { DependencyChange, ScanReport } from '../types.ts'

const KIND_LABEL: Record<DependencyChange['kind'], string> = {
  'integrity-changed': 'INTEGRITY CHANGED',
  'resolved-host-changed': 'source changed',
  'version-changed': 'version changed',
  added: 'added',
  removed: 'removed',
}

const KIND_ORDER: Array<DependencyChange['kind']> = ['integrity-changed', 'resolved-host-changed', 'added', 'version-changed', 'removed']

/** The lines of a diff report that list each lockfile change, riskiest kind first, one per line. */
export function changeLines(report: ScanReport): string[] {
  if (!report.diff) return []
  const changes = [...report.diff.changes].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name))
  const lines = [`Changes against ${report.diff.base} (${changes.length}; added and changed packages are scanned)`]
  if (changes.length === 0) lines.push('  none: the lockfiles name the same packages')
  for (const change of changes) lines.push(`  ${KIND_LABEL[change.kind].padEnd(17)} ${describe(change)}`)
  lines.push('')
  return lines
}

function describe(change: DependencyChange): string {
  const id = `${change.name}@${change.version}`
  switch (change.kind) {
    case 'version-changed':
      return `${change.name} ${change.previousVersions?.join(', ') ?? '?'} → ${change.version}`
    case 'integrity-changed':
      return `${id}: ${change.previousIntegrity?.slice(0, 22)}… → ${change.integrity?.slice(0, 22) ?? '(none)'}…`
    case 'resolved-host-changed':
      return `${id}: ${change.previousResolved || '(unknown)'} → ${change.resolved ?? '(unknown)'}`
    default:
      return id
  }
}
