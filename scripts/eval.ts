// `npm run eval`: measures Tarsier on the real malicious samples and the top-1000 npm packages of
// ../shared/eval, beside js-x-ray, and writes EVALUATION.md and evaluation.json. Issue 4.
// The malicious tarballs are only ever read (by the scanner, in memory, or extracted into a
// temporary directory as data); nothing from them is installed, imported or run.
import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, InvalidArgumentError } from 'commander'
import pLimit from 'p-limit'
import { defaultCacheDir } from '../src/fetch/cache-dir.ts'
import { assertCorpus, CorpusError, loadMaliciousManifest, loadNameList } from './eval/corpus.ts'
import { jsxrayRegistryPackage, jsxrayTarballFile } from './eval/jsxray-side.ts'
import { benignMetrics, maliciousMetrics, type BenignResult, type SampleResult } from './eval/metrics.ts'
import { Progress } from './eval/progress.ts'
import { evaluationJson, evaluationMarkdown, seconds, summaryTable, type EvaluationRun } from './eval/report.ts'
import { ruleSetVersion } from './eval/ruleset.ts'
import { resolveLatest, scanRegistryPackage, scanSample } from './eval/tarsier-side.ts'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

interface EvalFlags {
  evalDir: string
  benignList?: string
  limit?: number
  skipBenign: boolean
  skipMalicious: boolean
  cache?: string
  concurrency: number
  outDir: string
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer')
  return n
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run eval --')
    .description('Detection and false-positive rates of Tarsier on ../shared/eval, beside js-x-ray')
    .option('--eval-dir <dir>', 'evaluation corpus (malicious/manifest.tsv, benign-top1000.txt)', resolve(REPO_ROOT, '../shared/eval'))
    .option('--benign-list <file>', 'package names to measure false positives on (default: <eval-dir>/benign-top1000.txt)')
    .option('--limit <n>', 'only the first N malicious samples and N benign packages (quick runs)', positiveInt)
    .option('--skip-benign', 'skip the benign side', false)
    .option('--skip-malicious', 'skip the malicious side', false)
    .option('--cache <dir>', 'tarball cache (default: the scanner\'s default cache)')
    .option('--concurrency <n>', 'packages processed at once', positiveInt, 8)
    .option('--out-dir <dir>', 'where EVALUATION.md and evaluation.json are written', REPO_ROOT)
    .parse(argv, { from: 'user' })
  const flags = program.opts<EvalFlags>()
  if (flags.skipBenign && flags.skipMalicious) {
    process.stderr.write('Nothing to do: both --skip-benign and --skip-malicious were given.\n')
    return 2
  }
  const evalDir = resolve(flags.evalDir)
  const benignList = flags.skipBenign ? undefined : resolve(flags.benignList ?? join(evalDir, 'benign-top1000.txt'))
  try {
    assertCorpus(evalDir, { malicious: !flags.skipMalicious, ...(benignList && { benignList }) })
  } catch (error) {
    if (error instanceof CorpusError) {
      process.stderr.write(`${error.message}\n`)
      return 2
    }
    throw error
  }

  const cacheDir = resolve(flags.cache ?? defaultCacheDir())
  const progress = new Progress()
  const ruleSet = ruleSetVersion(REPO_ROOT)
  const jsxrayVersion = (createRequire(import.meta.url)('@nodesecure/js-x-ray/package.json') as { version: string }).version
  progress.log(`rule set ${ruleSet.label}, js-x-ray ${jsxrayVersion}, cache ${cacheDir}, concurrency ${flags.concurrency}`)
  const limit = pLimit(flags.concurrency)

  const run: EvaluationRun = {
    date: new Date().toISOString(),
    ruleSet,
    jsxrayVersion,
    nodeVersion: process.versions.node,
    elapsedMs: { total: 0 },
    options: { evalDir, ...(benignList && { benignList }), ...(flags.limit !== undefined && { limit: flags.limit }), cacheDir, concurrency: flags.concurrency },
  }

  if (!flags.skipMalicious) {
    const started = Date.now()
    const samples = loadMaliciousManifest(evalDir).slice(0, flags.limit)
    progress.log(`malicious: ${samples.length} samples`)
    let done = 0
    const results = await Promise.all(
      samples.map((sample) =>
        limit(async (): Promise<SampleResult> => {
          const tarsier = await scanSample(sample, cacheDir)
          const jsxray = await jsxrayTarballFile(sample.path)
          done++
          const flag = tarsier.status === 'crashed' ? `CRASHED (${tarsier.error})` : tarsier.verdict
          progress.log(`malicious ${done}/${samples.length} ${sample.file}: tarsier=${flag} js-x-ray=${jsxray.ok ? (jsxray.flagged ? 'flagged' : 'clean') : `error (${jsxray.error})`}`)
          return { sample, tarsier, jsxray }
        }),
      ),
    )
    run.malicious = { results, metrics: maliciousMetrics(results) }
    run.elapsedMs.malicious = Date.now() - started
  }

  if (benignList) {
    const started = Date.now()
    const names = loadNameList(benignList).slice(0, flags.limit)
    progress.log(`benign: ${names.length} packages from ${benignList}`)
    let done = 0
    const results = await Promise.all(
      names.map((name) =>
        limit(async (): Promise<BenignResult> => {
          const result = await measureBenign(name, cacheDir)
          done++
          const t = result.tarsier
          const line = result.resolveError
            ? `unresolved (${result.resolveError})`
            : `tarsier=${t?.status === 'scanned' ? t.verdict : `${t?.status} (${t?.error})`} js-x-ray=${result.jsxray?.ok ? (result.jsxray.flagged ? 'flagged' : 'clean') : `error (${result.jsxray?.error})`}`
          progress.log(`benign ${done}/${names.length} ${name}${result.version ? `@${result.version}` : ''}: ${line}`)
          return result
        }),
      ),
    )
    run.benign = { results, metrics: benignMetrics(results) }
    run.elapsedMs.benign = Date.now() - started
  }

  run.elapsedMs.total = progress.elapsed()
  process.stdout.write(summaryTable(run))
  const outDir = resolve(flags.outDir)
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, 'EVALUATION.md'), evaluationMarkdown(run))
  await writeFile(join(outDir, 'evaluation.json'), evaluationJson(run))
  progress.log(`wrote ${join(outDir, 'EVALUATION.md')} and ${join(outDir, 'evaluation.json')}; elapsed ${seconds(run.elapsedMs.total)}`)
  return 0
}

/** Resolves `latest`, scans it with Tarsier, then reads the same tarball (from the cache) with js-x-ray. */
async function measureBenign(name: string, cacheDir: string): Promise<BenignResult> {
  let pkg
  try {
    pkg = await resolveLatest(name, cacheDir)
  } catch (error) {
    const e = error as Error & { code?: string }
    return { name, resolveError: `${e.code ? `${e.code} ` : ''}${e.message}` }
  }
  const tarsier = await scanRegistryPackage(pkg, cacheDir)
  const jsxray = await jsxrayRegistryPackage(pkg, cacheDir)
  return { name, version: pkg.version, tarsier, jsxray }
}

process.exitCode = await main(process.argv.slice(2))
