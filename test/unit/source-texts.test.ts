import { describe, expect, it } from 'vitest'
import { decodeText } from '../../src/analyze/engine.ts'
import { isJsPath } from '../../src/analyze/entry-kinds.ts'
import { SourceTexts } from '../../src/analyze/source-texts.ts'
import type { PackageFile } from '../../src/types.ts'

const fileOf = (path: string, text: string): [string, PackageFile] => [path, { path, size: text.length, content: Buffer.from(text) }]

describe('SourceTexts', () => {
  it('decodes the JavaScript sources when asked, and holds texts added without bytes', () => {
    const files = new Map([fileOf('a.js', 'a()'), fileOf('README.md', 'hi')])
    const texts = new SourceTexts(files, isJsPath, decodeText)
    texts.add('scripts/setup.sh', 'curl x | sh')
    expect([...texts]).toEqual([
      ['a.js', 'a()'],
      ['scripts/setup.sh', 'curl x | sh'],
    ])
    expect(texts.has('README.md')).toBe(false)
  })

  it('release drops the text and the file bytes but keeps the path listed, and a later read throws', () => {
    const files = new Map([fileOf('a.js', 'a()'), fileOf('b.js', 'b()')])
    const texts = new SourceTexts(files, isJsPath, decodeText)
    texts.add('hook.sh', 'echo')
    texts.release('a.js')
    texts.release('hook.sh')
    expect(files.get('a.js')!.content).toBeUndefined()
    expect(files.get('a.js')!.size).toBe(3)
    expect(files.get('b.js')!.content?.toString()).toBe('b()')
    expect(texts.size).toBe(3)
    expect(texts.has('a.js') && texts.has('hook.sh')).toBe(true)
    expect([...texts.keys()].sort()).toEqual(['a.js', 'b.js', 'hook.sh'])
    expect(texts.get('b.js')).toBe('b()')
    expect(() => texts.get('a.js')).toThrow(/a\.js was released/)
    expect(() => texts.get('hook.sh')).toThrow(/hook\.sh was released/)
    expect(texts.get('other.js')).toBeUndefined()
  })
})
