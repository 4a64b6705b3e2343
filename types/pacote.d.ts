// The narrow surface of pacote 22 that Tarsier uses (the DefinitelyTyped types are for v11).
declare module 'pacote' {
  import type { Readable } from 'node:stream'
  interface Pacote {
    tarball: {
      stream<T>(spec: string, handler: (stream: Readable) => Promise<T>, options?: Record<string, unknown>): Promise<T>
    }
    manifest(spec: string, options?: Record<string, unknown>): Promise<Record<string, unknown> & { version: string; name: string; _resolved: string; _integrity: string }>
    packument(spec: string, options?: Record<string, unknown>): Promise<Record<string, unknown>>
  }
  const pacote: Pacote
  export default pacote
}
