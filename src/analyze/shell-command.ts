/**
 * Reading of shell commands (npm scripts and strings handed to child_process): what they fetch
 * and what they run. Every pattern here is linear-time: attackers choose these strings.
 */

export interface ShellFinding {
  kind: 'download-exec' | 'exfiltration' | 'reverse-shell' | 'network'
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

/** The most serious thing a command does with the network, or undefined. */
export function inspectShellCommand(command: string): ShellFinding | undefined {
  if (command.length > 100_000) command = command.slice(0, 100_000)
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
  if (NETWORK_TOOL.test(command)) {
    if (HOST_DATA.test(command)) return { kind: 'exfiltration', detail: 'sends host data (user, host name, environment) over the network' }
    return { kind: 'network', detail: 'contacts the network' }
  }
  return undefined
}
