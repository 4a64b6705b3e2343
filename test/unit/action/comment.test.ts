import { describe, expect, it } from 'vitest'
import { COMMENT_MARKER, GitHubApiError, nextPage, upsertComment } from '../../../src/action/comment.ts'

const API = 'https://api.github.example'
const TARGET = { apiUrl: API, token: 't0ken', owner: 'octo', repo: 'app', number: 7 }

/** A fetch that answers from a table of `METHOD url` → response, recording every call. */
function fakeFetch(routes: Record<string, () => Response>) {
  const calls: string[] = []
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(input)}`
    calls.push(key)
    const route = routes[key]
    return route ? route() : new Response('{"message":"Not Found"}', { status: 404 })
  }) as typeof fetch
  return { impl, calls }
}

const json = (data: unknown, headers: Record<string, string> = {}, status = 200) => () => new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('the pull request comment', () => {
  it('follows pagination only on the API origin, so the token never goes elsewhere', async () => {
    expect(nextPage(`<${API}/repos/o/r/issues/1/comments?page=2>; rel="next", <${API}/x>; rel="last"`, API)).toBe(`${API}/repos/o/r/issues/1/comments?page=2`)
    expect(nextPage('<https://evil.example/steal?page=2>; rel="next"', API)).toBeUndefined()
    expect(nextPage(null, API)).toBeUndefined()
    const { impl, calls } = fakeFetch({
      [`GET ${API}/user`]: json({ message: 'Resource not accessible by integration' }, {}, 403),
      [`GET ${API}/repos/octo/app/issues/7/comments?per_page=100`]: json([], { link: '<https://evil.example/page2>; rel="next"' }),
      [`POST ${API}/repos/octo/app/issues/7/comments`]: json({ id: 5 }, {}, 201),
    })
    expect(await upsertComment(TARGET, 'report', impl)).toEqual({ action: 'created', id: 5 })
    expect(calls.some((c) => c.includes('evil.example'))).toBe(false)
  })

  it("never takes over a comment with the marker that another account wrote; updates the token's own", async () => {
    const comments = [
      { id: 1, body: `${COMMENT_MARKER}\nall clean`, user: { login: 'mallory' } },
      { id: 2, body: `${COMMENT_MARKER}\nold report`, user: { login: 'ci-bot-user' } },
    ]
    const { impl, calls } = fakeFetch({
      [`GET ${API}/user`]: json({ login: 'ci-bot-user' }),
      [`GET ${API}/repos/octo/app/issues/7/comments?per_page=100`]: json(comments),
      [`PATCH ${API}/repos/octo/app/issues/comments/2`]: json({ id: 2 }),
    })
    expect(await upsertComment(TARGET, 'report', impl)).toEqual({ action: 'updated', id: 2 })
    expect(calls).not.toContain(`PATCH ${API}/repos/octo/app/issues/comments/1`)
  })

  it('a read-only token (a fork) is an error naming the permission', async () => {
    const { impl } = fakeFetch({
      [`GET ${API}/user`]: json({}, {}, 403),
      [`GET ${API}/repos/octo/app/issues/7/comments?per_page=100`]: json([]),
      [`POST ${API}/repos/octo/app/issues/7/comments`]: json({ message: 'Resource not accessible by integration' }, {}, 403),
    })
    const error = await upsertComment(TARGET, 'report', impl).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubApiError)
    expect((error as Error).message).toContain('pull-requests: write')
  })
})
