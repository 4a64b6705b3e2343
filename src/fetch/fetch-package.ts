import type { Readable } from 'node:stream'
import { join } from 'node:path'
import pacote from 'pacote'
import type { FetchFailure, PackageRef } from '../types.ts'
import type { PackageSourceData } from './package-source.ts'
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts'
import type { RegistryConfig } from './npm-config.ts'

export interface FetchOptions {
  cacheDir: string
  registryConfig: RegistryConfig
  /** Fetch git, remote-URL and directory dependencies too (they bypass registry integrity). */
  allowNonRegistry: boolean
  offline?: boolean
  limits?: ReadLimits
}

/** The package's bytes (or where to read them), ready for analysis; or why it could not be had. */
export type FetchOutcome = { ok: true; source: PackageSourceData } | ({ ok: false } & FetchFailure)

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

/**
 * Gets one package for analysis: registry tarballs are downloaded (or taken from the cache) and
 * verified against the lockfile integrity by pacote, and kept as compressed bytes; local
 * tarballs and directories are left where they are, to be read by the analysis.
 */
export async function fetchPackage(ref: PackageRef, options: FetchOptions): Promise<FetchOutcome> {
  const limits = options.limits ?? DEFAULT_LIMITS
  try {
    if (ref.directory) return { ok: true, source: { kind: 'directory', path: ref.directory } }
    if (ref.tarballPath) return { ok: true, source: { kind: 'tarball-file', path: ref.tarballPath } }
    if (ref.source !== 'registry' && !options.allowNonRegistry) {
      return { ok: false, notFetched: true, reason: `${ref.source} dependency not fetched (${ref.resolved ?? ref.spec}); pass --allow-non-registry to scan it` }
    }
    // pacote may call the handler again when it retries; each call collects the bytes afresh.
    const bytes = await pacote.tarball.stream(ref.spec, (stream) => collectBytes(stream, limits.maxCompressedBytes), safePacoteOptions(options, ref))
    return { ok: true, source: { kind: 'tarball-bytes', bytes } }
  } catch (error) {
    return describeFetchError(error, ref)
  }
}

/**
 * Reads a stream to its end into one buffer. Past `max` bytes the rest is drained (so pacote
 * still checks the integrity of the whole) but not kept: the reader then sees a truncated archive.
 */
async function collectBytes(stream: Readable, max: number): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (length + chunk.length <= max) chunks.push(chunk)
    length += chunk.length
  }
  const kept = Math.min(length, max)
  const out = new Uint8Array(kept)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.length
  }
  return out
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
