import { existsSync, readFileSync } from 'node:fs'

/**
 * The web address of Tarsier's own GitHub repository, from the `repository` field of its
 * package.json (src/ in a clone, dist/src/ or dist/action/ when built), for links to rule docs.
 * Undefined when the field is missing or not a GitHub repository.
 */
export function toolRepositoryUrl(): string | undefined {
  const manifest = [new URL('../../package.json', import.meta.url), new URL('../../../package.json', import.meta.url)].find((u) => existsSync(u))
  if (!manifest) return undefined
  try {
    const { repository } = JSON.parse(readFileSync(manifest, 'utf8')) as { repository?: string | { url?: string } }
    const url = typeof repository === 'string' ? repository : repository?.url
    return url ? githubWebUrl(url) : undefined
  } catch {
    return undefined
  }
}

/** `git+https://github.com/o/r.git`, `github:o/r`, `o/r` → `https://github.com/o/r`. */
export function githubWebUrl(url: string): string | undefined {
  const shorthand = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(url)
  if (shorthand) return `https://github.com/${shorthand[1]}/${shorthand[2]!.replace(/\.git$/, '')}`
  const full = /^(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url)
  return full ? `https://github.com/${full[1]}/${full[2]}` : undefined
}
