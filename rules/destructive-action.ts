import type * as t from '@babel/types'
import { flowOf } from '../src/analyze/flow.ts'
import { ownText } from '../src/analyze/flow-rules.ts'
import { whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type RuleContext } from '../src/types.ts'

/** Whole-tree deletion of the home directory, the file-system root, a drive or the working tree's parents. */
const WIPE_COMMAND = /\brm\s+(?:-(?=[a-z]{0,12}r)(?=[a-z]{0,12}f)[a-z]{1,12}|--recursive\s+--force|--force\s+--recursive|-r\s+-f|-f\s+-r)\s+(?:--no-preserve-root\s+)?(?:~\/?(?:\s|$|\*)|\/(?:\s|$|\*)|\$HOME\/?(?:\s|$|\*)|\/\*|\.\.\/?\.\.)|\b(?:rd|rmdir)\s+\/s\s+\/q\s+[a-z]:\\?(?:\s|$)|\bdel\s+\/[fsq](?:\s+\/[fsq]){1,2}\s+[a-z]:\\|\bformat\s+[a-z]:|\bmkfs\.|\bdd\s+if=\/dev\/(?:zero|urandom)\s+of=\/dev\/[sh]d/i
const WIPE_TARGET = /^(?:~|\/|[a-z]:\\?|<cwd>\/\.\.(?:\/\.\.)*)\/?\*?$/i
const DELETE_FUNCTIONS = new Set(['rmSync', 'rm', 'rmdirSync', 'rmdir', 'remove', 'removeSync', 'emptyDir', 'emptyDirSync'])

/**
 * Destruction: recursive deletion of the home directory, the root or a whole drive, by
 * `fs.rm(…, { recursive: true })`, rimraf / fs-extra, or a shell command (`rm -rf ~`, `rd /s /q C:\`,
 * `mkfs`, `dd` over a disk) — protestware and sabotage (GuardDog threat-filesystem-destruction).
 */
export default defineRule({
  meta: {
    id: 'destructive-action',
    severity: 'critical',
    description: 'Recursive deletion of the home directory, the root or a drive',
    docs: 'rules/destructive-action.md',
  },
  create(context) {
    const check = (node: t.CallExpression, ctx: RuleContext, flow: ReturnType<typeof flowOf>) => {
      const ref = ctx.moduleOf(node.callee)
      const member = ref?.member.replace(/^promises\./, '') ?? ''
      const isDelete = ref && ((['fs', 'fs/promises', 'fs-extra', 'graceful-fs'].includes(ref.module) && DELETE_FUNCTIONS.has(member)) || ref.module === 'rimraf' || ref.module === 'del' || ref.module === 'trash')
      if (!isDelete) return
      const target = flow.describe(node.arguments[0] as t.Node | undefined)
      if (!WIPE_TARGET.test(target.trim())) return
      context.report({ node, message: `${ref!.module}.${member || 'default'}(${JSON.stringify(target)}) deletes ${target.startsWith('~') ? 'the home directory' : 'the file-system root or a whole drive'} recursively.${whenRuns(ctx.file!)}` })
    }
    let deletes: t.CallExpression[] = []
    return {
      Program() {
        deletes = []
      },
      CallExpression(node) {
        if (deletes.length < 200) deletes.push(node)
      },
      'Program:exit'(program, ctx) {
        const flow = flowOf(program, ctx)
        for (const node of deletes) check(node, ctx, flow)
        for (const event of flow.exec) {
          if (event.family === 'process' && ownText(event) && WIPE_COMMAND.test(event.text.slice(0, 2000))) {
            context.report({ node: event.node, message: `${event.api}(${JSON.stringify(event.text.slice(0, 80))}) wipes the home directory, the root or a drive.${whenRuns(ctx.file!)}` })
          }
        }
      },
    }
  },
})
