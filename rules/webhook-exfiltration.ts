import type * as t from '@babel/types'
import { flowOf, HOST_IDS, L, STOLEN } from '../src/analyze/flow.ts'
import { locate, whenRuns, type Location } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

// Linear-time: fixed prefixes, bounded character classes.
const WEBHOOKS: Array<[RegExp, string]> = [
  [/discord(?:app)?\.com\/api\/webhooks\/\d{5,25}\/[\w-]{10,100}/i, 'a Discord webhook'],
  [/api\.telegram\.org\/bot\d{5,15}:[\w-]{20,60}/i, 'a Telegram bot'],
  [/hooks\.slack\.com\/services\/T[A-Z0-9]{4,15}\/B[A-Z0-9]{4,15}\/[A-Za-z0-9]{8,40}/, 'a Slack webhook'],
  [/\b\d{6,12}:AA[\w-]{30,40}\b/, 'a Telegram bot token'],
]

function webhookIn(text: string): string | undefined {
  if (text.length < 20 || !/discord|telegram|slack|:AA/i.test(text)) return undefined
  const s = text.length > 5000 ? text.slice(0, 5000) : text
  for (const [pattern, what] of WEBHOOKS) if (pattern.test(s)) return what
  return undefined
}

/**
 * Hard-coded Discord / Telegram / Slack webhooks and bot tokens, the favourite drop box of npm
 * stealers; critical when host data, the environment or file content is sent in the same package.
 */
export default defineRule({
  meta: {
    id: 'webhook-exfiltration',
    severity: 'critical',
    description: 'Data sent to a hard-coded Discord, Telegram or Slack webhook',
    docs: 'rules/webhook-exfiltration.md',
  },
  create(context) {
    const hooks: Array<{ where: Location; what: string }> = []
    let sensitiveSends = 0
    let seen = new Set<string>()
    const check = (node: t.Node, ctx: RuleContext) => {
      const text = node.type === 'StringLiteral' ? node.value : ctx.staticString(node)
      if (!text || !ctx.file) return
      const what = webhookIn(text)
      if (what && !seen.has(what)) {
        seen.add(what)
        hooks.push({ where: locate(ctx.file, node), what })
      }
    }
    return {
      Program() {
        seen = new Set()
      },
      StringLiteral: check,
      TemplateLiteral: check,
      BinaryExpression(node, ctx) {
        if (node.operator === '+' && ctx.ancestors().at(-1)?.type !== 'BinaryExpression') check(node, ctx)
      },
      CallExpression(node, ctx) {
        // Buffer.from('…', 'base64').toString(), atob('…'): encoded webhook URLs
        const c = node.callee
        if ((c.type === 'MemberExpression' && c.property.type === 'Identifier' && (c.property.name === 'toString' || c.property.name === 'join')) || (c.type === 'Identifier' && c.name === 'atob')) check(node, ctx)
      },
      'Program:exit'(program, ctx) {
        for (const event of flowOf(program, ctx).network) if (event.taint & (HOST_IDS | STOLEN | L.ENVKEY | L.CMDOUT)) sensitiveSends++
      },
      'Package:exit'() {
        const first = hooks[0]
        if (!first) return
        const install = hooks.some((h) => h.where.entryKind === 'install')
        const severity: Severity = sensitiveSends > 0 ? 'critical' : install ? 'high' : 'medium'
        context.report({
          file: first.where.file,
          line: first.where.line,
          column: first.where.column,
          snippet: first.where.snippet,
          entryKind: first.where.entryKind,
          severity,
          message: `Hard-codes ${hooks.map((h) => h.what).join(' and ')}${sensitiveSends > 0 ? ' and sends host data, environment variables or file content over the network' : ''}: a messenger drop box for stolen data.${whenRuns(first.where)}`,
        })
      },
    }
  },
})
