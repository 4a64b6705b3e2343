import type { MaliciousSample } from './corpus.ts'
import type { JsxrayOutcome } from './jsxray-side.ts'
import type { TarsierOutcome } from './tarsier-side.ts'

export interface SampleResult {
  sample: MaliciousSample
  tarsier: TarsierOutcome
  jsxray: JsxrayOutcome
}

export interface BenignResult {
  /** Name as listed. */
  name: string
  /** Version `latest` resolved to. */
  version?: string
  /** Why `latest` could not be resolved: neither tool ran. */
  resolveError?: string
  tarsier?: TarsierOutcome
  jsxray?: JsxrayOutcome
}

/** The levels compared: Tarsier's two verdict levels and js-x-ray's `Critical` (plus a looser one). */
export const LEVELS = ['tarsier:malicious', 'tarsier:suspicious+', 'jsxray:critical', 'jsxray:warning+'] as const
export type Level = (typeof LEVELS)[number]

export const LEVEL_LABEL: Record<Level, string> = {
  'tarsier:malicious': 'Tarsier `malicious`',
  'tarsier:suspicious+': 'Tarsier `suspicious`+',
  'jsxray:critical': 'js-x-ray Critical',
  'jsxray:warning+': 'js-x-ray any Warning/Critical',
}

type Judged = { tarsier?: TarsierOutcome; jsxray?: JsxrayOutcome }

export function hits(r: Judged, level: Level): boolean {
  switch (level) {
    case 'tarsier:malicious':
      return r.tarsier?.verdict === 'malicious'
    case 'tarsier:suspicious+':
      return r.tarsier?.verdict === 'malicious' || r.tarsier?.verdict === 'suspicious'
    case 'jsxray:critical':
      return r.jsxray?.flagged === true
    case 'jsxray:warning+':
      return r.jsxray?.anyWarning === true
  }
}

/** Whether the tool behind a level produced a reading of the package (the false-positive denominator). */
function measured(r: BenignResult, level: Level): boolean {
  return level.startsWith('tarsier') ? r.tarsier?.status === 'scanned' : r.jsxray?.ok === true
}

export interface Ratio {
  hit: number
  total: number
}

export type ByLevel = Record<Level, Ratio>

export interface ClusterRow {
  cluster: string
  family: string
  samples: number
  /** Samples caught per level. */
  caught: Record<Level, number>
}

export interface FamilyRow {
  family: string
  samples: number
  clusters: number
  samplesCaught: Record<Level, number>
  /** Clusters caught (every sample caught) per level. */
  clustersCaught: Record<Level, number>
}

export interface MaliciousMetrics {
  samples: ByLevel
  /** A cluster is caught when every one of its samples is caught (headline definition). */
  clusters: ByLevel
  /** Looser: at least one sample of the cluster caught (context only). */
  clustersAny: ByLevel
  perCluster: ClusterRow[]
  perFamily: FamilyRow[]
}

export interface BenignMetrics {
  listed: number
  /** Flagged / measured per level; the denominator is the packages the tool actually read. */
  flagged: ByLevel
  unresolved: number
}

const zero = (): Record<Level, number> => Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>
const byLevel = (f: (l: Level) => Ratio): ByLevel => Object.fromEntries(LEVELS.map((l) => [l, f(l)])) as ByLevel

export function maliciousMetrics(results: readonly SampleResult[]): MaliciousMetrics {
  const clusters = new Map<string, SampleResult[]>()
  for (const r of results) clusters.set(r.sample.cluster, [...(clusters.get(r.sample.cluster) ?? []), r])
  const perCluster: ClusterRow[] = [...clusters].map(([cluster, rs]) => {
    const caught = zero()
    for (const l of LEVELS) caught[l] = rs.filter((r) => hits(r, l)).length
    return { cluster, family: familyOf(rs), samples: rs.length, caught }
  })
  const families = new Map<string, FamilyRow>()
  for (const row of perCluster) {
    const f = families.get(row.family) ?? { family: row.family, samples: 0, clusters: 0, samplesCaught: zero(), clustersCaught: zero() }
    f.samples += row.samples
    f.clusters++
    for (const l of LEVELS) {
      f.samplesCaught[l] += row.caught[l]
      if (row.caught[l] === row.samples) f.clustersCaught[l]++
    }
    families.set(row.family, f)
  }
  return {
    samples: byLevel((l) => ({ hit: results.filter((r) => hits(r, l)).length, total: results.length })),
    clusters: byLevel((l) => ({ hit: perCluster.filter((c) => c.caught[l] === c.samples).length, total: perCluster.length })),
    clustersAny: byLevel((l) => ({ hit: perCluster.filter((c) => c.caught[l] > 0).length, total: perCluster.length })),
    perCluster: perCluster.sort((a, b) => a.family.localeCompare(b.family) || a.cluster.localeCompare(b.cluster)),
    perFamily: [...families.values()].sort((a, b) => b.samples - a.samples || a.family.localeCompare(b.family)),
  }
}

/** A cluster's family: the most common family among its samples (they agree in the corpus). */
function familyOf(rs: readonly SampleResult[]): string {
  const counts = new Map<string, number>()
  for (const r of rs) counts.set(r.sample.family, (counts.get(r.sample.family) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0]
}

export function benignMetrics(results: readonly BenignResult[]): BenignMetrics {
  return {
    listed: results.length,
    flagged: byLevel((l) => {
      const read = results.filter((r) => measured(r, l))
      return { hit: read.filter((r) => hits(r, l)).length, total: read.length }
    }),
    unresolved: results.filter((r) => r.resolveError).length,
  }
}

export function pct(r: Ratio, digits = 1): string {
  return r.total === 0 ? 'n/a' : `${((100 * r.hit) / r.total).toFixed(digits)} %`
}

export function rate(r: Ratio): number | null {
  return r.total === 0 ? null : r.hit / r.total
}

/** The targets and goals, checked against the figures. */
export interface TargetCheck {
  label: string
  kind: 'target' | 'goal'
  threshold: string
  value: string
  met: boolean | null
}

export function checkTargets(mal: MaliciousMetrics | undefined, ben: BenignMetrics | undefined, benignLabel = 'top-1000'): TargetCheck[] {
  const check = (label: string, kind: TargetCheck['kind'], r: Ratio | undefined, op: '>=' | '<=', bound: number): TargetCheck => {
    const v = r ? rate(r) : null
    return {
      label,
      kind,
      threshold: `${op === '>=' ? '≥' : '≤'} ${(bound * 100).toFixed(1).replace(/\.0$/, '')} %`,
      value: r ? `${pct(r)} (${r.hit}/${r.total})` : 'not measured',
      met: v === null ? null : op === '>=' ? v >= bound : v <= bound,
    }
  }
  return [
    check('malicious clusters caught at `suspicious`+', 'target', mal?.clusters['tarsier:suspicious+'], '>=', 0.9),
    check(`${benignLabel} flagged \`malicious\``, 'target', ben?.flagged['tarsier:malicious'], '<=', 0.01),
    check(`${benignLabel} flagged \`suspicious\`+`, 'target', ben?.flagged['tarsier:suspicious+'], '<=', 0.05),
    check('malicious clusters caught at `malicious`', 'goal', mal?.clusters['tarsier:malicious'], '>=', 0.97),
    check(`${benignLabel} flagged \`malicious\``, 'goal', ben?.flagged['tarsier:malicious'], '<=', 0.005),
  ]
}
