// What one NodeSecure payload says it did, in the figures the benchmark reports for Tarsier.

export interface NodeSecureSummary {
  scannerVersion: string
  /** Distinct name@version in the walked tree (the root project included). */
  packages: number
  /** name@version whose tarball NodeSecure fetched and analysed (its file list is not empty). */
  analysed: number
  files: number
  /** Files with a JavaScript or TypeScript extension, as listed in `composition.files`. */
  jsFiles: number
  /** Sum of each analysed version's `size` (unpacked bytes, NodeSecure's own count). */
  bytes: number
  /** Calls timed by NodeSecure, per kind (`pacote.extract`, `tarball.scanDirOrArchive`, …). */
  apiCalls: Record<string, number>
  /**
   * Errors NodeSecure recorded, as `call: message`. It also asks the registry for the root project
   * itself, which is not published: those errors are marked as such.
   */
  errors: string[]
}

interface Version {
  isDevDependency?: boolean
  size?: number
  composition?: { files?: string[] }
}

interface Payload {
  scannerVersion?: string
  rootDependency?: { name?: string; version?: string }
  dependencies?: Record<string, { versions?: Record<string, Version> }>
  metadata?: { apiCalls?: Array<{ name: string }>; errors?: Array<{ name?: string; message?: string }> }
}

const JS_FILE = /\.(?:[cm]?[jt]sx?)$/i

export function summarizeNodeSecurePayload(value: unknown): NodeSecureSummary {
  const payload = value as Payload
  let packages = 0
  let analysed = 0
  let files = 0
  let jsFiles = 0
  let bytes = 0
  for (const dependency of Object.values(payload.dependencies ?? {})) {
    for (const version of Object.values(dependency.versions ?? {})) {
      packages++
      // depWalker fetches no tarball for a version flagged as a dev dependency.
      if (version.isDevDependency) continue
      const list = version.composition?.files ?? []
      if (list.length > 0) analysed++
      files += list.length
      jsFiles += list.filter((f) => JS_FILE.test(f) && !/\.d\.[cm]?ts$/i.test(f)).length
      bytes += version.size ?? 0
    }
  }
  const apiCalls: Record<string, number> = {}
  for (const call of payload.metadata?.apiCalls ?? []) {
    const kind = call.name.split(' ')[0] ?? call.name
    apiCalls[kind] = (apiCalls[kind] ?? 0) + 1
  }
  const root = payload.rootDependency?.name ? `${payload.rootDependency.name}@${payload.rootDependency.version ?? ''}` : undefined
  const errors = (payload.metadata?.errors ?? []).map((e) => {
    const text = `${e.name ?? '?'}: ${(e.message ?? '').split('\n')[0]}`
    return root && e.name?.endsWith(` ${root}`) ? `${text} (the bench project itself, which is not on the registry: expected)` : text
  })
  return { scannerVersion: payload.scannerVersion ?? '?', packages, analysed, files, jsFiles, bytes, apiCalls, errors }
}
