import { L } from '../src/analyze/flow.ts'
import { crossFileNote, onFileFlow, ownText } from '../src/analyze/flow-rules.ts'
import { classifyPath } from '../src/analyze/sensitive-paths.ts'
import { locate, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

/** A dot-file or dot-directory under the home or temp directory: `~/.vscode/jsontoken`, `<tmp>/.cache-1.js`. */
const HIDDEN_STAGING = /^(?:~|<tmp>)\/(?:[^/]*\/)*\.[^/]/

/** Normalises a folded path for matching across packages: separators, duplicate slashes, case. */
export function normalizeStagingPath(text: string): string {
  return text.replace(/\\+/g, '/').replace(/\/{2,}/g, '/').replace(/^~\/\.\//, '~/').toLowerCase()
}

/**
 * A staging file outside the package: network or decoded data written to a hidden path under the
 * home or temp directory (stage one of the 2023 paired packages writes a token to
 * `~/.vscode/jsontoken`; loaders drop `~/.sysinfo`, `~/.npl`), and reads of such a path by code that
 * uses the network or runs processes (stage two). Findings carry the path (`handoff`) so that the
 * tree-level correlation can link a writer package to a reader package.
 */
export default defineRule({
  meta: {
    id: 'staged-payload-file',
    severity: 'medium',
    description: 'Downloaded or decoded data staged in a hidden file under the home or temp directory',
    docs: 'rules/staged-payload-file.md',
  },
  create(context) {
    return {
      'Program:exit': onFileFlow((flow, file) => {
        const install = file.entryKind === 'install'
        for (const event of flow.files) {
          const path = normalizeStagingPath(event.pathText)
          if (!HIDDEN_STAGING.test(path) || path.startsWith('~/*') || path === '~/' || path.length < 4) continue
          if (classifyPath(path).some((x) => x.kind === 'credential' || x.kind === 'wallet' || x.kind === 'browser-store')) continue
          if (event.kind === 'write') {
            if ((event.dataTaint & (L.NET | L.DECODED)) === 0) continue
            const what = event.dataTaint & L.NET ? 'a network response' : 'decoded data'
            const severity: Severity = install ? 'high' : 'medium'
            context.report({
              node: event.node,
              severity,
              message: `Writes ${what} to ${event.pathText}, a hidden file outside the package: a staged token or payload.${crossFileNote(file, event, L.NET | L.DECODED)}${whenRuns(locate(file, event.node))}`,
              handoff: { path, access: 'write', detail: what },
            })
          } else if (!event.probe && ownText(event) && (flow.network.length > 0 || flow.exec.some((e) => e.family !== 'require'))) {
            context.report({
              node: event.node,
              severity: 'low',
              message: `Reads ${event.pathText}, a hidden file outside the package, in code that ${flow.network.length > 0 ? 'uses the network' : 'runs code or processes'}.${whenRuns(locate(file, event.node))}`,
              handoff: { path, access: 'read', detail: flow.network.length > 0 ? 'network' : 'exec' },
            })
          }
        }
      }),
    }
  },
})
