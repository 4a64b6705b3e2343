import { isAbsolute, join, resolve } from 'node:path'
import * as core from '@actions/core'
import { SEVERITIES, type Severity } from '../types.ts'

/** The Action's inputs (action.yml), checked. Defaults live here, not in action.yml. */
export interface ActionInputs {
  /** Project directory or lockfile, absolute. */
  path: string
  /** Base of the diff on pull requests; default: the pull request's base commit. */
  baseRef?: string
  /** Fail the step on a finding at or above this severity; `none` never fails on findings. */
  failOn: Severity | 'none'
  /** Where the SARIF log is written, absolute. */
  sarifFile: string
  /** Post (and then update) one comment on the pull request. */
  comment: boolean
  /** Configuration file (read from the base ref on pull requests). */
  config?: string
  githubToken?: string
  registry?: string
}

export class InputError extends Error {}

export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const inWorkspace = (p: string) => (isAbsolute(p) ? p : resolve(workspace, p))
  const failOn = (core.getInput('fail-on') || 'high').toLowerCase()
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) throw new InputError(`fail-on: expected one of ${SEVERITIES.join(', ')} or none, not ${JSON.stringify(failOn)}`)
  const comment = (core.getInput('comment') || 'false').toLowerCase()
  if (comment !== 'true' && comment !== 'false') throw new InputError(`comment: expected true or false, not ${JSON.stringify(comment)}`)
  const baseRef = core.getInput('base-ref')
  if (baseRef && (baseRef.startsWith('-') || /\s/.test(baseRef))) throw new InputError(`base-ref: ${JSON.stringify(baseRef)} is not a git ref`)
  const sarifFile = core.getInput('sarif-file') || join(env.RUNNER_TEMP || workspace, 'tarsier.sarif')
  const config = core.getInput('config')
  const token = core.getInput('github-token') || env.GITHUB_TOKEN
  const registry = core.getInput('registry')
  return {
    path: inWorkspace(core.getInput('path') || '.'),
    ...(baseRef && { baseRef }),
    failOn: failOn as Severity | 'none',
    sarifFile: inWorkspace(sarifFile),
    comment: comment === 'true',
    ...(config && { config: inWorkspace(config) }),
    ...(token && { githubToken: token }),
    ...(registry && { registry }),
  }
}
