/**
 * The bundled GitHub Action (dist/action/index.js) run as the runner runs it: a subprocess with the
 * GITHUB_* and INPUT_* environment, an event payload, summary and output files, dependencies from
 * the test registry, and the GitHub REST API answered by a recording server on loopback.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, registryUrl, type Sandbox } from '../helpers/cli.ts'
import { baseAndHeadRepo, gitIn } from '../helpers/git-repo.ts'
import { isolatedEnv, run, type RunResult } from '../helpers/process.ts'
import { githubSarifProblems, sarifSchemaErrors } from '../helpers/sarif-schema.ts'

const BUNDLE = fileURLToPath(new URL('../../dist/action/index.js', import.meta.url))
const STEALER = 'tarsier-fixture-env-stealer'
const TOOLKIT = 'tarsier-fixture-toolkit'
const MARKER = '<!-- tarsier -->'

interface Comment {
  id: number
  body: string
  user: { login: string }
}
interface Recorded {
  method: string
  url: string
  authorization?: string
  body?: { body?: string }
}

/** A small stand-in for the GitHub REST API: issue comments, two per page, and a 403 on /user as for GITHUB_TOKEN. */
class FakeGitHub {
  readonly requests: Recorded[] = []
  readonly comments: Comment[] = [
    { id: 1, body: 'Looks good to me', user: { login: 'reviewer' } },
    // Someone else's comment with the marker: never to be taken over.
    { id: 2, body: `${MARKER}\nall clean, trust me`, user: { login: 'mallory' } },
    { id: 3, body: 'One more thing', user: { login: 'reviewer' } },
  ]
  #nextId = 100
  #server: Server = createServer((req, res) => void this.#handle(req, res))
  url = ''

  async start(): Promise<void> {
    await new Promise<void>((done) => this.#server.listen(0, '127.0.0.1', done))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  stop(): Promise<void> {
    return new Promise((done) => this.#server.close(() => done()))
  }

  async #handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', this.url)
    this.requests.push({ method: req.method ?? '', url: `${url.pathname}${url.search}`, ...(req.headers.authorization && { authorization: req.headers.authorization }), ...(text && { body: JSON.parse(text) as { body?: string } }) })
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(data))
    }
    if (url.pathname === '/user') return json(403, { message: 'Resource not accessible by integration' })
    if (url.pathname === '/repos/octo/app/issues/7/comments' && req.method === 'GET') {
      const page = Number(url.searchParams.get('page') ?? '1')
      const pages = Math.ceil(this.comments.length / 2)
      const next = new URL(url)
      next.searchParams.set('page', String(page + 1))
      return json(200, this.comments.slice((page - 1) * 2, page * 2), page < pages ? { link: `<${next.href}>; rel="next", <${this.url}/x>; rel="last"` } : {})
    }
    if (url.pathname === '/repos/octo/app/issues/7/comments' && req.method === 'POST') {
      const comment = { id: this.#nextId++, body: JSON.parse(text).body as string, user: { login: 'github-actions[bot]' } }
      this.comments.push(comment)
      return json(201, comment)
    }
    const patch = /^\/repos\/octo\/app\/issues\/comments\/(\d+)$/.exec(url.pathname)
    if (patch && req.method === 'PATCH') {
      const comment = this.comments.find((c) => c.id === Number(patch[1]))
      if (!comment) return json(404, { message: 'Not Found' })
      comment.body = JSON.parse(text).body as string
      return json(200, comment)
    }
    json(404, { message: 'Not Found' })
  }
}

let sandbox: Sandbox
let github: FakeGitHub
let workspace: string
let base: string
let head: string

