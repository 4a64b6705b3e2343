/** Hidden marker that identifies Tarsier's comment on a pull request. */
export const COMMENT_MARKER = '<!-- tarsier -->'
/** The author of comments made with the workflow's GITHUB_TOKEN. */
const ACTIONS_BOT = 'github-actions[bot]'
const MAX_PAGES = 50

export interface CommentTarget {
  apiUrl: string
  token: string
  owner: string
  repo: string
  number: number
}

interface IssueComment {
  id: number
  body?: string
  user?: { login?: string } | null
}

export class GitHubApiError extends Error {
  readonly status: number
  constructor(message: string, status: number) {
    super(message)
    this.status = status
  }
}

/**
 * Creates Tarsier's comment on the pull request, or updates it in place when a previous run made
 * one: the comment starts with the hidden marker and was written by the same account as this
 * token (a comment that anyone else wrote with the marker is never taken over). Every page of
 * comments is read; pagination links are only followed on the API's own origin, so the token is
 * never sent elsewhere.
 */
export async function upsertComment(target: CommentTarget, body: string, fetchImpl: typeof fetch = fetch): Promise<{ action: 'created' | 'updated'; id: number }> {
  let api = target.apiUrl
  while (api.endsWith('/')) api = api.slice(0, -1)
  const origin = new URL(api).origin
  const request = async (url: string, init: RequestInit = {}) => {
    const response = await fetchImpl(url, {
      ...init,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${target.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'tarsier-action',
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
    })
    return response
  }
  const text = `${COMMENT_MARKER}\n${body}`
  const author = await tokenLogin(api, request)
  const repoPath = `${api}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`

  let url: string | undefined = `${repoPath}/issues/${target.number}/comments?per_page=100`
  let existing: IssueComment | undefined
  for (let page = 0; url && page < MAX_PAGES && !existing; page++) {
    const response = await request(url)
    if (!response.ok) throw await apiError('list the comments of the pull request', response)
    const comments = (await response.json()) as IssueComment[]
    existing = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(COMMENT_MARKER) && c.user?.login === author)
    url = nextPage(response.headers.get('link'), origin)
  }

  if (existing) {
    const response = await request(`${repoPath}/issues/comments/${existing.id}`, { method: 'PATCH', body: JSON.stringify({ body: text }) })
    if (!response.ok) throw await apiError('update the comment', response)
    return { action: 'updated', id: existing.id }
  }
  const response = await request(`${repoPath}/issues/${target.number}/comments`, { method: 'POST', body: JSON.stringify({ body: text }) })
  if (!response.ok) throw await apiError('comment on the pull request', response)
  return { action: 'created', id: ((await response.json()) as IssueComment).id }
}

/** The account of the token: a personal token can ask; the workflow's GITHUB_TOKEN cannot (403) and is the Actions bot. */
async function tokenLogin(api: string, request: (url: string) => Promise<Response>): Promise<string> {
  const response = await request(`${api}/user`)
  if (!response.ok) {
    await response.body?.cancel()
    return ACTIONS_BOT
  }
  const user = (await response.json()) as { login?: unknown }
  return typeof user.login === 'string' ? user.login : ACTIONS_BOT
}

/** The `rel="next"` URL of a Link header, when it is on the API's origin. */
export function nextPage(link: string | null, origin: string): string | undefined {
  if (!link) return undefined
  for (const part of link.split(',')) {
    const [target = '', ...params] = part.split(';').map((p) => p.trim())
    if (!target.startsWith('<') || !target.endsWith('>')) continue
    if (!params.some((p) => p.replaceAll('"', '').replaceAll(' ', '') === 'rel=next')) continue
    try {
      const url = new URL(target.slice(1, -1))
      return url.origin === origin ? url.href : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}

async function apiError(what: string, response: Response): Promise<GitHubApiError> {
  const detail = (await response.text().catch(() => '')).slice(0, 300)
  const hint = response.status === 403 || response.status === 404 ? ' (the token needs pull-requests: write; pull requests from forks get a read-only token)' : ''
  return new GitHubApiError(`could not ${what}: HTTP ${response.status}${hint} ${detail}`.trim(), response.status)
}
