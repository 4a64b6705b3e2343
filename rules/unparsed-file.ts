import { describeTrigger } from '../src/analyze/project/triggers.ts'
import { defineRule } from '../src/types.ts'

export default defineRule({
  meta: {
    id: 'unparsed-file',
    severity: 'low',
    description: 'A JavaScript file the parser could not read, so only text rules saw it',
    docs: 'rules/unparsed-file.md',
  },
  create(context) {
    return {
      text() {
        const file = context.file
        if (!file || !file.parseError) return
        // A project's own files that its scripts run (not npm install) are less often hand-crafted to evade.
        const installTime = file.entryKind === 'install' && (file.runs === undefined || file.runs === 'npm-install')
        const what = file.ast ? `Could not parse all of ${file.path}: ${file.parseError}.` : `Could not parse ${file.path}: ${file.parseError}.`
        const runs = file.runs && file.runs !== 'npm-install' ? ` It runs ${describeTrigger(file.runs)}.` : ''
        context.report({
          severity: installTime ? 'high' : file.entryKind === 'require' || runs ? 'medium' : 'low',
          line: 1,
          message: `${what}${installTime ? ` ${file.runs ? 'It runs on `npm install`' : `The ${file.installScripts.join(', ')} script runs this file`}, and code that hides from parsers there is suspicious.` : file.ast ? ' AST rules saw only the part that parsed.' : ' Only lexical rules analysed it.'}${runs}`,
        })
      },
    }
  },
})
