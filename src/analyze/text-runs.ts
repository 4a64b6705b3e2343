/**
 * Whether `text` holds `length` consecutive characters that `member` accepts. It looks at every
 * `length / 2`-th character and measures the run around each one that is a member: a run of
 * `length` characters always contains one of those, so no run is missed, and a file without long
 * runs costs a fraction of a pass (a shorter run holds at most two sampled characters, so it is
 * measured at most twice). (A regular expression such as `/[…]{256}/` backtracks from
 * every short run and was slower than a plain loop on minified code.)
 */
export function hasRun(text: string, length: number, member: (code: number) => boolean): boolean {
  const step = Math.max(1, length >> 1)
  for (let i = step - 1; i < text.length; i += step) {
    if (!member(text.charCodeAt(i))) continue
    let start = i
    while (start > 0 && member(text.charCodeAt(start - 1))) start--
    let end = i + 1
    while (end < text.length && member(text.charCodeAt(end))) end++
    if (end - start >= length) return true
  }
  return false
}
