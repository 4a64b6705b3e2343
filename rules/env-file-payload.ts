import type * as t from '@babel/types'
import { encodedEnvValues, type EncodedEnvValue } from '../src/analyze/env-files.ts'
import { flowOf, L } from '../src/analyze/flow.ts'
import { parseUrl } from '../src/analyze/sensitive-paths.ts'
import { destinationOf, isShadyDestination, locate, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext, type Severity } from '../src/types.ts'

/** Calls that decode their argument: atob(x), Buffer.from(x, 'base64' | 'hex'), a decoder helper. */
const DECODER_NAME = /^(?:atob|decode|decodeBase64|fromBase64|base64Decode|b64decode|b64Decode|hexDecode|fromHex|unhex|decrypt|deobfuscate)$/i

/**
 * The repository-embedded loader of the fake-interview campaigns: a `.env` value stored as base64
 * or hex that decodes to a URL (or to code), read through `process.env`, decoded, and fetched (or
 * evaluated). Neither the code nor the configuration shows a destination, and the response is
 * then usually compiled with `Function`.
 */
export default defineRule({
  meta: {
    id: 'env-file-payload',
    severity: 'high',
    description: 'A URL or code kept encoded in a .env file is decoded by the code and fetched or executed',
    docs: 'rules/env-file-payload.md',
  },
  create(context) {
    const encoded = encodedEnvValues(context.pkg.files)
    if (encoded.size === 0) return {}
    let decodedReads: Array<{ value: EncodedEnvValue; node: t.Node }> = []
    return {
      Program() {
        decodedReads = []
      },
      MemberExpression(node, ctx) {
        const name = envName(node, ctx)
        const value = name === undefined ? undefined : encoded.get(name)
        if (value && insideDecoder(ctx)) decodedReads.push({ value, node })
      },
      'Program:exit'(program, ctx) {
        const file = ctx.file
        if (!file || decodedReads.length === 0) return
        const flow = flowOf(program, ctx)
        // Code compiled at run time from something that is not a constant of the file.
        const compiles = flow.exec.some((e) => e.family === 'eval' && ctx.foldString(codeOf(e.node, e.api)) === undefined)
        const fromNetwork = flow.exec.some((e) => e.family === 'eval' && (e.taint & L.NET) !== 0)
        const reported = new Set<string>()
        for (const { value, node } of decodedReads) {
          if (reported.has(value.name)) continue
          const origin = `${value.name} in ${value.file}:${value.line} (${value.encoding} of ${JSON.stringify(value.decoded.slice(0, 100))})`
          const where = locate(file, node)
          if (value.kind === 'url') {
            if (flow.network.length === 0) continue
            const destination = destinationOf(parseUrl(value.decoded))
            const severity: Severity = compiles || fromNetwork || isShadyDestination(destination.kind) ? 'critical' : 'high'
            reported.add(value.name)
            context.report({
              node,
              severity,
              message: `Decodes ${origin} and makes network requests with it: a download URL hidden from both the code and the configuration${compiles || fromNetwork ? ', in code that compiles what it receives with eval/Function (the fake-interview repository loader)' : ''}.${whenRuns(where)}`,
            })
          } else if (flow.exec.length > 0) {
            reported.add(value.name)
            context.report({
              node,
              severity: 'critical',
              message: `Decodes ${origin}, code kept encoded in an env file, in a file that executes code or commands.${whenRuns(where)}`,
            })
          }
        }
      },
    }
  },
})

/** `process.env.NAME` / `process.env['NAME']` → NAME. */
function envName(node: t.MemberExpression, ctx: RuleContext): string | undefined {
  const obj = node.object
  if (obj.type !== 'MemberExpression' || obj.object.type !== 'Identifier' || obj.object.name !== 'process') return undefined
  const envKey = obj.computed ? ctx.staticString(obj.property) : obj.property.type === 'Identifier' ? obj.property.name : undefined
  if (envKey !== 'env') return undefined
  return node.computed ? ctx.staticString(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined
}

/** Whether the node being visited is an argument of a decoding call (a few levels up at most). */
function insideDecoder(ctx: RuleContext): boolean {
  const ancestors = ctx.ancestors()
  for (let i = ancestors.length - 1; i >= Math.max(0, ancestors.length - 4); i--) {
    const a = ancestors[i]!
    if (a.type !== 'CallExpression' && a.type !== 'NewExpression') continue
    const callee = a.callee
    const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : undefined
    if (name && DECODER_NAME.test(name)) return true
    // Buffer.from(x, 'base64' | 'hex' | 'base64url')
    if (name === 'from' && callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Buffer') {
      const encoding = a.arguments[1] ? ctx.staticString(a.arguments[1] as t.Node) : undefined
      if (encoding && /^(?:base64|base64url|hex)$/i.test(encoding)) return true
    }
  }
  return false
}

function codeOf(node: t.CallExpression | t.OptionalCallExpression | t.NewExpression, api: string): t.Node | undefined {
  const args = node.arguments
  return (api === 'Function' ? args[args.length - 1] : args[0]) as t.Node | undefined
}
