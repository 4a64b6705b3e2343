import type * as t from '@babel/types'
import { defineRule, type Severity } from '../src/types.ts'
import { walk } from '../src/analyze/walk.ts'

/**
 * Cyrillic, Greek and Armenian letters that look like Latin ones (Unicode confusables), mapped to
 * the Latin letter they imitate.
 */
const CONFUSABLE: Readonly<Record<string, string>> = {
  а: 'a', в: 'B', е: 'e', к: 'k', м: 'M', н: 'H', о: 'o', р: 'p', с: 'c', т: 'T', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', Ѕ: 'S', І: 'I', Ј: 'J',
  α: 'a', ο: 'o', ν: 'v', ρ: 'p', τ: 't', υ: 'u', ι: 'i', κ: 'k', χ: 'x',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  օ: 'o', ս: 'u', հ: 'h', ց: 'g', ք: 'q',
}

/** Names whose look-alike is an attack on the reader: module loading, evaluation, the process. */
const SENSITIVE = new Set(['require', 'module', 'exports', 'process', 'eval', 'Function', 'global', 'globalThis', 'console', 'Buffer', 'fetch', 'atob', 'exec', 'execSync', 'spawn', 'child_process', 'window', 'document'])

const LATIN = /[A-Za-z]/
const NON_LATIN_LETTER = /[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\u0530-\u058f]/

/** The identifier as it reads: each confusable letter replaced by the Latin one it imitates. */
export function skeleton(name: string): string {
  let out = ''
  for (const ch of name) out += CONFUSABLE[ch] ?? ch
  return out
}

/**
 * Identifiers written with letters that only look Latin: `rеquire` with a Cyrillic `е` is another
 * variable than `require`, so code can read as harmless while it calls something else (Socket
 * `homoglyphs`, GuardDog `-obfuscation-unicode`). Reported when the look-alike imitates a name of
 * the same file or a sensitive global, or mixes Latin with Cyrillic in one identifier.
 */
export default defineRule({
  meta: {
    id: 'homoglyph-identifier',
    severity: 'medium',
    description: 'An identifier written with look-alike letters from another script, posing as another name',
    docs: 'rules/homoglyph-identifier.md',
  },
  create(context) {
    let suspects = new Map<string, t.Identifier>()
    // A file written in ASCII alone, without `\u` escapes, has no look-alike letters to look for.
    let asciiFile = true
    return {
      text(ctx) {
        asciiFile = !/[^\x00-\x7f]|\\u/.test(ctx.file?.text ?? '')
      },
      Identifier(node) {
        if (asciiFile) return
        const name = node.name
        if (ASCII.test(name)) return
        if (!suspects.has(name) && suspects.size < 100) suspects.set(name, node)
      },
      'Program:exit'(program) {
        if (suspects.size === 0) return
        // The file's ASCII names, gathered only for the rare file with a suspect.
        const ascii = asciiNames(program)
        for (const [name, node] of suspects) {
          const looksLike = skeleton(name)
          const imitates = looksLike !== name && /^[\x00-\x7f]+$/.test(looksLike) && (SENSITIVE.has(looksLike) || ascii.has(looksLike))
          const mixed = LATIN.test(name) && /[\u0400-\u052f]/.test(name)
          if (!imitates && !mixed) continue
          const severity: Severity = imitates && SENSITIVE.has(looksLike) ? 'high' : 'medium'
          context.report({
            node,
            severity,
            message: imitates
              ? `The identifier "${name}" reads as "${looksLike}" but is written with ${describeScripts(name)} letters: it is another name than ${ascii.has(looksLike) ? `the "${looksLike}" used in this file` : `the global "${looksLike}"`}, so the code does not do what it reads as.`
              : `The identifier "${name}" mixes Latin with Cyrillic letters that look Latin ("${looksLike}"): a name made to be misread.`,
          })
        }
        suspects = new Map()
      },
    }
  },
})

const ASCII = /^[\x00-\x7f]*$/

function asciiNames(program: t.Program): Set<string> {
  const names = new Set<string>()
  walk(program, {
    enter(node) {
      if (node.type === 'Identifier' && ASCII.test(node.name)) names.add(node.name)
    },
  })
  return names
}

function describeScripts(name: string): string {
  const scripts = new Set<string>()
  for (const ch of name) {
    if (!NON_LATIN_LETTER.test(ch)) continue
    const cp = ch.codePointAt(0)!
    scripts.add(cp < 0x400 ? 'Greek' : cp < 0x530 ? 'Cyrillic' : 'Armenian')
  }
  return [...scripts].join(' and ')
}
