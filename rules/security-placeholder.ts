import { defineRule } from '../src/types.ts'

/** The version npm gives the placeholder it publishes over a package removed for malware. */
const PLACEHOLDER_VERSION = /^0\.0\.\d+-security(?:\.\d+)?$/
/** The description of npm's placeholder package.json, and the text of its README. */
const PLACEHOLDER_DESCRIPTION = /security holding package/i
const PLACEHOLDER_README = /removed from the registry by the npm security team|security holding package/i
const README = /^readme(?:\.(?:md|markdown|txt))?$/i

export default defineRule({
  meta: {
    id: 'security-placeholder',
    severity: 'critical',
    description: 'A dependency npm replaced with its 0.0.1-security placeholder after removing it for malware',
    docs: 'rules/security-placeholder.md',
  },
  create(context) {
    return {
      manifest() {
        const { ref, manifest, files } = context.pkg
        if (ref.source === 'root') return
        const lockedVersion = typeof ref.version === 'string' && PLACEHOLDER_VERSION.test(ref.version)
        const manifestVersion = typeof manifest?.version === 'string' && PLACEHOLDER_VERSION.test(manifest.version)
        const description = typeof manifest?.description === 'string' && PLACEHOLDER_DESCRIPTION.test(manifest.description)
        let readme = false
        for (const [path, file] of files) {
          if (README.test(path) && file.content && PLACEHOLDER_README.test(file.content.subarray(0, 64 * 1024).toString('utf8'))) readme = true
        }
        const versionHit = lockedVersion || manifestVersion
        const textHit = description || readme
        if (!versionHit && !textHit) return
        const name = (ref.source === 'file' && typeof manifest?.name === 'string' ? manifest.name : ref.name) || '(unnamed)'
        const version = lockedVersion ? ref.version : typeof manifest?.version === 'string' ? manifest.version : ref.version
        const evidence = [
          lockedVersion && `the tree locks version ${ref.version}`,
          !lockedVersion && manifestVersion && `its package.json says version ${String(manifest?.version)}`,
          description && 'its description is "security holding package"',
          readme && 'its README says the npm security team removed it',
        ].filter(Boolean)
        // Both the placeholder version and npm's text (or the version with nothing fetched to contradict
        // it) identify npm's placeholder: the name was published as malware. Either alone is weaker.
        const confirmed = versionHit && (textHit || !manifest)
        context.report({
          severity: confirmed ? 'critical' : 'high',
          file: manifest ? 'package.json' : undefined,
          message: confirmed
            ? `${name}@${version} is npm's security placeholder (${evidence.join('; ')}): npm removed this package because it contained malicious code. Any machine that installed an earlier version of it ran that code; find where the dependency came from and treat those machines as compromised.`
            : `${name}@${version} looks like npm's security placeholder for a package removed as malware (${evidence.join('; ')}), but not every mark of the placeholder is there: check where this dependency came from.`,
        })
      },
    }
  },
})
