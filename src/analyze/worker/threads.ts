import { availableParallelism } from 'node:os'

/** Worker threads of the analysis when none are asked for: one per core, at most 8. */
export function defaultThreadCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8))
}
