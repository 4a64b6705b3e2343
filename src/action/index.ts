/**
 * Entry point of the bundled GitHub Action (dist/action/index.js, built by scripts/build-action.ts).
 * The bundle is also the script of its analysis worker threads: there it starts piscina's worker
 * loop, which imports this same file and calls its default export, the package analysis.
 */
import { isMainThread } from 'node:worker_threads'
import { run } from './main.ts'

export { default } from '../analyze/worker/analysis-worker.ts'

if (isMainThread) void run()
else void import('tarsier:piscina-worker')
