import { Ajv, type ErrorObject } from 'ajv'
import schema from '../../schemas/tarsier.config.schema.json' with { type: 'json' }
import { UsageError } from '../resolve/usage-error.ts'
import type { Severity } from '../types.ts'

/** The configuration file, `tarsier.config.json` (schema: schemas/tarsier.config.schema.json). */
export interface TarsierConfig {
  rules?: Record<string, 'off' | Severity>
  suppressions?: Suppression[]
}

/** Findings of one rule in one exact package version (optionally exact bytes) that a reviewer accepted. */
export interface Suppression {
  rule: string
  package: string
  version: string
  integrity?: string
  reason: string
  /** Last day it applies, YYYY-MM-DD (UTC). */
  expires?: string
}

/** A configuration as read, with where it came from (for reports and messages). */
export interface LoadedConfig {
  config: TarsierConfig
  /** Path as shown to the user. */
  path: string
  /** `working tree`, or the git ref and commit of a diff's base. */
  readFrom: string
}

const ajv = new Ajv({ allErrors: true, strict: true })
ajv.addFormat('date', { type: 'string', validate: isCalendarDate })
const validate = ajv.compile<TarsierConfig>(schema)

/**
 * Parses and validates a configuration file's text. Throws a UsageError (exit code 2) that names
 * the file and every problem: invalid JSON, schema violations, rule ids that no rule has.
 */
export function parseConfig(text: string, label: string, knownRuleIds: ReadonlySet<string>): TarsierConfig {
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new UsageError(`${label}: not valid JSON (${(error as Error).message})`)
  }
  const valid = validate(data)
  const problems = valid ? [] : (validate.errors ?? []).map(describeError)
  problems.push(...unknownRuleIds(data, knownRuleIds))
  if (!valid || problems.length > 0) throw new UsageError(`${label}: invalid configuration\n${problems.map((p) => `  ${p}`).join('\n')}`)
  return data as TarsierConfig
}

/** Rule ids that no rule has, wherever the configuration names one (checked even when the schema fails). */
function unknownRuleIds(data: unknown, known: ReadonlySet<string>): string[] {
  const config = (typeof data === 'object' && data !== null ? data : {}) as { rules?: unknown; suppressions?: unknown }
  const named: Array<{ id: string; at: string }> = []
  if (typeof config.rules === 'object' && config.rules !== null) for (const id of Object.keys(config.rules)) named.push({ id, at: `/rules/${id}` })
  if (Array.isArray(config.suppressions)) {
    config.suppressions.forEach((s: unknown, i) => {
      const rule = (s as { rule?: unknown } | null)?.rule
      if (typeof rule === 'string') named.push({ id: rule, at: `/suppressions/${i}/rule` })
    })
  }
  return named.filter((r) => !known.has(r.id)).map((r) => `${r.at}: no rule is named ${r.id} (rules: ${[...known].sort().join(', ')})`)
}

function describeError(error: ErrorObject): string {
  const at = error.instancePath || '(top level)'
  if (error.keyword === 'additionalProperties') return `${at}: unknown property ${JSON.stringify(error.params.additionalProperty)}`
  if (error.keyword === 'enum') return `${at}: must be one of ${(error.params.allowedValues as string[]).join(', ')}`
  if (error.keyword === 'format' && error.params.format === 'date') return `${at}: must be a date written YYYY-MM-DD`
  if (error.keyword === 'pattern' && error.instancePath.endsWith('/reason')) return `${at}: must say why the finding is accepted`
  if (error.keyword === 'propertyNames') return `${at}: rule ids are kebab-case`
  return `${at}: ${error.message ?? error.keyword}`
}

/** YYYY-MM-DD naming a real day. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}
