import type { Readable } from 'node:stream'
import { join } from 'node:path'
import type { FetchFailure, PackageRef } from '../types.ts'
import type { PackageSourceData } from './package-source.ts'
import { hasCachedTarball } from './cached-tarball.ts'
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts'
import { authFailureReason, DEFAULT_NETWORK, pacoteNetworkOptions, registryOf, type NetworkSettings, type RegistryConfig } from './npm-config.ts'
import { registryTarballUrl } from './registry-tarball-url.ts'

export interface FetchOptions {
  cacheDir: string
  registryConfig: RegistryConfig
  /** Fetch git, remote-URL and directory dependencies too (they bypass registry integrity). */
  allowNonRegistry: boolean
  offline?: boolean
  limits?: ReadLimits
  network?: NetworkSettings
  /**
   * Hand a registry tarball that is in the cache to the analysis as a cache entry (default true);
   * false: as bytes, through pacote (which also replaces a corrupt cache entry).
   */
  fromCache?: boolean
}

/** The package's bytes (or where to read them), ready for analysis; or why it could not be had. */
export type FetchOutcome = { ok: true; source: PackageSourceData } | ({ ok: false } & FetchFailure)

/**
 * Options that keep pacote from ever running code: no lifecycle scripts, no git clones, no
 * remote or directory specs unless the user opted in. With `builtUrl` (registryTarballUrl), pacote
 * is asked for `name@<builtUrl>`, which it reads as a remote spec: allowed for that URL only, since
 * it was built from the configured registry and not taken from the lockfile (arborist allows
 * registry tarballs the same way); pacote verifies it against the lockfile integrity all the same.
 */
export function safePacoteOptions(options: FetchOptions, ref: PackageRef, builtUrl?: string): Record<string, unknown> {
  const allow = options.allowNonRegistry ? 'all' : 'none'
  return {
    ...options.registryConfig,
    ...pacoteNetworkOptions(options.network ?? DEFAULT_NETWORK),
    // fetchPackage retries itself, so that it sees every failed download (make-fetch-happen would
    // retry a download that fails verification without a word).
    retry: { retries: 0 },
    cache: join(options.cacheDir, '_cacache'),
    ignoreScripts: true,
    allowGit: allow,
    allowRemote: builtUrl ? 'all' : allow,
    allowDirectory: 'none',
    allowFile: allow,
    offline: options.offline ?? false,
    preferOnline: false,
    fullMetadata: false,
    ...(ref.integrity && { integrity: ref.integrity }),
    ...(ref.resolved && ref.source === 'registry' && { resolved: ref.resolved }),
    ...(builtUrl && { resolved: builtUrl }),
  }
}

/**
 * Gets one package for analysis: registry tarballs are downloaded into the cache and verified
 * against the lockfile integrity by pacote, and left in the cache for the analysis to read (and
 * verify again) by that integrity (cached-tarball.ts); without an integrity to find them by, they
 * are kept as compressed bytes. Local tarballs and directories are left where they are.
 */
