/**
 * Reading of shell commands (npm scripts and strings handed to child_process): what they fetch
 * and what they run. Every pattern here is linear-time: attackers choose these strings.
 */

export interface ShellFinding {
  /** `hidden-command`: a command passed encoded (PowerShell `-EncodedCommand`) whose text does nothing worse. */
  kind: 'download-exec' | 'exfiltration' | 'reverse-shell' | 'network' | 'hidden-command'
  detail: string
}

const NETWORK_TOOL = /\b(?:curl|wget|nc|ncat|netcat|telnet|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|Net\.WebClient|certutil|bitsadmin)\b/i
const SHELL_SINK = /^\s*(?:sudo\s+)?(?:ba|z|da|k|fi)?sh\b|^\s*(?:sudo\s+)?(?:node|nodejs|python[0-9.]*|perl|ruby|php|bun|deno)\b|^\s*(?:iex|Invoke-Expression)\b/i
// $(curl …), `curl …`, and process substitution: bash <(curl …)
const COMMAND_SUBSTITUTION_FETCH = /\$\(\s*(?:curl|wget)\b|`\s*(?:curl|wget)\b|<\(\s*(?:curl|wget)\b/i
const POWERSHELL_DOWNLOAD_EXEC = /\b(?:DownloadString|DownloadFile|Invoke-WebRequest|iwr)\b[^\n]{0,400}?\b(?:iex|Invoke-Expression|Start-Process)\b|\b(?:iex|Invoke-Expression)\b[^\n]{0,400}?\b(?:DownloadString|Invoke-WebRequest|iwr|irm)\b/i
const REVERSE_SHELL = /\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat)\b[^\n|;&]{0,200}\s-(?:e|c)\s/i
// Host data spliced into a request: $(whoami), `hostname`, $HOME, %USERNAME%, ${npm_package_name} …
const HOST_DATA = /\$\(\s*(?:whoami|hostname|id|uname|pwd|cat|env|printenv|ls|curl)\b|`\s*(?:whoami|hostname|id|uname|pwd|cat|env|printenv)\b|\$\{?(?:HOME|USER|USERNAME|HOSTNAME|PWD|LOGNAME|PATH|npm_[a-z_]+)\b|%(?:USERNAME|COMPUTERNAME|USERDOMAIN|USERPROFILE)%/i

/** Splits a command line into its `a && b`, `a; b` and `a || b` steps (pipes stay inside a step). */
function steps(command: string): string[] {
  return command.split(/&&|\|\||;|\n/)
}

const POWERSHELL = /\b(?:powershell|pwsh)(?:\.exe)?\b/gi
const BASE64_TOKEN = /^[A-Za-z0-9+/]{8,}={0,2}$/

/**
 * The commands a PowerShell invocation hides with `-EncodedCommand` (base64 of UTF-16LE; any
 * unambiguous prefix of the option works: `-e`, `-ec`, `-enc`, …), decoded.
 */
export function encodedPowerShellCommands(command: string): string[] {
  const decoded: string[] = []
  for (const match of command.matchAll(POWERSHELL)) {
    const tokens = command.slice(match.index + match[0].length, match.index + match[0].length + 20_000).trim().split(/\s+/, 40)
    for (let i = 0; i < tokens.length - 1; i++) {
      const option = tokens[i]!.toLowerCase().replace(/^["']|["']$/g, '')
      if (!/^[-/]/.test(option)) continue
      const name = option.slice(1)
      if (name !== 'ec' && !(name.length >= 1 && 'encodedcommand'.startsWith(name))) continue
      const payload = tokens[i + 1]!.replace(/^["']|["']$/g, '')
      if (!BASE64_TOKEN.test(payload)) continue
      const text = Buffer.from(payload, 'base64').toString('utf16le')
      if (text.trim()) decoded.push(text)
      break
    }
    if (decoded.length >= 5) break
  }
  return decoded
}

/** The most serious thing a command does with the network, or undefined. */
export function inspectShellCommand(command: string, depth = 0): ShellFinding | undefined {
  if (command.length > 100_000) command = command.slice(0, 100_000)
  const hidden = depth < 2 ? encodedPowerShellCommands(command) : []
  for (const inner of hidden) {
    const finding = inspectShellCommand(inner, depth + 1)
    if (finding && finding.kind !== 'network' && finding.kind !== 'hidden-command') return { kind: finding.kind, detail: `${finding.detail}, hidden in a PowerShell -EncodedCommand (${JSON.stringify(inner.slice(0, 120))})` }
  }
  if (REVERSE_SHELL.test(command)) return { kind: 'reverse-shell', detail: 'opens a reverse shell (/dev/tcp or nc -e)' }
  if (COMMAND_SUBSTITUTION_FETCH.test(command)) return { kind: 'download-exec', detail: 'runs the output of a download as a command' }
  if (POWERSHELL_DOWNLOAD_EXEC.test(command)) return { kind: 'download-exec', detail: 'downloads and executes with PowerShell' }
  const parts = steps(command)
  for (const part of parts) {
    const pipeline = part.split('|')
    const fetchIndex = pipeline.findIndex((p) => NETWORK_TOOL.test(p))
    if (fetchIndex !== -1 && pipeline.slice(fetchIndex + 1).some((p) => SHELL_SINK.test(p))) {
      return { kind: 'download-exec', detail: 'pipes a download into an interpreter' }
    }
  }
  // curl -o /tmp/x … && chmod +x /tmp/x && /tmp/x
  const downloadStep = parts.findIndex((p) => /\b(?:curl|wget)\b/i.test(p) && /\s-(?:o|O)\b|\s--output\b|\s-O\s|\s>\s/.test(p))
  if (downloadStep !== -1 && parts.slice(downloadStep + 1).some((p) => /\bchmod\s+\+?[0-7]*x|^\s*(?:ba|z)?sh\s|^\s*\.\/|^\s*(?:node|python[0-9.]*)\s/i.test(p))) {
    return { kind: 'download-exec', detail: 'downloads a file, then makes it executable or runs it' }
  }
  if (hidden.length > 0) return { kind: 'hidden-command', detail: `runs a PowerShell command passed encoded (-EncodedCommand), so that it cannot be read: ${JSON.stringify(hidden[0]!.slice(0, 120))}` }
  if (NETWORK_TOOL.test(command)) {
    if (HOST_DATA.test(command)) return { kind: 'exfiltration', detail: 'sends host data (user, host name, environment) over the network' }
    return { kind: 'network', detail: 'contacts the network' }
  }
  return undefined
}
