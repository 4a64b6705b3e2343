// Runs NodeSecure's scanner (`workingDir`) on one project, in its own process so that
// `npm run bench` measures its wall time and peak RSS the way it measures Tarsier's.
//   node scripts/bench/nodesecure-runner.ts <scanner-entry-file> <project-dir> <summary.json>
// The scanner's module is passed as a file path (resolved by the parent), so this file needs no
// type information from a package that is installed apart from the project (bench/nodesecure).
import { writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { summarizeNodeSecurePayload } from './nodesecure-summary.ts'

const [entry, projectDir, summaryFile] = process.argv.slice(2)
if (!entry || !projectDir || !summaryFile) {
  process.stderr.write('usage: nodesecure-runner.ts <scanner-entry-file> <project-dir> <summary.json>\n')
  process.exit(2)
}

interface NodeSecureScanner {
  workingDir(location: string, options: Record<string, unknown>): Promise<unknown>
}

const started = performance.now()
const scanner = (await import(pathToFileURL(entry).href)) as NodeSecureScanner
const payload = await scanner.workingDir(projectDir, {
  // The lockfile, read by arborist's loadVirtual (there is no node_modules in the project).
  packageLock: { location: projectDir },
  // Tarsier scans dev dependencies too.
  includeDevDeps: true,
  maxConcurrency: 8,
  vulnerabilityStrategy: 'none',
})
const durationMs = performance.now() - started
await writeFile(summaryFile, `${JSON.stringify({ durationMs, ...summarizeNodeSecurePayload(payload) }, null, 2)}\n`)
