import { existsSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import * as core from '@actions/core'
import { diffScan } from '../diff.ts'
import { COMMENT_MAX_CHARS, formatMarkdown } from '../report/markdown.ts'
import { anchorFileOf, formatSarif, projectDirOf } from '../report/sarif.ts'
import { toolRepositoryUrl } from '../report/tool-repository.ts'
import { exitCodeOf, EXIT } from '../report/exit-code.ts'
import { UsageError } from '../resolve/usage-error.ts'
import { scan } from '../scan.ts'
import type { ScanReport, Verdict } from '../types.ts'
import { worstFindingAnnotations } from './annotations.ts'
import { COMMENT_MARKER, upsertComment } from './comment.ts'
import { planFromEvent } from './event.ts'
import { ensureCommit } from './git-fetch.ts'
import { readInputs, type ActionInputs } from './inputs.ts'

/**
 * The GitHub Action: on a pull request, `tarsier diff` against the base commit; on any other
 * event, `tarsier scan`. Writes the SARIF log, the job summary, annotations for the worst findings,
 * the outputs, and (opt-in) one pull request comment kept up to date. Fails the step on findings at
 * or above `fail-on`, on a scan that is incomplete, and on bad inputs or configuration.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readInputs(env)
    const plan = planFromEvent(env)
    const workspace = env.GITHUB_WORKSPACE || process.cwd()
    if (plan.eventName === 'pull_request_target') {
      core.warning('pull_request_target runs with a write token and secrets next to the pull request: run Tarsier on pull_request (see its README).')
    }

    const common = {
      ...(inputs.registry && { registry: inputs.registry }),
      config: inputs.config ? { explicit: inputs.config } : {},
    }
    let report: ScanReport
    if (plan.mode === 'diff') {
      const base = await ensureCommit(directoryOf(inputs.path), inputs.baseRef ?? plan.baseSha, (line) => core.info(line))
      core.info(`Tarsier: comparing ${inputs.path} with the base ${inputs.baseRef ?? 'of the pull request'} (${base.slice(0, 12)})`)
      report = await diffScan({ path: inputs.path, base, ...common })
    } else {
      core.info(`Tarsier: scanning ${inputs.path} (${plan.eventName || 'no event'}: full scan)`)
      report = await scan({ target: inputs.path, ...common })
    }

    await mkdir(dirname(inputs.sarifFile), { recursive: true })
    await writeFile(inputs.sarifFile, formatSarif(report, { repoRoot: workspace, ...(docsBaseUrl(env) && { docsBaseUrl: docsBaseUrl(env)! }) }))

    const runUrl = env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(formatMarkdown(report, { displayRoot: workspace, maxChars: 250_000 })).write()

    const { annotations, omitted } = worstFindingAnnotations(report, { lockfile: anchorFileOf(report), projectDir: projectDirOf(report) }, workspace)
    for (const a of annotations) core[a.level](a.message, { title: a.title, ...(a.file && { file: a.file }), ...(a.startLine && { startLine: a.startLine }) })
    if (omitted > 0) core.info(`${omitted} more findings are not annotated: see the job summary and the SARIF log`)
    for (const w of report.warnings) core.warning(w)

    if (inputs.comment) await comment(report, plan, inputs, env, workspace, runUrl)

    const findings = report.packages.reduce((n, p) => n + p.findings.length, 0)
    core.setOutput('verdict', worstVerdict(report))
    core.setOutput('findings', String(findings))
    core.setOutput('sarif-file', inputs.sarifFile)

    const code = inputs.failOn === 'none' ? (report.incomplete ? EXIT.incomplete : EXIT.clean) : exitCodeOf(report, inputs.failOn)
    if (code === EXIT.findings) core.setFailed(`Tarsier: ${report.summary.malicious} malicious and ${report.summary.suspicious} suspicious packages; findings at or above ${inputs.failOn}`)
    else if (code === EXIT.incomplete) core.setFailed(`Tarsier: ${report.summary.notScanned} packages could not be scanned, so the result is incomplete`)
    else core.info(`Tarsier: ${findings} findings, none at or above ${inputs.failOn}`)
  } catch (error) {
    const e = error as Error
    core.setFailed(e instanceof UsageError ? `Tarsier: ${e.message}` : `Tarsier failed: ${e.message}`)
    if (!(e instanceof UsageError)) core.debug(e.stack ?? '')
  }
}

async function comment(report: ScanReport, plan: ReturnType<typeof planFromEvent>, inputs: ActionInputs, env: NodeJS.ProcessEnv, workspace: string, runUrl: string | undefined): Promise<void> {
  if (plan.mode !== 'diff') {
    core.info('comment: only pull requests are commented on')
    return
  }
  if (!inputs.githubToken) {
    core.warning('comment: no github-token, so no comment')
    return
  }
  const body = formatMarkdown(report, { displayRoot: workspace, maxChars: COMMENT_MAX_CHARS - COMMENT_MARKER.length - 1, fullReportHint: runUrl ? `the job summary of ${runUrl}` : 'the job summary' })
  try {
    const done = await upsertComment({ apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token: inputs.githubToken, owner: plan.owner, repo: plan.repo, number: plan.number }, body)
    core.info(`comment ${done.action} (id ${done.id})`)
  } catch (error) {
    // A read-only token (a pull request from a fork) must not turn a clean result into a failure.
    core.warning(`Tarsier: ${(error as Error).message}`)
  }
}

function worstVerdict(report: ScanReport): Verdict {
  if (report.summary.malicious > 0) return 'malicious'
  if (report.summary.suspicious > 0) return 'suspicious'
  return 'clean'
}

/** Rule doc links: the Action's own repository at the ref the workflow uses, else the package's. */
function docsBaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_ACTION_REPOSITORY && env.GITHUB_ACTION_REF) return `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_ACTION_REPOSITORY}/blob/${env.GITHUB_ACTION_REF}/`
  const repository = toolRepositoryUrl()
  return repository ? `${repository}/blob/main/` : undefined
}

function directoryOf(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path)
}
