import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import pacote from 'pacote'
import type { FetchFailure, PackageRef } from '../types.ts'
import { readDirectory } from './directory-reader.ts'
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts'
import type { RegistryConfig } from './npm-config.ts'
import { readTarball, type TarballContents } from './tarball-reader.ts'

export interface FetchOptions {
  cacheDir: string
  registryConfig: RegistryConfig
  /** Fetch git, remote-URL and directory dependencies too (they bypass registry integrity). */
  allowNonRegistry: boolean
  offline?: boolean
  limits?: ReadLimits
}

export type FetchOutcome = { ok: true; contents: TarballContents } | ({ ok: false } & FetchFailure)

/**
 * Options that keep pacote from ever running code: no lifecycle scripts, no git clones, no
 * remote or directory specs unless the user opted in.
 */
export function safePacoteOptions(options: FetchOptions, ref: PackageRef): Record<string, unknown> {
  const allow = options.allowNonRegistry ? 'all' : 'none'
  return {
    ...options.registryConfig,
    cache: join(options.cacheDir, '_cacache'),
    ignoreScripts: true,
    allowGit: allow,
    allowRemote: allow,
    allowDirectory: 'none',
    allowFile: allow,
    offline: options.offline ?? false,
    preferOnline: false,
    fullMetadata: false,
    ...(ref.integrity && { integrity: ref.integrity }),
    ...(ref.resolved && ref.source === 'registry' && { resolved: ref.resolved }),
  }
}

/** Reads one package's files into memory: from the registry (verified), a local tarball, or a directory. */
export async function fetchPackage(ref: PackageRef, options: FetchOptions): Promise<FetchOutcome> {
  const limits = options.limits ?? DEFAULT_LIMITS
  try {
    if (ref.directory) return { ok: true, contents: await readDirectory(ref.directory, limits) }
    if (ref.tarballPath) return { ok: true, contents: await readTarball(createReadStream(ref.tarballPath), limits) }
    if (ref.source !== 'registry' && !options.allowNonRegistry) {
      return { ok: false, notFetched: true, reason: `${ref.source} dependency not fetched (${ref.resolved ?? ref.spec}); pass --allow-non-registry to scan it` }
    }
    // pacote may call the handler again when it retries; each call reads the archive afresh.
    const contents = await pacote.tarball.stream(ref.spec, (stream) => readTarball(stream, limits), safePacoteOptions(options, ref))
    return { ok: true, contents }
  } catch (error) {
    return describeFetchError(error, ref)
  }
}

function describeFetchError(error: unknown, ref: PackageRef): FetchOutcome {
  const e = error as Error & { code?: string; statusCode?: number; expected?: unknown; found?: unknown; uri?: string }
  switch (e.code) {
    case 'EINTEGRITY':
      return {
        ok: false,
        reason: `tarball does not match the lockfile integrity ${ref.integrity ?? ''}`.trim(),
        integrityMismatch: { expected: String(e.expected ?? ref.integrity ?? ''), ...(e.found !== undefined && { actual: String(e.found) }) },
      }
    case 'E404':
      return { ok: false, reason: `${ref.name}@${ref.version} was not found in the registry (unpublished or never published)` }
    case 'ETARGET':
      return { ok: false, reason: `no version ${ref.version} of ${ref.name} in the registry` }
    case 'E401':
    case 'E403':
      return { ok: false, reason: `the registry refused access to ${ref.name} (HTTP ${e.statusCode ?? e.code.slice(1)}): set its auth token in .npmrc` }
    case 'EALLOWGIT':
    case 'EALLOWREMOTE':
    case 'EALLOWDIRECTORY':
    case 'EALLOWFILE':
      return { ok: false, notFetched: true, reason: `${ref.source} dependency not fetched; pass --allow-non-registry to scan it` }
    case 'ENOTCACHED':
      return { ok: false, reason: `${ref.name}@${ref.version} is not in the cache and the scan is offline` }
    default:
      return { ok: false, reason: `could not fetch ${ref.name}@${ref.version}: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}` }
  }
}
