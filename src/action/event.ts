import { readFileSync } from 'node:fs'

/** What the triggering event asks for: a diff against a pull request's base, or a full scan. */
export type ScanPlan =
  | { mode: 'diff'; baseSha: string; number: number; owner: string; repo: string; eventName: string }
  | { mode: 'full'; eventName: string }

interface PullRequestPayload {
  pull_request?: { number?: number; base?: { sha?: string } }
  repository?: { name?: string; owner?: { login?: string } }
}

/**
 * Reads GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH. `pull_request` (and
 * `pull_request_target`, which this Action should not be run on) compare with the base commit;
 * `push`, `schedule`, `workflow_dispatch` and every other event scan the whole tree.
 */
export function planFromEvent(env: NodeJS.ProcessEnv = process.env): ScanPlan {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') return { mode: 'full', eventName }
  if (!env.GITHUB_EVENT_PATH) throw new Error(`${eventName} event without GITHUB_EVENT_PATH`)
  const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as PullRequestPayload
  const baseSha = payload.pull_request?.base?.sha
  const number = payload.pull_request?.number
  const [ownerFromEnv, repoFromEnv] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const owner = payload.repository?.owner?.login ?? ownerFromEnv
  const repo = payload.repository?.name ?? repoFromEnv
  if (!baseSha || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(baseSha)) throw new Error(`the ${eventName} payload has no base commit (pull_request.base.sha)`)
  if (typeof number !== 'number' || !owner || !repo) throw new Error(`the ${eventName} payload has no pull request number or repository`)
  return { mode: 'diff', baseSha, number, owner, repo, eventName }
}