export async function fetchPackage(ref: PackageRef, options: FetchOptions): Promise<FetchOutcome> {
  const limits = options.limits ?? DEFAULT_LIMITS
  try {
    // The project being scanned: its git hooks are its code too (dependencies' are not)
    if (ref.directory) return { ok: true, source: { kind: 'directory', path: ref.directory, ...(ref.source === 'root' && { gitHooks: true }) } }
    if (ref.tarballPath) return { ok: true, source: { kind: 'tarball-file', path: ref.tarballPath } }
    if (ref.source !== 'registry' && !options.allowNonRegistry) {
      return { ok: false, notFetched: true, reason: `${ref.source} dependency not fetched (${ref.resolved ?? ref.spec}); pass --allow-non-registry to scan it` }
    }
    const cache = join(options.cacheDir, '_cacache')
    const fromCache = ref.source === 'registry' && ref.integrity && options.fromCache !== false ? { kind: 'cached-tarball' as const, cache, integrity: ref.integrity } : undefined
    if (fromCache && (await hasCachedTarball(cache, fromCache.integrity))) return { ok: true, source: fromCache }
    const network = options.network ?? DEFAULT_NETWORK
    // A download that will land in the cache is not kept in memory: the worker reads it from there.
    // A cold scan has up to `concurrency` downloads in flight; in bench/large-app the largest are 32-44 MB.
    const registry = registryOf(ref.name, options.registryConfig)
    const download: Download = { mismatch: undefined, drain: fromCache !== undefined && !uncachedRegistries.has(registry) }
    for (let attempt = 0; ; attempt++) {
      try {
        let bytes = await downloadTarball(ref, options, limits, download)
        // A verified download has landed in the cache (make-fetch-happen ends the body once it is written).
        if (!download.mismatch && fromCache && (await hasCachedTarball(cache, fromCache.integrity))) return { ok: true, source: fromCache }
        if (!bytes) {
          // Drained, but the cache did not keep it (a registry that answers no-store): fetched again, kept.
          uncachedRegistries.add(registry)
          download.drain = false
          bytes = (await downloadTarball(ref, options, limits, download))!
        }
        if (!download.mismatch) return { ok: true, source: { kind: 'tarball-bytes', bytes } }
        const failure = integrityFailure(download.mismatch, ref)
        return { ok: true, source: { kind: 'tarball-bytes', bytes, fetchFailure: { ...failure, integrityMismatch: { ...failure.integrityMismatch!, retried: true } } } }
      } catch (error) {
        if (attempt >= network.retries || !isTransient(error)) throw error
        await sleep(Math.min(network.retryMaxTimeoutMs, network.retryMinTimeoutMs * network.retryFactor ** attempt))
      }
    }
  } catch (error) {
    return describeFetchError(error, ref, options.registryConfig)
  }
}

/** Registries a download of which the cache did not keep: later downloads from them are kept in memory, not fetched twice. */
const uncachedRegistries = new Set<string>()

interface Download {
  /** The first download that failed verification, kept even when a later one matched. */
  mismatch: IntegrityError | undefined
  /** The registry answered 404 at the tarball URL built from the name and version. */
  builtUrlMissing?: boolean
  /** Read the download to its end (pacote verifies it and writes the cache) without keeping its bytes. */
  drain: boolean
}

/**
 * One package's tarball. An entry without `resolved` but with integrity is asked for at the URL
 * where registries keep tarballs (no package document needed, so a warm cache needs no network);
 * where that URL is not found (a registry that lays tarballs out otherwise), by `name@version`,
 * the way any entry without that URL is.
 */
async function downloadTarball(ref: PackageRef, options: FetchOptions, limits: ReadLimits, download: Download): Promise<Uint8Array | undefined> {
  const url = download.builtUrlMissing ? undefined : registryTarballUrl(ref, options.registryConfig)
  if (!url) return streamTarball(ref.spec, safePacoteOptions(options, ref), Boolean(ref.integrity && ref.resolved), limits, download)
  try {
    return await streamTarball(`${ref.name}@${url}`, safePacoteOptions(options, ref, url), true, limits, download)
  } catch (error) {
    if ((error as { code?: string }).code !== 'E404') throw error
    download.builtUrlMissing = true
    return streamTarball(ref.spec, safePacoteOptions(options, ref), false, limits, download)
  }
}

/**
 * One pacote download. pacote calls the handler again when a download fails verification, and
 * each call collects the bytes afresh. With both integrity and resolved URL known, its first call
 * reads the local cache (a miss or a corrupt entry there is not the registry's doing); any later
 * call is a download.
 */
async function streamTarball(spec: string, pacoteOptions: Record<string, unknown>, readsCacheFirst: boolean, limits: ReadLimits, download: Download): Promise<Uint8Array | undefined> {
  // pacote (and the HTTP, TUF and sigstore stack under it) is loaded on the first download, not with this module.
  const { default: pacote } = await import('pacote')
  let call = 0
  return pacote.tarball.stream(
    spec,
    async (stream) => {
      const fromNetwork = call++ > 0 || !readsCacheFirst
      try {
        // After a download failed verification, the bytes that then verify are kept: they are reported with that failure.
        return download.drain && !download.mismatch ? await drain(stream) : await collectBytes(stream, limits.maxCompressedBytes)
      } catch (error) {
        if (fromNetwork && (error as IntegrityError).code === 'EINTEGRITY') download.mismatch ??= error as IntegrityError
        throw error
      }
    },
    pacoteOptions,
  )
}

