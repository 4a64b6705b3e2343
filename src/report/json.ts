import type { ScanReport } from '../types.ts'

/** The JSON report (schema in docs/json-report.md): stable keys, one document on stdout. */
export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
