import type { PackageFile } from '../types.ts'

/**
 * A package's source texts by path, decoded from the file bytes each time one is asked for
 * instead of all at once. The engine reads each text two or three times (entry points, import
 * order, analysis); decoding again is cheap, while holding every decoded text of a large package
 * (80 MB of JavaScript in `next`) for the whole analysis was a large part of a worker's memory.
 * Once a file's analysis is done, `release` drops its text and the bytes it was decoded from.
 */
export class SourceTexts implements ReadonlyMap<string, string> {
  readonly #files = new Map<string, PackageFile & { content: Buffer }>()
  /** Texts that have no bytes of their own here (a project's script files read whole). */
  readonly #texts = new Map<string, string>()
  readonly #released = new Set<string>()
  readonly #decode: (content: Buffer) => string

  constructor(files: Iterable<[string, PackageFile]>, include: (path: string) => boolean, decode: (content: Buffer) => string) {
    this.#decode = decode
    for (const [path, file] of files) if (file.content && include(path)) this.#files.set(path, file as PackageFile & { content: Buffer })
  }

  /**
   * Drops the text of `path` and the file's `content` (the PackageFile is the caller's): the path
   * stays listed, and asking for its text afterwards throws rather than pass for an empty file.
   */
  release(path: string): void {
    const file = this.#files.get(path)
    if (file) delete (file as PackageFile).content
    if (file || this.#texts.has(path)) this.#released.add(path)
    this.#files.delete(path)
    this.#texts.delete(path)
  }

  add(path: string, text: string): void {
    if (!this.has(path)) this.#texts.set(path, text)
  }

  get size(): number {
    return this.#files.size + this.#texts.size + this.#released.size
  }

  has(path: string): boolean {
    return this.#files.has(path) || this.#texts.has(path) || this.#released.has(path)
  }

  get(path: string): string | undefined {
    const file = this.#files.get(path)
    if (file) return this.#decode(file.content)
    if (this.#released.has(path)) throw new Error(`the text of ${path} was released after its analysis`)
    return this.#texts.get(path)
  }

  *keys(): MapIterator<string> {
    yield* this.#files.keys()
    yield* this.#texts.keys()
    yield* this.#released.keys()
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
