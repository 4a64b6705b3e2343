import type * as t from '@babel/types'
import { flowOf } from '../src/analyze/flow.ts'
import { ownText } from '../src/analyze/flow-rules.ts'
import { whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

const PUBLISH = /\b(?:npm|pnpm|yarn|bun)\b[^|;&\n]{0,120}\bpublish\b/i
const MAINTAINER_SEARCH = /\/-\/v1\/search\?[^"'`\s]{0,40}text=maintainer:|\/-\/user\/org\.couchdb\.user:|\/-\/npm\/v1\/tokens/
const WORKFLOW_PATH = /(?:^|\/)\.github\/workflows\//

/**
 * A package that publishes packages (a worm): `npm publish` run by install-time code, code that
 * enumerates a maintainer's packages on the registry and republishes them, or writes GitHub
 * Actions workflows from a dependency (GuardDog threat-runtime-self-propagation; the 2025
 * "Shai-Hulud" worm). Release tools run `npm publish` too, but never while being installed.
 */
export default defineRule({
  meta: {
    id: 'self-propagation',
    severity: 'high',
    description: 'Install-time code that publishes packages or writes CI workflows (a worm)',
    docs: 'rules/self-propagation.md',
  },
  create(context) {
    let searches = false
    return {
      Program() {
        searches = false
      },
      StringLiteral(node) {
        if (!searches && node.value.length < 500 && MAINTAINER_SEARCH.test(node.value)) searches = true
      },
      TemplateLiteral(node) {
        if (!searches && node.quasis.some((q) => MAINTAINER_SEARCH.test((q.value.cooked ?? '').slice(0, 500)))) searches = true
      },
      'Program:exit'(program, ctx) {
        const file = ctx.file
        if (!file) return
        const flow = flowOf(program, ctx)
        const install = file.entryKind === 'install'
        for (const event of flow.exec) {
          if (event.family !== 'process' || !ownText(event) || !PUBLISH.test(event.text)) continue
          const severity: Severity = install ? 'critical' : searches ? 'high' : 'low'
          context.report({
            node: event.node,
            severity,
            message: `${event.api}(${JSON.stringify(event.text.slice(0, 80))}) publishes a package${install ? ' from code that runs on install: a worm spreading with the installer\'s npm token' : searches ? ' after enumerating a maintainer\'s packages on the registry: a worm' : ''}.${whenRuns(file)}`,
          })
        }
        for (const event of flow.files) {
          if (event.kind !== 'write' || !ownText(event) || !WORKFLOW_PATH.test(event.pathText) || !install) continue
          context.report({ node: event.node as t.Node, severity: 'high', message: `Install-time code writes a GitHub Actions workflow (${event.pathText.slice(0, 80)}): CI persistence or secret theft.${whenRuns(file)}` })
        }
      },
    }
  },
})
