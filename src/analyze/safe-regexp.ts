/**
 * Decides whether a regular expression from an analysed package may run on the host: backtracking
 * engines take exponential time on nested quantifiers (`(a+)+`) and polynomial time on several
 * unbounded ones (`a*a*b`), and both the pattern and the subject are attacker-chosen.
 *
 * Accepted: no backreferences, no quantified group that contains a quantifier or an alternation,
 * at most one unbounded quantifier (`*`, `+`, `{n,}`), bounded quantifiers whose product stays
 * small. The result gives the cost model the interpreter checks against the subject's length:
 * about `n × factor` steps without an unbounded quantifier, `n² × factor` with one.
 */
export interface RegExpCheck {
  /** Product of the bounded quantifiers' maximum counts. */
  factor: number
  /** Number of unbounded quantifiers (0 or 1). */
  unbounded: number
}

const MAX_PATTERN = 256
const MAX_FACTOR = 10_000

interface Group {
  quantified: boolean
  alternation: boolean
}

export function checkRegExp(pattern: string, flags: string): RegExpCheck | undefined {
  if (pattern.length > MAX_PATTERN) return undefined
  for (const f of flags) if (!'dgimsuy'.includes(f)) return undefined
  let factor = 1
  let unbounded = 0
  const groups: Group[] = [{ quantified: false, alternation: false }]
  // What the next quantifier applies to: a plain atom, a closed group, or nothing.
  let last: 'none' | 'atom' | Group = 'none'
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]!
    if (c === '\\') {
      const next = pattern[i + 1]
      if (next === undefined) return undefined
      if ((next >= '1' && next <= '9') || next === 'k') return undefined // backreferences
      i += 2
      last = 'atom'
      continue
    }
    if (c === '[') {
      // skip the class: escapes inside, `]` as the first member is literal only outside JS, where `[]` is empty
      i++
      if (pattern[i] === '^') i++
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1
      if (i >= pattern.length) return undefined
      i++
      last = 'atom'
      continue
    }
    if (c === '(') {
      groups.push({ quantified: false, alternation: false })
      i++
      if (pattern[i] === '?') {
        // (?:  (?=  (?!  (?<=  (?<!  (?<name>
        i++
        if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') {
          const close = pattern.indexOf('>', i)
          if (close < 0) return undefined
          i = close + 1
        } else {
          i += pattern[i] === '<' ? 2 : 1
        }
      }
      last = 'none'
      continue
    }
    if (c === ')') {
      if (groups.length < 2) return undefined
      const group = groups.pop()!
      const parent = groups[groups.length - 1]!
      parent.quantified ||= group.quantified
      last = group
      i++
      continue
    }
    if (c === '|') {
      groups[groups.length - 1]!.alternation = true
      last = 'none'
      i++
      continue
    }
    const quantifier = readQuantifier(pattern, i)
    if (quantifier) {
      if (last === 'none') return undefined
      if (typeof last === 'object' && (last.quantified || last.alternation)) return undefined // (a+)+, (a|b)*
      if (quantifier.max === Infinity) unbounded++
      else factor *= quantifier.max + 1
      if (unbounded > 1 || factor > MAX_FACTOR) return undefined
      groups[groups.length - 1]!.quantified = true
      i = quantifier.end
      if (pattern[i] === '?') i++ // lazy
      last = 'none'
      continue
    }
    i++
    last = 'atom'
  }
  if (groups.length !== 1) return undefined
  return { factor, unbounded }
}

function readQuantifier(pattern: string, i: number): { max: number; end: number } | undefined {
  const c = pattern[i]
  if (c === '*' || c === '+') return { max: Infinity, end: i + 1 }
  if (c === '?') return { max: 1, end: i + 1 }
  if (c !== '{') return undefined
  const m = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(pattern.slice(i, i + 16))
  if (!m) return undefined
  const min = Number(m[1])
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
  return { max, end: i + m[0].length }
}

/** Worst-case steps of running the expression once over a subject of `length` characters. */
export function regExpCost(check: RegExpCheck, length: number): number {
  const n = Math.max(length, 1)
  return check.unbounded === 0 ? n * check.factor : n * n * check.factor
}