beforeAll(async () => {
  sandbox = await createSandbox()
  github = new FakeGitHub()
  await github.start()
  // Base: a clean project with a configuration; head: adds a toolkit that brings the env stealer,
  // and a configuration that tries to suppress the stealer's finding.
  const baseConfig = { suppressions: [{ rule: 'install-script', package: 'tarsier-fixture-greeter', version: '1.0.0', reason: 'reviewed' }] }
  const headConfig = { rules: { 'env-exfiltration': 'off' }, suppressions: [{ rule: 'env-exfiltration', package: STEALER, version: '1.0.0', reason: 'it is fine' }] }
  const made = await baseAndHeadRepo(sandbox, {
    registry: registryUrl(),
    project: 'clean-app',
    addDependencies: { [TOOLKIT]: '^1.0.0' },
    baseFiles: { 'tarsier.config.json': JSON.stringify(baseConfig) },
    headFiles: { 'tarsier.config.json': JSON.stringify(headConfig) },
  })
  ;({ base, head } = made)
  // The runner's checkout: a one-commit-deep clone of the head, as actions/checkout makes by default.
  const origin = join(sandbox.work, 'origin.git')
  await gitIn(sandbox.work, sandbox.home, ['clone', '-q', '--bare', made.repo, origin])
  workspace = join(sandbox.work, 'workspace')
  await gitIn(sandbox.work, sandbox.home, ['clone', '-q', '--depth=1', `file://${origin}`, workspace])
}, 180_000)

afterAll(async () => {
  await github?.stop()
  await sandbox?.dispose()
})

interface ActionRun extends RunResult {
  outputs: Record<string, string>
  summary: string
}

async function runAction(event: 'pull_request' | 'push', inputs: Record<string, string>): Promise<ActionRun> {
  const dir = join(sandbox.tmp, `run-${Date.now()}-${Math.random().toString(36).slice(2)}`)
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }))
  const eventPath = join(dir, 'event.json')
  await writeFile(eventPath, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, base: { sha: base, ref: 'main' }, head: { sha: head } }, repository: { name: 'app', owner: { login: 'octo' } } }))
  const summaryFile = join(dir, 'summary.md')
  const outputFile = join(dir, 'output.txt')
  await writeFile(summaryFile, '')
  await writeFile(outputFile, '')
  const env = isolatedEnv(sandbox.home, {
    TMPDIR: sandbox.tmp,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_RUN_ID: '4242',
    GITHUB_ACTION_REPOSITORY: 'example/tarsier',
    GITHUB_ACTION_REF: 'v1',
    RUNNER_TEMP: dir,
    INPUT_REGISTRY: registryUrl(),
    'INPUT_GITHUB-TOKEN': 'test-token',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  })
  const result = await run(process.execPath, [BUNDLE], { cwd: workspace, env, timeoutMs: 110_000 })
  return { ...result, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') }
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter`, value lines, delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([\w-]+)<<(.+)$/.exec(lines[i]!)
    if (!match) continue
    const end = lines.indexOf(match[2]!, i + 1)
    outputs[match[1]!] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

function describeRun(r: RunResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 6000)}\n--- stderr\n${r.stderr.slice(0, 3000)}`
}

async function lineOf(file: string, text: string): Promise<number> {
  return (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.includes(text)) + 1
}

