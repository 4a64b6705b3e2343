import type { Rule } from '../src/types.ts'
import binScriptOverride from './bin-script-override.ts'
import browserCredentialTheft from './browser-credential-theft.ts'
import bundledBinary from './bundled-binary.ts'
import clipboardAccess from './clipboard-access.ts'
import credentialFileTheft from './credential-file-theft.ts'
import cryptomining from './cryptomining.ts'
import debugAccess from './debug-access.ts'
import destructiveAction from './destructive-action.ts'
import dnsExfiltration from './dns-exfiltration.ts'
import dynamicCodeExecution from './dynamic-code-execution.ts'
import encodedPayload from './encoded-payload.ts'
import envExfiltration from './env-exfiltration.ts'
import envFilePayload from './env-file-payload.ts'
import homoglyphIdentifier from './homoglyph-identifier.ts'
import hostFingerprintExfiltration from './host-fingerprint-exfiltration.ts'
import ideAutorunTask from './ide-autorun-task.ts'
import installScript from './install-script.ts'
import installTimeChildProcess from './install-time-child-process.ts'
import integrityMismatch from './integrity-mismatch.ts'
import invisibleCharacters from './invisible-characters.ts'
import keylogging from './keylogging.ts'
import manifestConfusion from './manifest-confusion.ts'
import nonRegistryDependency from './non-registry-dependency.ts'
import obfuscatedCode from './obfuscated-code.ts'
import obfuscatedRequire from './obfuscated-require.ts'
import outputSuppression from './output-suppression.ts'
import persistence from './persistence.ts'
import remoteCodeExecution from './remote-code-execution.ts'
import repositoryAutorun from './repository-autorun.ts'
import securityPlaceholder from './security-placeholder.ts'
import selfPropagation from './self-propagation.ts'
import shadyLinks from './shady-links.ts'
import silentProcessExecution from './silent-process-execution.ts'
import stagedPayloadFile from './staged-payload-file.ts'
import steganography from './steganography.ts'
import tarballAnomaly from './tarball-anomaly.ts'
import tlsVerificationDisabled from './tls-verification-disabled.ts'
import typosquatting from './typosquatting.ts'
import unparsedFile from './unparsed-file.ts'
import walletAddressSwap from './wallet-address-swap.ts'
import walletHarvesting from './wallet-harvesting.ts'
import webhookExfiltration from './webhook-exfiltration.ts'

/** Every rule, sorted by id. */
export const rules: readonly Rule[] = [
  binScriptOverride,
  browserCredentialTheft,
  bundledBinary,
  clipboardAccess,
  credentialFileTheft,
  cryptomining,
  debugAccess,
  destructiveAction,
  dnsExfiltration,
  dynamicCodeExecution,
  encodedPayload,
  envExfiltration,
  envFilePayload,
  homoglyphIdentifier,
  hostFingerprintExfiltration,
  ideAutorunTask,
  installScript,
  installTimeChildProcess,
  integrityMismatch,
  invisibleCharacters,
  keylogging,
  manifestConfusion,
  nonRegistryDependency,
  obfuscatedCode,
  obfuscatedRequire,
  outputSuppression,
  persistence,
  remoteCodeExecution,
  repositoryAutorun,
  securityPlaceholder,
  selfPropagation,
  shadyLinks,
  silentProcessExecution,
  stagedPayloadFile,
  steganography,
  tarballAnomaly,
  tlsVerificationDisabled,
  typosquatting,
  unparsedFile,
  walletAddressSwap,
  walletHarvesting,
  webhookExfiltration,
]
