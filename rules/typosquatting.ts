import { popularNames } from '../src/analyze/popular-names.ts'
import { defineRule } from '../src/types.ts'

const HOW: Record<string, string> = {
  'one edit': 'one character added, removed, changed or swapped',
  separators: 'the same name with other separators',
  'scope flattened': 'the same name with the scope moved into it',
  'js/node affix': 'the name with "js" or "node" added',
}

/**
 * A registry dependency whose name is a near-miss of a popular package's (GuardDog
 * `typosquatting`, NodeSecure `typo-squatting`, Socket `didYouMean`). A name alone is not a
 * verdict: many similar names are honest, so this is context for a reviewer.
 */
export default defineRule({
  meta: {
    id: 'typosquatting',
    severity: 'low',
    description: 'A dependency named like a popular package with a typo, other separators or an added js/node',
    docs: 'rules/typosquatting.md',
  },
  create(context) {
    return {
      manifest() {
        const { ref } = context.pkg
        if (ref.source !== 'registry' || typeof ref.name !== 'string') return
        const miss = popularNames.nearMiss(ref.name)
        if (!miss) return
        // What the user typed is where a typo comes from: a direct dependency is the likely place.
        const direct = ref.path?.length === 1
        context.report({
          severity: direct ? 'medium' : 'low',
          ...(context.pkg.manifest && { file: 'package.json' }),
          message: `${ref.name} is not a popular package but its name is close to one: did you mean ${miss.popular}? (${HOW[miss.how] ?? miss.how}). Typosquats take names like this; check that ${ref.name} is the package you meant${direct ? ' (it is a direct dependency)' : ''}.`,
        })
      },
    }
  },
})
