import { describe, expect, it } from 'vitest'
import { hasRun } from '../../src/analyze/text-runs.ts'

const isX = (c: number) => c === 0x78 // x

/** The obvious definition, to compare with. */
function longestRun(text: string): number {
  let best = 0
  let run = 0
  for (const ch of text) {
    run = ch === 'x' ? run + 1 : 0
    best = Math.max(best, run)
  }
  return best
}

describe('hasRun', () => {
  it('finds a run of exactly the length wherever it starts', () => {
    for (const length of [1, 2, 3, 7, 8, 150, 256]) {
      for (let at = 0; at < 2 * length + 3; at++) {
        const text = 'a'.repeat(at) + 'x'.repeat(length) + 'a'.repeat(5)
        expect(hasRun(text, length, isX), `length ${length} at ${at}`).toBe(true)
        expect(hasRun(text, length + 1, isX), `length ${length + 1} at ${at}`).toBe(false)
      }
    }
  })

  it('agrees with a plain scan on mixed texts', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let n = 0; n < 300; n++) {
      let text = ''
      while (text.length < 400) text += random() < 0.5 ? 'x'.repeat(Math.floor(random() * 40)) : 'ab'.repeat(Math.floor(random() * 5) + 1)
      const longest = longestRun(text)
      for (const length of [longest, longest + 1, 16, 33]) {
        if (length < 1) continue
        expect(hasRun(text, length, isX)).toBe(longest >= length)
      }
    }
  })

  it('is false on an empty text', () => {
    expect(hasRun('', 1, isX)).toBe(false)
  })
})
