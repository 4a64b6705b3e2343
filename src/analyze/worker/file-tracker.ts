/**
 * A small shared-memory record of the file a worker is analysing, so that the main thread can
 * tell which file overran its budget even when the worker is stuck in a loop or out of memory.
 * Layout: Int32 [generation, byteLength], then the path as UTF-8.
 */
const HEADER_BYTES = 8
const MAX_PATH_BYTES = 4096

export function createTracker(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + MAX_PATH_BYTES)
}

export function markFile(tracker: SharedArrayBuffer, path: string): void {
  const header = new Int32Array(tracker, 0, 2)
  const bytes = Buffer.from(path, 'utf8').subarray(0, MAX_PATH_BYTES)
  new Uint8Array(tracker, HEADER_BYTES, MAX_PATH_BYTES).set(bytes)
  Atomics.store(header, 1, bytes.length)
  Atomics.add(header, 0, 1)
}

/** The generation counter (changes whenever a new file starts) and the current path. */
export function readTracker(tracker: SharedArrayBuffer): { generation: number; path: string } {
  const header = new Int32Array(tracker, 0, 2)
  const generation = Atomics.load(header, 0)
  const length = Atomics.load(header, 1)
  const path = Buffer.from(new Uint8Array(tracker, HEADER_BYTES, length)).toString('utf8')
  return { generation, path }
}
