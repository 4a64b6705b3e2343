import { defineRule, type PackageFile, type Severity } from '../src/types.ts'

type BinaryFormat = 'ELF' | 'Mach-O' | 'PE'

/** Names npm users know as compiled code, for files too large to have been read. */
const BINARY_EXTENSION = /\.(?:node|exe|dll|so(?:\.\d+)*|dylib)$/i
/** How many paths a finding lists. */
const LISTED = 5

/** The executable format a file's first bytes announce, or undefined. */
export function binaryFormatOf(content: Buffer): BinaryFormat | undefined {
  if (content.length < 8) return undefined
  if (content[0] === 0x7f && content[1] === 0x45 && content[2] === 0x4c && content[3] === 0x46) return 'ELF'
  const magic = content.readUInt32BE(0)
  if (magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe) return 'Mach-O'
  // 0xCAFEBABE is also a Java class file: a universal Mach-O counts a few architectures where a
  // class file has its version number (45 and up).
  if (magic === 0xcafebabe && content.readUInt32BE(4) > 0 && content.readUInt32BE(4) < 20) return 'Mach-O'
  if (content[0] === 0x4d && content[1] === 0x5a && content.length >= 0x40) {
    const offset = content.readUInt32LE(0x3c)
    if (offset + 4 <= content.length && content.readUInt32BE(offset) === 0x50450000) return 'PE'
  }
  return undefined
}

interface Shipped {
  path: string
  /** Undefined when the file was too large to read and only its name says what it is. */
  format?: BinaryFormat
}

function list(items: readonly Shipped[]): string {
  const shown = items.slice(0, LISTED).map((i) => (i.format ? `${i.path} (${i.format})` : `${i.path} (not read: too large)`))
  return items.length > LISTED ? `${shown.join(', ')} and ${items.length - LISTED} more` : shown.join(', ')
}

/**
 * Compiled code shipped in a package (GuardDog `bundled_binary`, NodeSecure and Socket
 * `hasNativeCode`): executables and shared libraries found by their magic bytes (ELF, Mach-O, PE),
 * prebuilt `.node` addons, and addons built from source at install (`binding.gyp`, `gypfile`).
 * Nobody reviews a binary the way they review JavaScript, and no code rule can read it.
 */
export default defineRule({
  meta: {
    id: 'bundled-binary',
    severity: 'low',
    description: 'Executables, shared libraries or native addons shipped in the package, and whether an install script runs them',
    docs: 'rules/bundled-binary.md',
  },
  create(context) {
    return {
      manifest() {
        const { ref, manifest, files } = context.pkg
        if (ref.source === 'root') return
        const addons: Shipped[] = []
        const executables: Shipped[] = []
        for (const [path, file] of files) {
          const shipped = classify(path, file)
          if (!shipped) continue
          if (/\.node$/i.test(path)) addons.push(shipped)
          else executables.push(shipped)
        }
        const installScripts = Object.entries(manifest?.scripts ?? {}).filter(
          ([name, command]) => ['preinstall', 'install', 'postinstall'].includes(name) && typeof command === 'string',
        ) as Array<[string, string]>
        const platformPackage = Array.isArray(manifest?.os) || Array.isArray(manifest?.cpu)

        if (executables.length > 0) {
          const run = installScripts.find(([, command]) => executables.some((e) => mentions(command, e.path)))
          const severity: Severity = run ? 'medium' : 'low'
          context.report({
            severity,
            file: executables[0]!.path,
            message: `Ships ${executables.length === 1 ? 'a compiled executable or library' : `${executables.length} compiled executables or libraries`}: ${list(executables)}.${
              run ? ` The ${run[0]} script runs it at install time (${JSON.stringify(run[1].slice(0, 120))}): compiled code no one can review here runs on npm install.` : platformPackage ? ' The package is limited to some platforms (os/cpu in package.json), the usual shape of a prebuilt tool.' : ' Code rules cannot read it; check where it comes from.'
            }`,
          })
        }
        if (addons.length > 0) {
          context.report({
            severity: 'low',
            file: addons[0]!.path,
            message: `Ships prebuilt native addon${addons.length === 1 ? '' : 's'} (compiled code loaded with require): ${list(addons)}.`,
          })
        }
        const gyp = files.has('binding.gyp') || manifest?.gypfile === true
        if (gyp) {
          const build = installScripts.find(([, command]) => /\b(?:node-gyp|prebuild-install|node-pre-gyp|cmake-js)\b/.test(command))
          context.report({
            severity: 'info',
            file: files.has('binding.gyp') ? 'binding.gyp' : 'package.json',
            message: `Builds a native addon from C/C++ source (${files.has('binding.gyp') ? 'binding.gyp' : '"gypfile": true'})${build ? ` in its ${build[0]} script` : installScripts.length === 0 ? ' (npm runs node-gyp rebuild on install)' : ''}: compiled code runs in the process.`,
          })
        }
      },
    }
  },
})

function classify(path: string, file: PackageFile): Shipped | undefined {
  if (file.content) {
    const format = binaryFormatOf(file.content)
    return format ? { path, format } : undefined
  }
  return BINARY_EXTENSION.test(path) ? { path } : undefined
}

/** Whether a script command names the file (its path or its base name as a word). */
function mentions(command: string, path: string): boolean {
  if (command.includes(path)) return true
  const base = path.slice(path.lastIndexOf('/') + 1)
  if (base.length < 3) return false
  const at = command.indexOf(base)
  if (at < 0) return false
  const before = command[at - 1]
  const after = command[at + base.length]
  return (before === undefined || /[\s/"'=]/.test(before)) && (after === undefined || /[\s"';&|)]/.test(after))
}
