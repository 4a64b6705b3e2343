import { describe, expect, it } from 'vitest'
import { checkRegExp, regExpCost } from '../../src/analyze/safe-regexp.ts'

describe('checkRegExp', () => {
  it.each([
    ['..', 1, 0],
    ['.{1,2}', 3, 0],
    ['[^A-Za-z0-9+/=]', 1, 0],
    ['=+$', 1, 1],
    ['(?:ab)+', 1, 1],
    ['^(\\d{1,3})\\.(\\d{1,3})$', 16, 0],
    ['<!--([\\s\\S]*?)-->', 1, 1],
    ['a|b|c', 1, 0],
  ])('accepts /%s/ with factor %i and %i unbounded quantifiers', (pattern, factor, unbounded) => {
    expect(checkRegExp(pattern, 'g')).toEqual({ factor, unbounded })
  })

  it.each([
    ['(a+)+$'],
    ['(a|aa)*'],
    ['(.*a){2}'],
    ['a*a*b'],
    ['\\w+ *\\(\\) *{'],
    ['(a)\\1'],
    ['(?<x>a)\\k<x>'],
    ['(((.+)+)+)+$'],
    ['x'.repeat(300)],
    ['(unclosed'],
    ['a{1,100}b{1,100}c{1,100}'],
  ])('refuses /%s/', (pattern) => {
    expect(checkRegExp(pattern, '')).toBeUndefined()
  })

  it('refuses unknown flags', () => {
    expect(checkRegExp('a', 'v')).toBeUndefined()
  })

  it('models the worst-case cost', () => {
    expect(regExpCost({ factor: 3, unbounded: 0 }, 1000)).toBe(3000)
    expect(regExpCost({ factor: 1, unbounded: 1 }, 1000)).toBe(1_000_000)
  })

  it('checks a 100 KB adversarial pattern quickly', () => {
    const start = performance.now()
    expect(checkRegExp('('.repeat(50_000) + ')'.repeat(50_000), '')).toBeUndefined()
    expect(checkRegExp('[' + 'a'.repeat(100_000), '')).toBeUndefined()
    expect(performance.now() - start).toBeLessThan(500)
  })
})
