import { posix } from 'node:path'

/**
 * Developer tools that load (and so run) JavaScript configuration files of the project they run
 * in: a `next.config.js` runs on `next dev`, a `tailwind.config.js` whenever PostCSS builds CSS
 * and when the editor's Tailwind extension starts, a `hardhat.config.js` on every hardhat command.
 * `loads`: other tools these start in turn (bundlers run PostCSS, which runs Tailwind).
 * `entries`: files of the project the tool runs as server code (glob-free prefixes).
 */
interface ToolSpec {
  configs: readonly string[]
  loads?: readonly string[]
  entries?: readonly RegExp[]
}

const CSS = ['postcss', 'tailwindcss'] as const

export const TOOLS: Readonly<Record<string, ToolSpec>> = {
  next: { configs: ['next.config'], loads: [...CSS, 'babel'], entries: [/^(?:src\/)?(?:instrumentation|middleware)\.[cm]?[jt]s$/, /^(?:src\/)?pages\/api\/.+\.[cm]?[jt]sx?$/, /^(?:src\/)?app\/(?:.+\/)?route\.[cm]?[jt]s$/] },
  vite: { configs: ['vite.config'], loads: CSS },
  vitest: { configs: ['vitest.config', 'vite.config', 'vitest.workspace'], loads: CSS },
  webpack: { configs: ['webpack.config'], loads: [...CSS, 'babel'] },
  'webpack-cli': { configs: ['webpack.config'], loads: [...CSS, 'babel'] },
  'webpack-dev-server': { configs: ['webpack.config'], loads: [...CSS, 'babel'] },
  'react-scripts': { configs: [], loads: CSS },
  craco: { configs: ['craco.config', '.cracorc'], loads: CSS },
  'react-app-rewired': { configs: ['config-overrides'], loads: CSS },
  'vue-cli-service': { configs: ['vue.config'], loads: [...CSS, 'babel'] },
  nuxt: { configs: ['nuxt.config'], loads: CSS },
  nuxi: { configs: ['nuxt.config'], loads: CSS },
  astro: { configs: ['astro.config'], loads: CSS },
  'svelte-kit': { configs: ['svelte.config'], loads: ['vite', ...CSS] },
  remix: { configs: ['remix.config'], loads: ['vite', ...CSS] },
  'react-router': { configs: ['react-router.config'], loads: ['vite', ...CSS] },
  gatsby: { configs: ['gatsby-config', 'gatsby-node'], loads: [...CSS, 'babel'] },
  rollup: { configs: ['rollup.config'], loads: ['babel'] },
  parcel: { configs: [], loads: [...CSS, 'babel'] },
  tsup: { configs: ['tsup.config'] },
  'electron-vite': { configs: ['electron.vite.config'], loads: ['vite'] },
  'electron-forge': { configs: ['forge.config'] },
  jest: { configs: ['jest.config'], loads: ['babel'] },
  mocha: { configs: ['.mocharc'] },
  eslint: { configs: ['eslint.config', '.eslintrc'] },
  prettier: { configs: ['prettier.config', '.prettierrc'] },
  stylelint: { configs: ['stylelint.config', '.stylelintrc'] },
  tailwindcss: { configs: ['tailwind.config'] },
  postcss: { configs: ['postcss.config', '.postcssrc'], loads: ['tailwindcss'] },
  babel: { configs: ['babel.config', '.babelrc'] },
  hardhat: { configs: ['hardhat.config'] },
  truffle: { configs: ['truffle-config', 'truffle'] },
  gulp: { configs: ['gulpfile'] },
  grunt: { configs: ['Gruntfile', 'gruntfile'] },
  'lint-staged': { configs: ['lint-staged.config', '.lintstagedrc'] },
  commitlint: { configs: ['commitlint.config', '.commitlintrc'] },
  playwright: { configs: ['playwright.config'] },
  cypress: { configs: ['cypress.config'] },
  expo: { configs: ['app.config', 'metro.config'], loads: ['babel'] },
  'react-native': { configs: ['metro.config', 'react-native.config'], loads: ['babel'] },
  pm2: { configs: ['ecosystem.config'] },
  // `next lint` and `vue-cli-service lint` run ESLint; `vite` and friends cover the rest
}

const CONFIG_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts']

/** Config file stem → tool, for finding configuration files that no script names. */
const TOOL_OF_STEM = new Map<string, string>()
for (const [tool, spec] of Object.entries(TOOLS)) for (const stem of spec.configs) if (!TOOL_OF_STEM.has(stem)) TOOL_OF_STEM.set(stem, tool)

/** The tool whose configuration file this is (`frontend/tailwind.config.ts` → `tailwindcss`), or undefined. */
export function toolOfConfig(path: string): string | undefined {
  const base = posix.basename(path)
  const ext = CONFIG_EXTENSIONS.find((e) => base.endsWith(e))
  if (!ext) return undefined
  return TOOL_OF_STEM.get(base.slice(0, -ext.length))
}

/** Configuration files (package paths) a tool loads when run in `dir`, with the tools it starts in turn. */
export function configsOf(tool: string, dir: string, exists: (path: string) => boolean): Array<{ tool: string; path: string }> {
  const out: Array<{ tool: string; path: string }> = []
  const seen = new Set<string>()
  const visit = (name: string, depth: number) => {
    const spec = TOOLS[name]
    if (!spec || seen.has(name) || depth > 3) return
    seen.add(name)
    for (const stem of spec.configs) {
      for (const ext of CONFIG_EXTENSIONS) {
        const path = dir ? `${dir}/${stem}${ext}` : `${stem}${ext}`
        if (exists(path)) out.push({ tool: name, path })
      }
    }
    for (const next of spec.loads ?? []) visit(next, depth + 1)
  }
  visit(tool, 0)
  return out
}

/** Server files a tool runs by convention (Next.js API routes, instrumentation), under `dir`. */
export function entriesOf(tool: string, dir: string, paths: Iterable<string>): string[] {
  const patterns = TOOLS[tool]?.entries
  if (!patterns) return []
  const prefix = dir ? `${dir}/` : ''
  const out: string[] = []
  for (const path of paths) {
    if (!path.startsWith(prefix)) continue
    const rel = path.slice(prefix.length)
    if (patterns.some((p) => p.test(rel))) out.push(path)
    if (out.length >= 500) break
  }
  return out
}
