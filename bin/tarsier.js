#!/usr/bin/env node
// Node >= 22.18 runs the TypeScript sources directly (type stripping); a published package ships
// the compiled dist/ instead, because Node does not strip types under node_modules.
import { existsSync } from 'node:fs'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`tarsier needs Node.js 22.18 or newer (this is ${process.version}). In a clone of the repository, \`npm run tarsier -- scan …\` uses the Node 24 it installs.\n`)
  process.exit(2)
}
// glibc gives each thread that allocates its own malloc arena and keeps freed memory in them: with
// the analysis' worker threads, zlib and V8's helper threads, four 64 MB arenas stayed resident
// through a large scan. Two arenas lowered the peak RSS of a scan of bench/large-app by about
// 100 MB warm and 240 MB cold, in the same CPU time (BENCHMARKS.md). The variable is read when
// the process starts, so the process replaces itself once with it set (same pid and stdio).
// A value the user set is left alone; other C libraries ignore the variable.
// The same restart fixes glibc's mmap threshold at its default of 128 KiB. Left alone, glibc raises
// it (up to 32 MB) each time a mapped block is freed, after which file contents and buffers of that
// size come from the arenas, where freed memory stays resident between the long-lived blocks of
// the package in analysis. Fixed, they are mapped and given back when freed.
// The same start gives this thread 4 MB semi-spaces instead of V8's 16-32 MB: it mostly passes
// downloads through to the cache, garbage that would otherwise fill a large young generation
// (about 50 MB, and as much again of dead network buffers) before a collection. The workers keep
// the young generation the analysis pool gives them (src/analyze/worker/pool.ts).
const MAIN_SEMI_SPACE = '--max-semi-space-size=4'
if (process.platform === 'linux' && process.env.MALLOC_ARENA_MAX === undefined && typeof process.execve === 'function') {
  try {
    const mmapThreshold = process.env.MALLOC_MMAP_THRESHOLD_ === undefined ? { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) } : {}
    process.execve(process.execPath, [process.execPath, MAIN_SEMI_SPACE, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, MALLOC_ARENA_MAX: '2', ...mmapThreshold })
  } catch {
    // execve(2) failed: the process is unchanged and simply runs with the default arenas.
  }
}
const compiled = new URL('../dist/src/cli/main.js', import.meta.url)
const { main } = await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/main.ts', import.meta.url).href)
process.exitCode = await main(process.argv.slice(2))
