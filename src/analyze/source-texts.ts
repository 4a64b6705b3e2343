import type { PackageFile } from '../types.ts'

/**
 * A package's source texts by path, decoded from the file bytes each time one is asked for
 * instead of all at once. The engine reads each text two or three times (entry points, import
 * order, analysis); decoding again is cheap, while holding every decoded text of a large package
 * (80 MB of JavaScript in `next`) for the whole analysis was a large part of a worker's memory.
 */
export class SourceTexts implements ReadonlyMap<string, string> {
  readonly #files = new Map<string, Buffer>()
  /** Texts that have no bytes of their own here (a project's script files read whole). */
  readonly #texts = new Map<string, string>()
  readonly #decode: (content: Buffer) => string

  constructor(files: Iterable<[string, PackageFile]>, include: (path: string) => boolean, decode: (content: Buffer) => string) {
    this.#decode = decode
    for (const [path, file] of files) if (file.content && include(path)) this.#files.set(path, file.content)
  }

  add(path: string, text: string): void {
    if (!this.has(path)) this.#texts.set(path, text)
  }

  get size(): number {
    return this.#files.size + this.#texts.size
  }

  has(path: string): boolean {
    return this.#files.has(path) || this.#texts.has(path)
  }

  get(path: string): string | undefined {
    const content = this.#files.get(path)
    return content ? this.#decode(content) : this.#texts.get(path)
  }

  *keys(): MapIterator<string> {
    yield* this.#files.keys()
    yield* this.#texts.keys()
  }

  *values(): MapIterator<string> {
    for (const path of this.keys()) yield this.get(path)!
  }

  *entries(): MapIterator<[string, string]> {
    for (const path of this.keys()) yield [path, this.get(path)!]
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries()
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [path, text] of this.entries()) callback(text, path, this)
  }
}
