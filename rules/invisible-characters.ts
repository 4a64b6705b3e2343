import type * as t from '@babel/types'
import { whenRuns } from '../src/analyze/sinks.ts'
import { hasRun } from '../src/analyze/text-runs.ts'
import { defineRule, type Severity } from '../src/types.ts'

/** Consecutive invisible code points from which a run counts as hidden data (emoji sequences stay far below). */
export const PAYLOAD_RUN = 16
/** Blanks between code and more code on the same line, pushing the second part off screen. */
export const HIDING_GAP = 150
const NON_ASCII = /[^\x00-\x7f]/
/** Characters that render as nothing and are valid inside identifiers. */
const INVISIBLE_IN_NAME = /[\u115f\u1160\u180e\u200b-\u200d\u2060\u3164\ufeff\uffa0]/u
const DYNAMIC_CODE = /\b(?:eval|Function)\s*\(|\brunIn(?:New|This)?Context\b/
const CODE_POINT_DECODING = /codePointAt|charCodeAt/

/** Whether a code point renders as nothing: zero-width characters, fillers, variation selectors, tag characters. */
export function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0x180e || cp === 0x034f ||
    cp === 0x3164 || cp === 0xffa0 || cp === 0x115f || cp === 0x1160 || cp === 0x17b4 || cp === 0x17b5 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0000 && cp <= 0xe007f) || (cp >= 0xe0100 && cp <= 0xe01ef)
  )
}

function isBlank(cp: number): boolean {
  return cp === 0x20 || cp === 0x09
}

function isBidiControl(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
}

export interface InvisibleScan {
  /** Longest run of invisible code points, and the offset where it starts. */
  longestRun: number
  longestRunAt: number
  invisible: number
  bidi: number
  bidiAt: number
  /** Offsets right after a long run of blanks that follows code on the same line. */
  gaps: number[]
}

/** One linear pass over a file's text. */
export function scanInvisible(text: string): InvisibleScan {
  const scan: InvisibleScan = { longestRun: 0, longestRunAt: -1, invisible: 0, bidi: 0, bidiAt: -1, gaps: [] }
  // Everything this scan looks for is outside ASCII or follows a long blank run: most files have
  // neither, and a regular expression says so far faster than the loop below.
  if (!NON_ASCII.test(text) && !hasRun(text, HIDING_GAP, isBlank)) return scan
  let run = 0
  let runAt = 0
  let blanks = 0
  let codeBefore = false
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i)
    const start = i
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1)
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000
        i++
      }
    }
    if (isInvisible(cp) && !(cp === 0xfeff && start === 0)) {
      if (run === 0) runAt = start
      run++
      scan.invisible++
      if (run > scan.longestRun) {
        scan.longestRun = run
        scan.longestRunAt = runAt
      }
    } else {
      run = 0
    }
    if (cp === 0x20 || cp === 0x09) {
      blanks++
      continue
    }
    if (cp === 0x0a || cp === 0x0d) {
      blanks = 0
      codeBefore = false
      continue
    }
    if (blanks >= HIDING_GAP && codeBefore && scan.gaps.length < 100) scan.gaps.push(start)
    blanks = 0
    codeBefore = true
    if (isBidiControl(cp)) {
      if (scan.bidi === 0) scan.bidiAt = start
      scan.bidi++
    }
  }
  return scan
}

function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}

/**
 * Characters that hide code or data from a human reader: long runs of invisible code points
 * (variation selectors, Unicode tag characters, zero-width characters, Hangul fillers) that carry
 * an encoded payload, as in GlassWorm; invisible characters inside identifiers (a variable that
 * looks like nothing, the "invisible backdoor"); Trojan Source bidirectional controls; and code
 * pushed past the right edge of the screen after a long run of blanks.
 */
export default defineRule({
  meta: {
    id: 'invisible-characters',
    severity: 'high',
    description: 'Invisible Unicode payloads, invisible identifiers, bidirectional controls and code hidden after long blank runs',
    docs: 'rules/invisible-characters.md',
  },
  create(context) {
    let gaps = new Set<number>()
    let checkNames = false
    let reportedNames = new Set<string>()

    const lower = (severity: Severity, other: boolean): Severity => (other ? (severity === 'critical' ? 'high' : severity === 'high' ? 'medium' : 'low') : severity)

    const statement = (node: t.Statement, ctx: import('../src/types.ts').RuleContext) => {
      if (gaps.size === 0 || node.start == null || !gaps.has(node.start)) return
      gaps.delete(node.start)
      const file = ctx.file!
      context.report({
        node,
        severity: lower('high', file.entryKind === 'other'),
        message: `Code hidden after ${HIDING_GAP}+ blanks on the same line, past the right edge of an editor window.${whenRuns(file)}`,
      })
    }

    return {
      text(ctx) {
        const file = ctx.file
        if (!file) return
        const text = file.text
        const scan = scanInvisible(text)
        gaps = new Set(file.ast ? scan.gaps : [])
        checkNames = scan.invisible > 0 && !!file.ast
        reportedNames = new Set()
        const other = file.entryKind === 'other'
        if (scan.longestRun >= PAYLOAD_RUN) {
          const decodes = DYNAMIC_CODE.test(text) && CODE_POINT_DECODING.test(text)
          context.report({
            line: lineOf(text, scan.longestRunAt),
            severity: lower(decodes ? 'critical' : 'high', other),
            message: `${scan.longestRun} consecutive invisible characters (variation selectors, tag characters or zero-width characters; ${scan.invisible} in the file) carry data that no one reading the code can see${decodes ? ', and the file decodes code points and runs code with eval/Function' : ''}.${whenRuns(file)}`,
          })
        }
        if (scan.bidi > 0) {
          context.report({
            line: lineOf(text, scan.bidiAt),
            severity: other ? 'low' : 'medium',
            message: `${scan.bidi} bidirectional control character${scan.bidi === 1 ? '' : 's'} (U+202A–202E, U+2066–2069) can make code read differently from how it runs (Trojan Source).`,
          })
        }
      },
      Identifier(node, ctx) {
        if (!checkNames || reportedNames.has(node.name) || !INVISIBLE_IN_NAME.test(node.name)) return
        reportedNames.add(node.name)
        const file = ctx.file!
        const visible = node.name.replace(/[\u115f\u1160\u180e\u200b-\u200d\u2060\u3164\ufeff\uffa0]/gu, '')
        context.report({
          node,
          severity: lower('high', file.entryKind === 'other'),
          message: `The identifier ${visible ? `"${visible}" contains` : 'is made of'} invisible characters (${[...node.name].filter((c) => INVISIBLE_IN_NAME.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).slice(0, 3).join(', ')}): a variable a reader cannot see or tell apart.${whenRuns(file)}`,
        })
      },
      ExpressionStatement: statement,
      VariableDeclaration: statement,
      IfStatement: statement,
      FunctionDeclaration: statement,
      ReturnStatement: statement,
      TryStatement: statement,
      ForStatement: statement,
      WhileStatement: statement,
      ThrowStatement: statement,
    }
  },
})
