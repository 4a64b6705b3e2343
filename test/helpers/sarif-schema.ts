import { readFileSync } from 'node:fs'
import ajvDraft04 from 'ajv-draft-04'
import ajvFormats from 'ajv-formats'

// CommonJS modules: their `default` export is the class and the plugin.
const Ajv4 = ajvDraft04.default
const addFormats = ajvFormats.default

// The SARIF 2.1.0 schema (test/schemas/README.md says where it comes from). Draft 04, with one
// pattern that is not valid in Unicode mode, hence unicodeRegExp: false.
const schema = JSON.parse(readFileSync(new URL('../schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8')) as object
const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false })
addFormats(ajv)
const validate = ajv.compile(schema)

/** Schema violations of a SARIF log, as `path: message` lines; empty when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
}

interface GitHubSarif {
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; shortDescription?: { text: string }; fullDescription?: { text: string }; help?: { text: string }; properties?: { 'security-severity'?: string } }> } }
    results: Array<{ ruleId: string; message: { text: string }; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }>; partialFingerprints?: Record<string, string> }>
  }>
}

/**
 * What GitHub code scanning requires beyond the schema (docs: "SARIF support for code scanning"):
 * non-empty rule descriptions and help, a security-severity from 0.1 to 10, and per result a
 * message, a first location with a URI and a start line, and partial fingerprints.
 */
export function githubSarifProblems(log: GitHubSarif): string[] {
  const problems: string[] = []
  for (const run of log.runs) {
    if (!run.tool.driver.name) problems.push('driver without a name')
    const ids = new Set<string>()
    for (const rule of run.tool.driver.rules) {
      ids.add(rule.id)
      if (!rule.shortDescription?.text || rule.shortDescription.text.length > 1024) problems.push(`${rule.id}: shortDescription`)
      if (!rule.fullDescription?.text || rule.fullDescription.text.length > 1024) problems.push(`${rule.id}: fullDescription`)
      if (!rule.help?.text) problems.push(`${rule.id}: help.text`)
      const score = Number(rule.properties?.['security-severity'])
      if (!(score >= 0.1 && score <= 10)) problems.push(`${rule.id}: security-severity ${rule.properties?.['security-severity']}`)
    }
    for (const [i, result] of run.results.entries()) {
      if (!ids.has(result.ruleId)) problems.push(`result ${i}: rule ${result.ruleId} not in driver.rules`)
      if (!result.message.text) problems.push(`result ${i}: empty message`)
      const first = result.locations?.[0]?.physicalLocation
      if (!first?.artifactLocation?.uri) problems.push(`result ${i}: no location URI`)
      if (!(Number(first?.region?.startLine) >= 1)) problems.push(`result ${i}: no start line`)
      if (!result.partialFingerprints?.primaryLocationLineHash) problems.push(`result ${i}: no primaryLocationLineHash`)
    }
  }
  return problems
}
