import { rules } from '../../../rules/index.ts'
import { readPackageSource } from '../../fetch/package-source.ts'
import { analyzePackage } from '../engine.ts'
import { markFile } from './file-tracker.ts'
import type { AnalysisOutcome, AnalysisTask } from './task.ts'

/** Runs in a worker thread: unpack one package in memory and run every rule over it. */
export default async function analyze(task: AnalysisTask): Promise<AnalysisOutcome> {
  const contents = await readPackageSource(task.source, task.limits)
  const analysis = analyzePackage(
    {
      ref: task.ref,
      files: contents?.files ?? new Map(),
      ...(contents && { anomalies: contents.anomalies }),
      ...((task.source.kind === 'none' || task.source.kind === 'tarball-bytes') && task.source.fetchFailure && { fetchFailure: task.source.fetchFailure }),
      skipFiles: new Map(task.skipFiles),
      onFileStart: (path) => markFile(task.tracker, path),
    },
    rules,
  )
  markFile(task.tracker, '')
  const manifest = analysis.manifest
  return {
    findings: analysis.findings,
    errors: analysis.errors,
    jsFiles: analysis.jsFiles,
    files: contents?.files.size ?? 0,
    bytes: contents?.unpackedBytes ?? 0,
    ...(manifest && {
      manifest: {
        ...(typeof manifest.name === 'string' && { name: manifest.name }),
        ...(typeof manifest.version === 'string' && { version: manifest.version }),
      },
    }),
  }
}
