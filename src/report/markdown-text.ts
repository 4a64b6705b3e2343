/**
 * Markdown for GitHub (PR comments, job summaries) from strings a package author controls: names,
 * file paths, messages that quote code. Nothing may turn into HTML, a link, an image, a mention,
 * an issue reference, or break out of its code span, table cell or fence.
 */

/** Control, zero-width and bidirectional characters, shown as `\u{…}` so they cannot hide or reorder text. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]/g

export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`)
}

/** Plain inline text: entities for HTML, backslashes for Markdown, and no mention, reference or autolink. */
export function mdText(text: string): string {
  return showInvisible(text)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/([@#])/g, '$1\u2060')
    .replace(/:\/\//g, ':\u2060//')
    .replace(/\bwww\\?\./gi, (m) => `${m.slice(0, 3)}\u2060${m.slice(3)}`)
}

/** Text inside an HTML element (a `<summary>`), where Markdown is not interpreted. */
export function htmlText(text: string): string {
  return showInvisible(text)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/([@#])/g, '$1\u2060')
    .replace(/:\/\//g, ':\u2060//')
}

/** An inline code span, one line, safe inside a table cell too. */
export function mdCode(text: string, maxChars = 200): string {
  let content = showInvisible(text).replace(/\r?\n|\r/g, ' ')
  if (content.length > maxChars) content = `${content.slice(0, maxChars - 1)}…`
  content = content.replace(/\|/g, '\\|')
  const fence = '`'.repeat(longestRun(content, '`') + 1)
  const pad = content.startsWith('`') || content.endsWith('`') || content === '' ? ' ' : ''
  return `${fence}${pad}${content}${pad}${fence}`
}

/** A fenced code block, indented for a list item; its fence is longer than any backtick run inside. */
export function mdBlock(text: string, indent = '', maxChars = 400): string {
  let content = showInvisible(text.replace(/\r\n?/g, '\n'))
  if (content.length > maxChars) content = `${content.slice(0, maxChars - 1)}…`
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1))
  return [fence, ...content.split('\n'), fence].map((line) => `${indent}${line}`).join('\n')
}

function longestRun(text: string, char: string): number {
  let longest = 0
  let run = 0
  for (const c of text) {
    run = c === char ? run + 1 : 0
    if (run > longest) longest = run
  }
  return longest
}
