import { basename } from 'node:path'

/**
 * Lockfile names read by Tarsier's own readers (npm's own are read by arborist), in the order a
 * project directory is searched. Apart from the readers, so that finding a lockfile loads no parser.
 */
export const OTHER_LOCKFILE_NAMES = ['yarn.lock', 'pnpm-lock.yaml', 'bun.lock'] as const

export type OtherLockfileName = (typeof OTHER_LOCKFILE_NAMES)[number]

export function isOtherLockfile(fileName: string): boolean {
  const name = basename(fileName)
  return (OTHER_LOCKFILE_NAMES as readonly string[]).includes(name) || name === 'bun.lockb'
}
