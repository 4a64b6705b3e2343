/**
 * Builds the GitHub Action into one file, dist/action/index.js (ESM, Node 24), with esbuild. The
 * file is committed (action.yml runs it); test/unit/action-bundle.test.ts fails when it is stale.
 *
 *   npm run build:action            writes dist/action/index.js
 *   node scripts/build-action.ts DIR   writes DIR/index.js instead
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { RULESET_ID } from '../src/ruleset-id.ts'
import { TOOL_VERSION } from '../src/version.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)

// CommonJS dependencies (arborist, pacote, piscina …) call require() for Node's modules and read
// __dirname at load time: give the ES module output both, pointing at the bundle itself.
const BANNER = [
  "import { createRequire as __tarsierCreateRequire } from 'node:module';",
  "import { fileURLToPath as __tarsierFileURLToPath } from 'node:url';",
  "import { dirname as __tarsierDirname } from 'node:path';",
  'const require = __tarsierCreateRequire(import.meta.url);',
  'const __filename = __tarsierFileURLToPath(import.meta.url);',
  'const __dirname = __tarsierDirname(__filename);',
].join('\n')

/**
 * piscina starts each worker thread with its own dist/worker.js; a single-file bundle has no such
 * file, so its workers run the bundle, which starts piscina's worker loop (src/action/index.ts).
 */
const piscinaInOneFile: Plugin = {
  name: 'piscina-in-one-file',
  setup(esbuild) {
    const piscinaDir = dirname(require.resolve('piscina'))
    esbuild.onResolve({ filter: /^tarsier:piscina-worker$/ }, () => ({ path: join(piscinaDir, 'worker.js') }))
    esbuild.onLoad({ filter: /[\\/]piscina[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const workerFile = "(0, node_path_1.resolve)(__dirname, 'worker.js')"
      if (!source.includes(workerFile)) throw new Error(`piscina changed: ${workerFile} is not in ${args.path}; update scripts/build-action.ts`)
      return { contents: source.replace(workerFile, '__filename'), loader: 'js' }
    })
  },
}

/**
 * jsonc-parser's `main` is a UMD wrapper whose require() calls esbuild cannot follow: use its ES
 * module build, with the default export that `import jsonc from 'jsonc-parser'` expects under Node.
 */
const jsoncParserAsEsm: Plugin = {
  name: 'jsonc-parser-as-esm',
  setup(esbuild) {
    const esmMain = join(dirname(require.resolve('jsonc-parser')), '..', 'esm', 'main.js')
    esbuild.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: 'jsonc-parser', namespace: 'tarsier-jsonc' }))
    esbuild.onLoad({ filter: /.*/, namespace: 'tarsier-jsonc' }, () => ({
      contents: `export * from ${JSON.stringify(esmMain)}\nimport * as all from ${JSON.stringify(esmMain)}\nexport default all\n`,
      resolveDir: ROOT,
      loader: 'js',
    }))
  },
}

export async function buildAction(outDir: string): Promise<string> {
  const outfile = join(resolve(outDir), 'index.js')
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/action/index.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Readable and line-based, so that a rebuild shows as a small diff.
    minify: false,
    legalComments: 'none',
    banner: { js: BANNER },
    define: { __TARSIER_BUNDLE__: 'true', __TARSIER_VERSION__: JSON.stringify(TOOL_VERSION), __TARSIER_RULESET_ID__: JSON.stringify(RULESET_ID) },
    plugins: [piscinaInOneFile, jsoncParserAsEsm],
    // A native module piscina loads (and may miss) only when a niceIncrement is set; Tarsier sets none.
    external: ['@napi-rs/nice'],
    logLevel: 'warning',
  })
  return outfile
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await buildAction(process.argv[2] ?? join(ROOT, 'dist', 'action'))
  process.stdout.write(`${written}\n`)
}
