import type { ReadLimits } from '../../fetch/limits.ts'
import type { PackageSourceData } from '../../fetch/package-source.ts'
import type { Finding, PackageRef } from '../../types.ts'

export interface AnalysisTask {
  ref: PackageRef
  source: PackageSourceData
  limits?: ReadLimits
  skipFiles: Array<[string, { level: 'parse' | 'all'; reason: string }]>
  /** Written by the worker as each file starts (see file-tracker.ts), read by the watchdog. */
  tracker: SharedArrayBuffer
}

export interface AnalysisOutcome {
  findings: Finding[]
  errors: string[]
  jsFiles: number
  files: number
  bytes: number
  manifest?: { name?: string; version?: string }
  /** Some file was set aside for overrunning its budget: the result depends on load, so it is not cached. */
  budgetLimited?: boolean
}
