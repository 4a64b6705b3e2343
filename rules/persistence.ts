import { onFileFlow, ownText, placeOf } from '../src/analyze/flow-rules.ts'
import { whenRuns } from '../src/analyze/sinks.ts'
import { defineRule, type Severity, type SourceFileView } from '../src/types.ts'

/**
 * Places the system reads at login, boot or shell start, as lower-cased slash paths (`~` for the
 * home directory). Each pattern is a plain alternation anchored on a literal: linear time.
 */
const AUTOSTART_PATHS: Array<[RegExp, string]> = [
  [/(?:^|\/)\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|zlogin|kshrc|cshrc|tcshrc)$/, 'a shell startup file'],
  [/\/\.config\/fish\/(?:config\.fish|conf\.d\/)/, 'a shell startup file'],
  [/^\/etc\/(?:profile(?:\.d\/|$)|bash\.bashrc$|zsh\/?zshrc$|zshrc$|rc\.local$|init\.d\/)/, 'a system startup file'],
  [/(?:^\/etc\/cron|^\/var\/spool\/cron\/|^\/etc\/crontab$)/, 'a crontab'],
  [/\/\.config\/systemd\/user\/|^\/(?:etc|lib|usr\/lib)\/systemd\/(?:system|user)\//, 'a systemd unit'],
  [/\/\.config\/autostart\/|^\/etc\/xdg\/autostart\//, 'an XDG autostart entry'],
  [/\/library\/launch(?:agents|daemons)\//, 'a macOS launch agent'],
  [/\/start menu\/programs\/startup\/|\/microsoft\/windows\/start menu\/programs\/startup/, 'the Windows Startup folder'],
  [/\/(?:windows)?powershell\/(?:microsoft\.powershell_)?profile\.ps1$/, 'a PowerShell profile'],
]

/** Commands that register something to run later or at login. */
const AUTOSTART_COMMANDS: Array<[RegExp, string]> = [
  [/\|\s*crontab\b|\bcrontab\s+(?!-[lre]\b)[^\s;&|]/, 'installs a crontab'],
  [/\bschtasks(?:\.exe)?\s+\/create\b/, 'creates a scheduled task'],
  [/\blaunchctl\s+(?:load|bootstrap|submit)\b/, 'loads a macOS launch agent'],
  [/\bsystemctl\s+(?:--user\s+)?enable\b/, 'enables a systemd unit'],
  [/>>?\s*["']?(?:~|\$home|\$\{home\}|<home>)\/\.(?:bashrc|bash_profile|profile|zshrc|zprofile)\b/, 'appends to a shell startup file'],
]

function autostartPath(path: string): string | undefined {
  const normal = path.replace(/\\+/g, '/').replace(/\/{2,}/g, '/').toLowerCase()
  for (const [pattern, what] of AUTOSTART_PATHS) if (pattern.test(normal)) return what
  return undefined
}

/** A registry write (`reg add`, PowerShell `New-ItemProperty`) …; the Run key is checked with `includes`: linear. */
const REGISTRY_WRITE = /\b(?:reg(?:\.exe)?\s+add|(?:new|set)-itemproperty)\b/
const RUN_KEY = /\\currentversion\\run(?:once)?(?![a-z])/

export function autostartCommand(command: string): string | undefined {
  const lower = command.toLowerCase()
  if (REGISTRY_WRITE.test(lower) && RUN_KEY.test(lower)) return 'adds a Run registry key'
  for (const [pattern, what] of AUTOSTART_COMMANDS) if (pattern.test(lower)) return what
  return undefined
}

function severityFor(file: { entryKind: SourceFileView['entryKind'] }): Severity {
  return file.entryKind === 'install' ? 'high' : 'medium'
}

/**
 * Persistence (GuardDog `threat-filesystem-autostart`, `capability-process-schedule`): code or an
 * install script that writes to shell startup files, crontabs, systemd units, XDG autostart,
 * macOS LaunchAgents, the Windows Startup folder or PowerShell profile, or registers a crontab,
 * scheduled task, Run key, launch agent or systemd unit. High at install time.
 */
export default defineRule({
  meta: {
    id: 'persistence',
    severity: 'medium',
    description: 'Code that makes something run at login, boot or shell start (startup files, cron, launch agents, Run keys)',
    docs: 'rules/persistence.md',
  },
  create(context) {
    return {
      manifest() {
        const scripts = context.pkg.manifest?.scripts
        if (!scripts || typeof scripts !== 'object') return
        for (const name of ['preinstall', 'install', 'postinstall'] as const) {
          const command = scripts[name]
          if (typeof command !== 'string') continue
          const what = autostartCommand(command)
          if (!what) continue
          context.report({
            severity: 'high',
            file: 'package.json',
            entryKind: 'install',
            message: `The ${name} script ${what} (${JSON.stringify(command.slice(0, 120))}): npm install leaves something that runs again at login or on a schedule.`,
          })
        }
      },
      'Program:exit': onFileFlow((flow, file) => {
        for (const event of flow.files) {
          if (event.kind !== 'write' || !ownText(event)) continue
          const what = autostartPath(event.pathText)
          if (!what) continue
          context.report({
            ...placeOf(file, event),
            severity: severityFor(file),
            message: `Writes to ${event.pathText}, ${what}: what it writes runs again at every login, boot or shell start.${whenRuns(file)}`,
          })
        }
        for (const event of flow.exec) {
          if (event.family !== 'process' || !ownText(event)) continue
          const what = autostartCommand(event.text)
          if (!what) continue
          context.report({
            ...placeOf(file, event),
            severity: severityFor(file),
            message: `${event.api}(${JSON.stringify(event.text.slice(0, 120))}) ${what}: it makes something run again at login or on a schedule.${whenRuns(file)}`,
          })
        }
      }),
    }
  },
})
