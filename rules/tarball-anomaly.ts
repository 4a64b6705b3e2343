import { defineRule, type Severity, type TarballAnomaly } from '../src/types.ts'

const SEVERITY: Record<TarballAnomaly['kind'], Severity> = {
  'path-traversal': 'high',
  'absolute-path': 'high',
  'special-file': 'high',
  'compression-ratio': 'high',
  hardlink: 'medium',
  symlink: 'medium',
  'duplicate-entry': 'medium',
  'invalid-name': 'medium',
  'outside-package-dir': 'low',
  'file-too-large': 'low',
  'too-many-files': 'medium',
  'too-large': 'medium',
  corrupt: 'medium',
}

export default defineRule({
  meta: {
    id: 'tarball-anomaly',
    severity: 'medium',
    description: 'A package archive with entries npm would not produce: links, paths outside the package, bombs, damage',
    docs: 'rules/tarball-anomaly.md',
  },
  create(context) {
    return {
      manifest() {
        for (const anomaly of context.pkg.anomalies) {
          context.report({
            severity: SEVERITY[anomaly.kind],
            file: anomaly.path || undefined,
            message: `${anomaly.kind}: ${anomaly.detail}.`,
          })
        }
      },
    }
  },
})
