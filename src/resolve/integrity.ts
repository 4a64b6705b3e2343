/**
 * How two Subresource Integrity strings (`sha512-… sha1-…`) relate: `same` when they share a digest,
 * `different` when they hash with a common algorithm and never agree, `unknown` when they have no
 * algorithm in common (an old `sha1` entry beside a `sha512` one says nothing either way).
 */
export function compareIntegrity(a: string, b: string): 'same' | 'different' | 'unknown' {
  const left = digests(a)
  const right = digests(b)
  let common = false
  for (const [algorithm, values] of left) {
    const other = right.get(algorithm)
    if (!other) continue
    common = true
    for (const value of values) if (other.has(value)) return 'same'
  }
  return common ? 'different' : 'unknown'
}

function digests(sri: string): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>()
  for (const token of sri.trim().split(/\s+/)) {
    const dash = token.indexOf('-')
    if (dash <= 0) continue
    const algorithm = token.slice(0, dash).toLowerCase()
    // Options after `?` are not part of the digest.
    const value = token.slice(dash + 1).split('?')[0]!
    const set = map.get(algorithm) ?? new Set<string>()
    set.add(value)
    map.set(algorithm, set)
  }
  return map
}
