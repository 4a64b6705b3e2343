import rule from '../../rules/unparsed-file.ts'
import { MAX_PARSE_BYTES } from '../../src/analyze/engine.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

new RuleTester().run(rule, {
  valid: [
    'module.exports = function () { return 1 }',
    // The parser ladder reads all of these; none should reach this rule.
    { name: 'TypeScript in a .js file', code: 'enum Mode { A, B }\nconst x = obj!.y as string' },
    { name: 'JSX in a .js file', code: 'export const App = () => <div className="x">{props.children}</div>' },
    { name: 'Flow in a .js file', code: '// @flow\ntype T = {| a: number |}\nfunction f(x: ?string): T { return { a: 1 } }' },
    { name: 'with statement (script-only)', code: 'with (Math) { x = cos(PI) }' },
    { name: 'legacy octal and HTML comments (script-only)', code: "var n = 010, s = '\\101'\n<!-- old\nvar z = 1" },
    { name: 'decorators', code: '@sealed class A { @readonly x = 1 }' },
    { name: 'top-level return in .cjs', filename: 'a.cjs', code: 'if (!process.env.X) return\nmodule.exports = 1' },
    { name: 'top-level await in .mjs', filename: 'a.mjs', code: "const m = await import('./x.mjs')" },
    { name: 'a byte-order mark before the code', code: '\uFEFFmodule.exports = 1' },
    { name: 'files that are not JavaScript are not parsed', files: { 'README.md': 'a b c ;;; {', 'data.json': '{ not json', 'types.d.ts': 'declare const x: {' } },
    { name: 'an inline node -e script that parses', manifest: { name: 'a', scripts: { postinstall: `node -e "try{require('./postinstall')}catch(e){}"` } } },
  ],
  invalid: [
    {
      name: 'broken code in an ordinary file is low',
      filename: 'lib/broken.js',
      code: 'function (',
      errors: [{ severity: 'low', file: 'lib/broken.js', line: 1, message: /^Could not parse lib\/broken\.js: Unexpected token \(1:\d+\)\. Only lexical rules analysed it\.$/ }],
    },
    {
      name: 'broken code in the main file is medium',
      manifest: { name: 'a', version: '1.0.0', main: 'index.js' },
      code: 'a b c ;;; {',
      errors: [{ severity: 'medium', file: 'index.js' }],
    },
    {
      name: 'broken code run at install time is high',
      installTime: true,
      code: 'x = "unterminated',
      errors: [{ severity: 'high', message: 'The postinstall script runs this file, and code that hides from parsers there is suspicious.' }],
    },
    {
      name: 'a broken inline node -e script is high',
      manifest: { name: 'a', version: '1.0.0', scripts: { preinstall: `node -e "require('x'"` } },
      errors: [{ severity: 'high', file: 'package.json#scripts.preinstall', message: 'The preinstall script runs this file' }],
    },
    {
      name: 'nesting deeper than the parser stack is reported, not a crash',
      installTime: true,
      code: `x = ${'('.repeat(100_000)}1${')'.repeat(100_000)}`,
      errors: [{ severity: 'high', message: /brackets nest|parser gave up/ }],
    },
    {
      name: 'a file above the parse limit is not parsed, and says so',
      code: `// ${'x'.repeat(MAX_PARSE_BYTES)}`,
      errors: [{ severity: 'medium', message: /^Could not parse index\.js: file is larger than the \d+ MB parse limit\./ }],
    },
    {
      name: 'one finding per broken file',
      files: { 'a.js': '}{', 'b.mjs': 'import {', 'c.ts': 'let x: = 1', 'ok.js': '1' },
      errors: [{ file: 'a.js' }, { file: 'b.mjs' }, { file: 'c.ts' }],
    },
  ],
})
