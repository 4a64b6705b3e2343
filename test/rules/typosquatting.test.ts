import { describe, expect, it } from 'vitest'
import rule from '../../rules/typosquatting.ts'
import { popularNames, withinOneEdit } from '../../src/analyze/popular-names.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

const pkg = (name: string, path?: string[]) => ({ manifest: { name, version: '1.0.0' }, ...(path && { ref: { path } }) })

new RuleTester().run(rule, {
  valid: [
    { name: 'a popular package itself', ...pkg('lodash', ['lodash']) },
    { name: 'another popular package one edit from a popular one', ...pkg('set-proto') },
    { name: 'a name one edit from a popular one in the same scope (only its owner publishes there)', ...pkg('@types/xs') },
    { name: 'a name far from every popular one', ...pkg('my-internal-widget-lib') },
    { name: 'a short name (too dense to judge)', ...pkg('lodas') , ref: { name: 'ab' } },
    { name: 'the root project', ...pkg('expres'), ref: { source: 'root' } },
    { name: 'a git dependency', ...pkg('expres'), ref: { source: 'git' } },
    { name: 'a scoped package named like a popular one under its own scope', ...pkg('@acme/lodash') },
  ],
  invalid: [
    {
      name: 'two letters swapped, direct dependency: medium',
      ...pkg('lodahs', ['lodahs']),
      errors: [{ severity: 'medium', file: 'package.json', message: /^lodahs is not a popular package but its name is close to one: did you mean lodash\? \(one character added, removed, changed or swapped\).*direct dependency/ }],
    },
    { name: 'a letter dropped, transitive: low', ...pkg('expres', ['a', 'expres']), errors: [{ severity: 'low', message: /did you mean express\?/ }] },
    { name: 'a typo in the scope', ...pkg('@typse/node'), errors: [{ message: /did you mean @types\/node\?/ }] },
    { name: 'a letter added', ...pkg('chalkk'), errors: [{ message: /did you mean chalk\?/ }] },
    { name: 'separator changed', ...pkg('cross_spawn'), errors: [{ message: /did you mean cross-spawn\? \(the same name with other separators\)/ }] },
    { name: 'separator removed', ...pkg('crossspawn'), errors: [{ message: /did you mean cross-spawn\?/ }] },
    { name: 'the scope moved into the name', ...pkg('types-node'), errors: [{ message: /did you mean @types\/node\? \(the same name with the scope moved into it\)/ }] },
    { name: 'a js suffix', ...pkg('chalk-js'), errors: [{ message: /did you mean chalk\? \(the name with "js" or "node" added\)/ }] },
    { name: 'a node prefix', ...pkg('node-commander'), errors: [{ message: /did you mean commander\?/ }] },
  ],
})

describe('withinOneEdit', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit', () => {
    expect(withinOneEdit('lodash', 'lodahs')).toBe(true)
    expect(withinOneEdit('lodash', 'lodas')).toBe(true)
    expect(withinOneEdit('lodash', 'lodashh')).toBe(true)
    expect(withinOneEdit('lodash', 'lodask')).toBe(true)
    expect(withinOneEdit('lodash', 'lodash')).toBe(false)
    expect(withinOneEdit('lodash', 'ldoahs')).toBe(false)
    expect(withinOneEdit('lodash', 'lodashes')).toBe(false)
    expect(withinOneEdit('abcd', 'badc')).toBe(false)
  })

  it('never calls a name of the popularity list a near miss', () => {
    expect(popularNames.isPopular('object.assign')).toBe(true)
    expect(popularNames.nearMiss('object.assign')).toBeUndefined()
    expect(popularNames.nearMiss('object_assign')?.popular).toBe('object-assign')
  })
})
