import type { Rule } from '../src/types.ts'
import envExfiltration from './env-exfiltration.ts'
import installScript from './install-script.ts'
import installTimeChildProcess from './install-time-child-process.ts'
import integrityMismatch from './integrity-mismatch.ts'
import nonRegistryDependency from './non-registry-dependency.ts'
import tarballAnomaly from './tarball-anomaly.ts'
import unparsedFile from './unparsed-file.ts'

/** Every rule, sorted by id. */
export const rules: readonly Rule[] = [
  envExfiltration,
  installScript,
  installTimeChildProcess,
  integrityMismatch,
  nonRegistryDependency,
  tarballAnomaly,
  unparsedFile,
]
