import { describe, expect, it } from 'vitest'
import { COMMENT_MAX_CHARS, formatMarkdown } from '../../../src/report/markdown.ts'
import { mdBlock, mdCode, mdText } from '../../../src/report/markdown-text.ts'
import type { Finding } from '../../../src/types.ts'
import { diffReport, pkg } from './sample-report.ts'

const LOCKFILE = '/repo/package-lock.json'

function finding(overrides: Partial<Finding> = {}): Finding {
  return { ruleId: 'env-exfiltration', severity: 'critical', message: 'The whole process.env is sent in a network request', file: 'lib/steal.js', line: 3, column: 5, snippet: 'req.end(JSON.stringify(process.env))', entryKind: 'install', ...overrides }
}

describe('Markdown report', () => {
  it('has a table of the changed packages with their verdicts, then the evidence of each finding', () => {
    const report = diffReport(LOCKFILE, [
      pkg('evil-helper', '1.0.1', [finding()], { lockfileLine: 120, change: { kind: 'added', name: 'evil-helper', version: '1.0.1', location: 'node_modules/evil-helper' }, path: ['toolkit', 'evil-helper'] }),
      pkg('left-pad', '1.3.0', [], { change: { kind: 'version-changed', name: 'left-pad', version: '1.3.0', previousVersions: ['1.2.0'], location: 'node_modules/left-pad' } }),
    ])
    report.diff!.changes.push({ kind: 'removed', name: 'old-dep', version: '0.1.0', location: 'node_modules/old-dep' })
    const md = formatMarkdown(report, { displayRoot: '/repo' })
    expect(md).toMatch(/^## Tarsier: 1 malicious in 2 added or changed packages\n/)
    expect(md).toContain('| Package | Change | Verdict | Findings |')
    expect(md).toContain('| `evil-helper@1.0.1` | added | 🔴 **malicious** | 1 critical |')
    expect(md).toContain('| `left-pad@1.3.0` | version changed from `1.2.0` | 🟢 clean | — |')
    expect(md).toContain('| `old-dep@0.1.0` | removed | — | not scanned |')
    expect(md).toContain('Compared with `main (0123456789ab)`: 1 added, 1 version changed, 1 removed.')
    const evidence = md.slice(md.indexOf('### Evidence'))
    expect(evidence).toContain('#### `evil-helper@1.0.1` — 🔴 **malicious**')
    expect(evidence).toContain('lockfile line 120 of `package-lock.json`')
    expect(evidence).toContain('brought in by `toolkit`')
    expect(evidence).toContain('- **critical** · `env-exfiltration` · `lib/steal.js:3:5` · runs at install time')
    expect(evidence).toContain('  ```\n  req.end(JSON.stringify(process.env))\n  ```')
    expect(md.indexOf('left-pad')).toBeGreaterThan(md.indexOf('evil-helper'))
  })

  it('shows suppressed findings with their reasons, packages not scanned, and warnings', () => {
    const report = diffReport(LOCKFILE, [
      pkg('esbuild', '0.28.2', [], { suppressed: [{ ...finding({ ruleId: 'install-script', severity: 'medium' }), suppression: { reason: 'installs its platform binary; reviewed', expires: '2027-01-31' } }] }),
      pkg('gone', '1.0.0', [], { status: 'failed', error: 'E404 not found' }),
    ])
    report.config = { path: 'tarsier.config.json', readFrom: 'main (0123456789ab)', rules: {}, suppressions: { applied: 1, expired: 0, unused: 0 } }
    report.warnings.push('suppression of shady-links for x@1.0.0 in tarsier.config.json matched no finding')
    const md = formatMarkdown(report)
    expect(md).toContain('<details><summary>1 suppressed findings by tarsier.config.json (read from main (0123456789ab))</summary>')
    expect(md).toContain('- `install-script` in `esbuild@0.28.2`: installs its platform binary; reviewed (until 2027\\-01\\-31)')
    expect(md).toContain('### Not scanned (1)\n\n- `gone@1.0.0`: E404 not found')
    expect(md).toContain('### Warnings\n\n- suppression of shady\\-links')
    expect(md).toContain('the result is incomplete')
  })

  it('turns nothing a package wrote into HTML, links, images, mentions or broken fences', () => {
    const hostile = finding({
      message: 'posts to <img src=https://evil.example/p.png> [click](https://evil.example) @octocat #1 www.evil.example',
      snippet: '```\n</details>\n@octocat',
      file: 'a|b`c.js',
    })
    const md = formatMarkdown(diffReport(LOCKFILE, [pkg('x|`y', '1.0.0', [hostile])]))
    expect(md).not.toContain('<img')
    expect(md).not.toContain('](https://evil')
    // Outside code (where GitHub makes no mentions), @ is followed by a word joiner.
    expect(md.replace(/````[\s\S]*?````/g, '')).not.toMatch(/@octocat/)
    expect(md).toContain('&lt;img src=https:\u2060//evil\\.example/p\\.png&gt;')
    expect(md).toContain('@\u2060octocat')
    expect(md).toContain('www\u2060\\.evil')
    // The snippet's own fence cannot close the block: the block's fence is longer.
    expect(md).toContain('  ````\n  ```\n  </details>\n  @octocat\n  ````')
    // A pipe inside a table cell is escaped; a backtick lengthens the code span's fence.
    expect(md).toContain('| ``x\\|`y@1.0.0`` |')
  })

  it('shows invisible and bidirectional characters instead of letting them hide text', () => {
    expect(mdText('a\u202Eb\u200Bc')).toBe('a\\\\u\\{202E\\}b\\\\u\\{200B\\}c')
    expect(mdCode('if (isAdmin\u202E) {')).toBe('`if (isAdmin\\u{202E}) {`')
    expect(mdBlock('x\u2066y')).toBe('```\nx\\u{2066}y\n```')
  })

  it('stays within the comment size limit, cutting evidence with a note', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      pkg(`pkg-${i}`, '1.0.0', Array.from({ length: 5 }, (_, j) => finding({ line: j + 1, snippet: `${'x'.repeat(300)} ${i}/${j}` })), { change: { kind: 'added', name: `pkg-${i}`, version: '1.0.0', location: `node_modules/pkg-${i}` } }),
    )
    const md = formatMarkdown(diffReport(LOCKFILE, many), { maxChars: COMMENT_MAX_CHARS, fullReportHint: 'the job summary' })
    expect(md.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
    expect(md).toMatch(/Evidence of \d+ findings in \d+ packages is left out to stay within GitHub's size limit: see the job summary\./)
    expect(md).toContain('_…and 100 more packages')
    expect(md.trimEnd().endsWith('</sub>')).toBe(true)
  })

  it('a full scan without findings says so', () => {
    const report = diffReport(LOCKFILE, [pkg('a', '1.0.0', []), pkg('b', '2.0.0', [])])
    delete report.diff
    const md = formatMarkdown(report)
    expect(md).toContain('## Tarsier: no malicious or suspicious package in 2 packages')
    expect(md).toContain('No findings in 2 scanned packages.')
    expect(md).not.toContain('| Package |')
  })
})
