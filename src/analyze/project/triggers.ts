import type { RunTrigger } from '../../types.ts'

/** How early and unasked a trigger fires: lower runs first or with less action from the victim. */
export function triggerRank(trigger: RunTrigger): number {
  if (trigger === 'folder-open') return 0
  if (trigger.startsWith('git-hook:')) return 1
  if (trigger === 'npm-install') return 2
  if (trigger.startsWith('devcontainer:')) return 3
  if (trigger.startsWith('npm-script:')) {
    const name = trigger.slice('npm-script:'.length)
    return name === 'start' || name === 'dev' ? 4 : /^(?:serve|server|develop|test|build|preview)$/.test(name) ? 5 : 6
  }
  if (trigger.startsWith('tool-config:')) return 7
  return 8
}

/** Triggers that fire on an ordinary action of a developer who runs the repository (all but `import`). */
export function isEverydayTrigger(trigger: RunTrigger | undefined): boolean {
  return trigger !== undefined && trigger !== 'import'
}

/** "on `npm run dev`", "as soon as the folder is opened in VS Code" … */
export function describeTrigger(trigger: RunTrigger): string {
  if (trigger === 'npm-install') return 'on `npm install` in this repository'
  if (trigger === 'folder-open') return 'as soon as the folder is opened in VS Code'
  if (trigger === 'import') return "when the project's main module is loaded"
  const [kind, name = ''] = splitTrigger(trigger)
  switch (kind) {
    case 'npm-script':
      return name === 'start' || name === 'test' ? `on \`npm ${name}\`` : `on \`npm run ${name}\``
    case 'git-hook':
      return `${GIT_ACTION[name] ?? 'on a git operation'} (the ${name} git hook)`
    case 'devcontainer':
      return name === 'initializeCommand' ? 'when a dev container is built, on the host (initializeCommand)' : `when the dev container is set up (${name})`
    case 'tool-config':
      return `whenever ${name} loads its configuration (its dev server, build or editor extension)`
    default:
      return `on ${trigger}`
  }
}

const GIT_ACTION: Record<string, string> = {
  'post-checkout': 'on `git checkout` / `git switch`',
  'post-merge': 'on `git pull` / `git merge`',
  'pre-commit': 'on `git commit`',
  'prepare-commit-msg': 'on `git commit`',
  'commit-msg': 'on `git commit`',
  'post-commit': 'on `git commit`',
  'pre-push': 'on `git push`',
  'pre-rebase': 'on `git rebase`',
  'post-rewrite': 'on `git rebase` / `git commit --amend`',
}

function splitTrigger(trigger: string): [string, string] {
  const at = trigger.indexOf(':')
  return at === -1 ? [trigger, ''] : [trigger.slice(0, at), trigger.slice(at + 1)]
}
