import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import tar from 'tar-stream'
import rule from '../../rules/tarball-anomaly.ts'
import { readTarball } from '../../src/fetch/tarball-reader.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'
import type { Severity, TarballAnomaly } from '../../src/types.ts'

/** The anomalies the tarball reader finds in an archive with a symlink and a `../` entry. */
async function anomaliesOfHostileTarball(): Promise<TarballAnomaly[]> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  pack.on('data', (c: unknown) => chunks.push(c as Buffer))
  const ended = new Promise<void>((resolve) => pack.on('end', () => resolve()))
  pack.entry({ name: 'package/package.json' }, '{"name":"a","version":"1.0.0"}')
  pack.entry({ name: 'package/passwd.js', type: 'symlink', linkname: '/etc/passwd' })
  pack.entry({ name: 'package/../../.npmrc' }, '//registry.npmjs.org/:_authToken=x')
  pack.finalize()
  await ended
  return (await readTarball(Readable.from([gzipSync(Buffer.concat(chunks))]))).anomalies
}

const hostile = await anomaliesOfHostileTarball()

const anomaly = (kind: TarballAnomaly['kind'], path = 'x.js', detail = 'detail'): TarballAnomaly => ({ kind, path, detail })

const SEVERITY_OF: Array<[TarballAnomaly['kind'], Severity]> = [
  ['path-traversal', 'high'],
  ['absolute-path', 'high'],
  ['special-file', 'high'],
  ['compression-ratio', 'high'],
  ['hardlink', 'medium'],
  ['symlink', 'medium'],
  ['duplicate-entry', 'medium'],
  ['invalid-name', 'medium'],
  ['too-many-files', 'medium'],
  ['too-large', 'medium'],
  ['corrupt', 'medium'],
  ['outside-package-dir', 'low'],
  ['file-too-large', 'low'],
]

new RuleTester().run(rule, {
  valid: [
    { name: 'a clean tarball', code: 'module.exports = 1' },
    { name: 'a fetch failure has no anomalies', fetchFailure: { reason: 'E404' } },
  ],
  invalid: [
    ...SEVERITY_OF.map(([kind, severity]) => ({
      name: `${kind} is ${severity}`,
      anomalies: [anomaly(kind, 'lib/x.js', 'what happened')],
      errors: [{ severity, file: 'lib/x.js', message: `${kind}: what happened.` }],
    })),
    {
      name: 'a path-traversal entry keeps its raw path',
      anomalies: [anomaly('path-traversal', 'package/../../.bashrc', 'entry path climbs out of the package directory with ../')],
      errors: [{ severity: 'high', file: 'package/../../.bashrc' }],
    },
    {
      name: 'an archive-wide anomaly has no file',
      anomalies: [anomaly('corrupt', '', 'archive is damaged: unexpected end of file')],
      errors: [{ severity: 'medium', message: 'corrupt: archive is damaged: unexpected end of file.' }],
    },
    {
      name: 'every anomaly is reported, in order',
      anomalies: [anomaly('symlink', 'a'), anomaly('file-too-large', 'b'), anomaly('absolute-path', '/c')],
      errors: [
        { severity: 'medium', file: 'a' },
        { severity: 'low', file: 'b' },
        { severity: 'high', file: '/c' },
      ],
    },
    {
      name: 'anomalies found by the tarball reader',
      anomalies: hostile,
      errors: [
        { severity: 'medium', file: 'passwd.js', message: 'symlink: symbolic link to /etc/passwd.' },
        { severity: 'high', file: 'package/../../.npmrc', message: /^path-traversal: / },
      ],
    },
  ],
})