/** Failures that another attempt may not meet: server errors, throttling, timeouts, broken connections. */
function isTransient(error: unknown): boolean {
  const e = error as { code?: string; statusCode?: number; type?: string }
  const status = e.statusCode ?? (/^E\d{3}$/.test(e.code ?? '') ? Number(e.code!.slice(1)) : undefined)
  if (status !== undefined) return status >= 500 || status === 408 || status === 429
  return isTimeout(e) || isCutOff(e)
}

function isCutOff(e: { code?: string }): boolean {
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'Z_BUF_ERROR', 'Z_DATA_ERROR', 'TAR_BAD_ARCHIVE'].includes(e.code ?? '')
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms))
}

type IntegrityError = Error & { code?: string; expected?: unknown; found?: unknown }

function integrityFailure(e: IntegrityError, ref: PackageRef): FetchFailure {
  return {
    reason: `tarball does not match the lockfile integrity ${ref.integrity ?? ''}`.trim(),
    integrityMismatch: { expected: String(e.expected ?? ref.integrity ?? ''), ...(e.found !== undefined && { actual: String(e.found) }) },
  }
}

/** Reads a stream to its end, keeping nothing. */
function drain(stream: Readable): Promise<undefined> {
  return new Promise((resolvePromise, reject) => {
    stream.on('error', reject)
    stream.on('end', () => resolvePromise(undefined))
    stream.resume()
  })
}

/**
 * Reads a stream to its end into one buffer. Past `max` bytes the rest is drained (so pacote
 * still checks the integrity of the whole) but not kept: the reader then sees a truncated archive.
 */
function collectBytes(stream: Readable, max: number): Promise<Uint8Array> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    // Listened to for the stream's whole life: pacote's streams can emit an error between chunks
    // or after the end (a connection reset, a failed cache write), and an unheard one would crash.
    stream.on('error', reject)
    stream.on('data', (chunk: Buffer) => {
      if (length + chunk.length <= max) chunks.push(chunk)
      length += chunk.length
    })
    stream.on('end', () => {
      const out = new Uint8Array(Math.min(length, max))
      let offset = 0
      for (const c of chunks) {
        out.set(c, offset)
        offset += c.length
      }
      resolvePromise(out)
    })
  })
}

function describeFetchError(error: unknown, ref: PackageRef, config: RegistryConfig): FetchOutcome {
  const e = error as Error & { code?: string; statusCode?: number; expected?: unknown; found?: unknown; uri?: string; type?: string }
  const status = e.statusCode ?? (/^E\d{3}$/.test(e.code ?? '') ? Number(e.code!.slice(1)) : undefined)
  if (status !== undefined && status >= 500) {
    return { ok: false, reason: `the registry answered HTTP ${status} for ${ref.name}@${ref.version}, also on each retry` }
  }
  if (isTimeout(e)) return { ok: false, reason: `the registry did not answer in time for ${ref.name}@${ref.version} (${e.code ?? e.type}), also on each retry` }
  switch (e.code) {
    case 'EINTEGRITY':
      return { ok: false, ...integrityFailure(e, ref) }
    case 'E404':
      return { ok: false, reason: `${ref.name}@${ref.version} was not found in the registry (unpublished or never published)` }
    case 'ETARGET':
      return { ok: false, reason: `no version ${ref.version} of ${ref.name} in the registry` }
    case 'E401':
    case 'E403':
      return { ok: false, reason: authFailureReason(registryOf(ref.name, config), `${ref.name}@${ref.version}`, config, status ?? 401) }
    case 'EALLOWGIT':
    case 'EALLOWREMOTE':
    case 'EALLOWDIRECTORY':
    case 'EALLOWFILE':
      return { ok: false, notFetched: true, reason: `${ref.source} dependency not fetched; pass --allow-non-registry to scan it` }
    case 'ENOTCACHED':
      return { ok: false, reason: `${ref.name}@${ref.version} is not in the cache and the scan is offline` }
    default:
      if (isCutOff(e)) return { ok: false, reason: `the download of ${ref.name}@${ref.version} was cut off or corrupt (${e.code}), also on each retry` }
      return { ok: false, reason: `could not fetch ${ref.name}@${ref.version}: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}` }
  }
}

function isTimeout(e: { code?: string; type?: string }): boolean {
  return ['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EIDLETIMEOUT', 'ECONNECTIONTIMEOUT', 'ERESPONSETIMEOUT', 'ETRANSFERTIMEOUT'].includes(e.code ?? '') || e.type === 'request-timeout' || e.type === 'body-timeout'
}