describe('the Action on a pull request', () => {
  let first: ActionRun

  it('fetches the base, scans what the pull request adds, and fails on the stealer', async () => {
    first = await runAction('pull_request', { comment: 'true', 'fail-on': 'high' })
    expect(first.code, describeRun(first)).toBe(1)
    expect(first.stdout).toContain(`fetching ${base} from origin`)
    expect(first.outputs.verdict).toBe('malicious')
    expect(Number(first.outputs.findings)).toBeGreaterThan(0)
    expect(first.stdout).toMatch(/::error::Tarsier: 1 malicious and 0 suspicious packages; findings at or above high/)
  }, 120_000)

  it('annotates the lockfile line that brings the stealer in', async () => {
    const line = await lineOf(join(workspace, 'package-lock.json'), `"node_modules/${STEALER}": {`)
    expect(line).toBeGreaterThan(0)
    expect(first.stdout).toContain(`::error title=Tarsier%3A env-exfiltration in ${STEALER}@1.0.0 (malicious),file=package-lock.json,line=${line}::`)
  })

  it('writes a job summary with the changed packages, their verdicts and the evidence', () => {
    expect(first.summary).toMatch(/^## Tarsier: 1 malicious in 2 added or changed packages/)
    expect(first.summary).toContain(`| \`${STEALER}@1.0.0\` | added | 🔴 **malicious** |`)
    expect(first.summary).toContain(`| \`${TOOLKIT}@1.0.0\` | added |`)
    expect(first.summary).toContain('`env-exfiltration`')
  })

  it("applies the base's configuration, not the one the pull request brings", () => {
    // The head's config would switch env-exfiltration off and suppress it: neither happens.
    expect(first.summary).toContain('tarsier\\.config\\.json differs from its version at')
    expect(first.summary).toContain(`by tarsier.config.json (read from ${base} (${base.slice(0, 12)}))`)
    expect(first.summary).not.toContain('it is fine')
  })

  it('writes SARIF that validates, with the stealer at its lockfile line and doc links to the Action repository', async () => {
    const sarifFile = first.outputs['sarif-file']!
    const log = JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri?: string }> } }; results: Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> }
    expect(sarifSchemaErrors(log)).toEqual([])
    expect(githubSarifProblems(log as never)).toEqual([])
    const line = await lineOf(join(workspace, 'package-lock.json'), `"node_modules/${STEALER}": {`)
    const exfil = log.runs[0]!.results.find((r) => r.ruleId === 'env-exfiltration')!
    expect(exfil.locations[0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: 'package-lock.json' }, region: { startLine: line } })
    expect(log.runs[0]!.tool.driver.rules.find((r) => r.id === 'env-exfiltration')!.helpUri).toBe('https://github.example/example/tarsier/blob/v1/rules/env-exfiltration.md')
  })

  it('comments once on the pull request, through every page of comments, with the token', () => {
    const mine = github.comments.filter((c) => c.user.login === 'github-actions[bot]')
    expect(mine).toHaveLength(1)
    expect(mine[0]!.body.startsWith(`${MARKER}\n## Tarsier: 1 malicious`)).toBe(true)
    expect(github.comments.find((c) => c.id === 2)!.body).toBe(`${MARKER}\nall clean, trust me`)
    const calls = github.requests.map((r) => `${r.method} ${r.url}`)
    expect(calls).toContain('GET /repos/octo/app/issues/7/comments?per_page=100&page=2')
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /repos/octo/app/issues/7/comments'])
    expect(calls.some((c) => c.startsWith('PATCH'))).toBe(false)
    expect(github.requests.every((r) => r.authorization === 'Bearer test-token')).toBe(true)
  })

  it('a second run updates that comment in place instead of adding one', async () => {
    const before = github.requests.length
    const second = await runAction('pull_request', { comment: 'true' })
    expect(second.code, describeRun(second)).toBe(1)
    const calls = github.requests.slice(before).map((r) => `${r.method} ${r.url}`)
    const mine = github.comments.filter((c) => c.user.login === 'github-actions[bot]')
    expect(mine).toHaveLength(1)
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([])
    expect(calls.filter((c) => c.startsWith('PATCH'))).toEqual([`PATCH /repos/octo/app/issues/comments/${mine[0]!.id}`])
    expect(second.stdout).not.toContain('fetching')
  }, 120_000)

  it('with fail-on none the step passes and still reports', async () => {
    const relaxed = await runAction('pull_request', { 'fail-on': 'none' })
    expect(relaxed.code, describeRun(relaxed)).toBe(0)
    expect(relaxed.outputs.verdict).toBe('malicious')
  }, 120_000)

  it('a configuration that does not validate fails the step with the problem', async () => {
    const bad = join(sandbox.work, 'bad.config.json')
    await writeFile(bad, JSON.stringify({ suppressions: [{ rule: 'env-exfiltration', package: STEALER, version: '1.0.0' }] }))
    const result = await runAction('pull_request', { config: bad })
    expect(result.code, describeRun(result)).toBe(1)
    expect(result.stdout).toContain("must have required property 'reason'")
  }, 120_000)
})

describe('the Action on a push', () => {
  it('scans the whole tree and comments nowhere', async () => {
    const before = github.requests.length
    const push = await runAction('push', { comment: 'true' })
    expect(push.code, describeRun(push)).toBe(1)
    expect(push.stdout).toContain('(push: full scan)')
    expect(push.outputs.verdict).toBe('malicious')
    expect(push.summary).toMatch(/^## Tarsier: 1 malicious in \d+ packages/)
    expect(push.summary).not.toContain('Compared with')
    expect(github.requests.length).toBe(before)
    const log = JSON.parse(await readFile(push.outputs['sarif-file']!, 'utf8')) as unknown
    expect(sarifSchemaErrors(log)).toEqual([])
  }, 120_000)
})
