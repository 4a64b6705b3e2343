/**
 * Near-misses of popular npm package names (typosquatting): one edit away (Damerau: insert,
 * delete, substitute, swap two neighbours), the same name with other separators or without them,
 * a scope flattened into the name (`types-node` for `@types/node`), or a popular name with a
 * `js` / `node` prefix or suffix added. Names of the popularity list itself never match.
 */
import popular from '../../data/popular-npm-packages.json' with { type: 'json' }

/** Shorter names are too dense: almost every 3–4 letter string is one edit from a real package. */
const MIN_LENGTH = 5

export interface NearMiss {
  /** The popular package the name imitates. */
  popular: string
  /** How: `one edit`, `separators`, `scope flattened`, `js/node affix`. */
  how: string
}

/** A name without scope marks and separators: `@types/node` → `typesnode`, `lodash.merge` → `lodashmerge`. */
function skeleton(name: string): string {
  return name.toLowerCase().replace(/[@/._-]/g, '')
}

/** `js` / `node` added before or after a name, with or without a separator. */
const AFFIX = /^(?:node|js)[._-]?(.+)$|^(.+?)[._-]?(?:js|node)$/

class PopularNames {
  private readonly names: ReadonlySet<string>
  private readonly byLength = new Map<number, string[]>()
  private readonly bySkeleton = new Map<string, string>()

  constructor(names: readonly string[]) {
    this.names = new Set(names)
    for (const name of names) {
      if (name.length < MIN_LENGTH) continue
      const list = this.byLength.get(name.length) ?? []
      list.push(name)
      this.byLength.set(name.length, list)
      const key = skeleton(name)
      // The first (most popular) name owns a skeleton that two popular names share.
      if (!this.bySkeleton.has(key)) this.bySkeleton.set(key, name)
    }
  }

  isPopular(name: string): boolean {
    return this.names.has(name)
  }

  /** The popular name `name` imitates, or undefined. */
  nearMiss(name: string): NearMiss | undefined {
    if (name.length < MIN_LENGTH || this.names.has(name) || name.length > 214) return undefined
    const key = skeleton(name)
    const sameSkeleton = this.bySkeleton.get(key)
    if (sameSkeleton !== undefined && sameSkeleton !== name) {
      const scoped = name.startsWith('@') !== sameSkeleton.startsWith('@')
      return { popular: sameSkeleton, how: scoped ? 'scope flattened' : 'separators' }
    }
    for (const length of [name.length - 1, name.length, name.length + 1]) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (withinOneEdit(name, candidate) && !sameScope(name, candidate)) return { popular: candidate, how: 'one edit' }
      }
    }
    const affixed = AFFIX.exec(key)
    const base = affixed?.[1] ?? affixed?.[2]
    if (base !== undefined && base.length >= MIN_LENGTH) {
      const target = this.bySkeleton.get(base)
      if (target !== undefined) return { popular: target, how: 'js/node affix' }
    }
    return undefined
  }
}

/** Only a scope's owner publishes in it: `@types/ms` next to `@types/ws` is no one's typo. */
function sameScope(a: string, b: string): boolean {
  if (!a.startsWith('@') || !b.startsWith('@')) return false
  const slash = a.indexOf('/')
  return slash > 0 && a.slice(0, slash + 1) === b.slice(0, slash + 1)
}

/**
 * Whether two different strings are exactly one Damerau edit apart (insertion, deletion,
 * substitution or a swap of two adjacent characters). Linear: the general distance libraries fill
 * a whole matrix, and only "at most one" is asked here, thousands of times per tree.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return false
  if (Math.abs(a.length - b.length) > 1) return false
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const restA = endA - start
  const restB = endB - start
  // One character inserted, deleted or substituted.
  if (restA <= 1 && restB <= 1) return true
  // Two neighbours swapped: `lodahs` / `lodash`.
  return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start]
}

export const popularNames = new PopularNames(popular.names)
