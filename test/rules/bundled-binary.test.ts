import { describe, expect, it } from 'vitest'
import rule, { binaryFormatOf } from '../../rules/bundled-binary.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

/** The first bytes of each format, padded: enough for the magic-byte check, nothing runnable. */
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)])
const machO = Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), Buffer.alloc(56)])
function pe(): Buffer {
  const b = Buffer.alloc(0x100)
  b.write('MZ', 0, 'latin1')
  b.writeUInt32LE(0x80, 0x3c)
  b.write('PE\0\0', 0x80, 'latin1')
  return b
}
/** A Java class file: CAFEBABE followed by its version (52 = Java 8), not a universal Mach-O. */
const javaClass = Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]), Buffer.alloc(24)])

new RuleTester().run(rule, {
  valid: [
    { name: 'plain JavaScript', code: 'module.exports = 1' },
    { name: 'a file named .exe that is text', files: { 'docs/setup.exe.md': '# setup' } },
    { name: 'a Java class file', files: { 'lib/Main.class': javaClass } },
    { name: 'a text file that starts with MZ', files: { 'names.txt': 'MZ is a postcode area\n'.repeat(10) } },
    { name: 'the root project', files: { 'bin/tool': elf }, ref: { source: 'root' } },
  ],
  invalid: [
    {
      name: 'a platform package shipping its prebuilt tool (esbuild-style): low',
      manifest: { name: '@acme/tool-linux-x64', version: '1.0.0', os: ['linux'], cpu: ['x64'] },
      files: { 'bin/tool': elf },
      errors: [{ severity: 'low', file: 'bin/tool', message: /^Ships a compiled executable or library: bin\/tool \(ELF\)\. The package is limited to some platforms/ }],
    },
    {
      name: 'an executable that the postinstall script runs: medium',
      manifest: { name: 'helper', version: '1.0.0', scripts: { postinstall: './vendor/helper.exe --setup' } },
      files: { 'vendor/helper.exe': pe() },
      errors: [{ severity: 'medium', message: /helper\.exe \(PE\)\. The postinstall script runs it at install time/ }],
    },
    {
      name: 'a Mach-O library with no install script: low',
      files: { 'lib/libx.dylib': machO },
      errors: [{ severity: 'low', message: /lib\/libx\.dylib \(Mach-O\)\. Code rules cannot read it/ }],
    },
    {
      name: 'prebuilt native addons',
      files: { 'prebuilds/linux-x64/addon.node': elf, 'prebuilds/darwin-arm64/addon.node': machO },
      errors: [{ severity: 'low', message: /^Ships prebuilt native addons .*prebuilds\/linux-x64\/addon\.node \(ELF\), prebuilds\/darwin-arm64\/addon\.node \(Mach-O\)/ }],
    },
    {
      name: 'an addon built from source by node-gyp: info',
      manifest: { name: 'addon', version: '1.0.0', gypfile: true },
      files: { 'binding.gyp': '{ "targets": [] }', 'src/addon.cc': '// C++' },
      errors: [{ severity: 'info', file: 'binding.gyp', message: /^Builds a native addon from C\/C\+\+ source \(binding\.gyp\) \(npm runs node-gyp rebuild on install\)/ }],
    },
  ],
})

describe('binaryFormatOf', () => {
  it('reads ELF, Mach-O (thin and universal) and PE magic, and nothing else', () => {
    expect(binaryFormatOf(elf)).toBe('ELF')
    expect(binaryFormatOf(machO)).toBe('Mach-O')
    expect(binaryFormatOf(Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]), Buffer.alloc(8)]))).toBe('Mach-O')
    expect(binaryFormatOf(pe())).toBe('PE')
    expect(binaryFormatOf(javaClass)).toBeUndefined()
    expect(binaryFormatOf(Buffer.from('MZ'))).toBeUndefined()
    // An MZ header whose PE offset points outside the file.
    const broken = pe()
    broken.writeUInt32LE(0xfffffff0, 0x3c)
    expect(binaryFormatOf(broken)).toBeUndefined()
  })
})
