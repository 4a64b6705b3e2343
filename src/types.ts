import type * as t from '@babel/types'

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s)
}

export type Verdict = 'malicious' | 'suspicious' | 'clean'

/** Where the code of a file runs when the package is installed and used. */
export type EntryKind = 'install' | 'require' | 'other'

/**
 * When a file of the scanned project itself (source `root`) runs: on `npm install`, on an npm
 * script (`npm start`, `npm run dev` …), when the folder is opened in VS Code, on a git hook, when
 * a dev container is created, when a tool loads its configuration file, or when the project's main
 * module is loaded (`import`).
 */
export type RunTrigger =
  | 'npm-install'
  | `npm-script:${string}`
  | 'folder-open'
  | `git-hook:${string}`
  | `devcontainer:${string}`
  | `tool-config:${string}`
  | 'import'

/** A command line of the scanned project that an ordinary action runs (a script, hook, task). */
export interface ProjectCommand {
  /** File the command is written in: `package.json`, `.git/hooks/post-checkout`, `.vscode/tasks.json` … */
  file: string
  line?: number
  /** Which script, task or hook: `scripts.dev`, `post-checkout` … */
  label: string
  command: string
  runs: RunTrigger
}

/** How a dependency reaches the tree: registry tarballs are the only ones verified by integrity. */
export type PackageSource = 'registry' | 'git' | 'remote' | 'file' | 'directory' | 'link' | 'root'

/** One package of the resolved tree, identified by the lockfile, never by the tarball's own package.json. */
export interface PackageRef {
  name: string
  version: string
  /** What pacote fetches: the lockfile's resolved URL, or name@version when the lockfile omits it. */
  spec: string
  resolved?: string
  integrity?: string
  source: PackageSource
  /** Slash path of the entry in the lockfile / tree, e.g. `node_modules/a/node_modules/b`. */
  location: string
  dev: boolean
  optional: boolean
  /** Absolute directory to read from disk instead of fetching (root project, links, `.tgz` targets use `tarballPath`). */
  directory?: string
  tarballPath?: string
  /** 1-based line of the package's entry in the lockfile (yarn, pnpm and bun lockfiles). */
  lockfileLine?: number
  /** Package names from a direct dependency of the root (or a workspace member) to this package, along a shortest path. */
  path?: string[]
}

/** A file of a package as read into memory. */
export interface PackageFile {
  path: string
  size: number
  /** Absent when the file was too large to keep; the reason is a finding. */
  content?: Buffer
  /** `content` holds only the first bytes of the file (fetch/kept-content.ts): `size` is the whole. */
  partial?: boolean
}

export interface Finding {
  ruleId: string
  severity: Severity
  message: string
  /** Package path of the file the evidence is in, e.g. `lib/install.js` or `package.json`. */
  file?: string
  line?: number
  column?: number
  snippet?: string
  /** When the code holding the evidence runs. */
  entryKind?: EntryKind
  /** Root project only: the ordinary action that runs the code holding the evidence. */
  runs?: RunTrigger
  /**
   * A file outside the package that it writes or reads as a hand-off between packages (a staged
   * token or payload under the home or temp directory), for cross-package correlation.
   */
  handoff?: Handoff
}

export interface Handoff {
  /** Normalised path, `~/` for the home directory and `<tmp>/` for the temp directory. */
  path: string
  access: 'write' | 'read'
  /** What was written (network data, decoded data) or what the read content reaches (network, exec). */
  detail?: string
}

export type PackageStatus = 'scanned' | 'not-fetched' | 'failed'

export interface PackageResult {
  name: string
  version: string
  location: string
  source: PackageSource
  resolved?: string
  integrity?: string
  dev: boolean
  optional: boolean
  /** Line of the package's entry in the lockfile, when the format tells. */
  lockfileLine?: number
  /** Shortest chain of dependencies from the project to this package, the direct dependency first. */
  path?: string[]
  status: PackageStatus
  /** Why the package was not scanned (status other than `scanned`). */
  error?: string
  verdict: Verdict
  findings: Finding[]
  stats: { files: number; jsFiles: number; bytes: number }
  /** In a diff: how this package differs from the base lockfile. */
  change?: DependencyChange
  /** Findings a suppression of the configuration accepted: not in `findings`, not counted, not gating. */
  suppressed?: SuppressedFinding[]
}

/** A finding that a suppression of the configuration file accepted, with the reason it gives. */
export interface SuppressedFinding extends Finding {
  suppression: { reason: string; expires?: string }
}

/** The configuration file a report was made with (see docs/configuration.md). */
export interface ReportConfig {
  /** Path of the file, relative to the project when it is inside it. */
  path: string
  /** Where it was read: `working tree`, or the git ref of a diff's base. */
  readFrom: string
  /** Rules switched off or given another severity. */
  rules: Record<string, 'off' | Severity>
  /** Suppressions applied (at least one finding each), expired, and unused. */
  suppressions: { applied: number; expired: number; unused: number }
}

/** One difference between the base and head lockfiles of a diff. */
export interface DependencyChange {
  kind: 'added' | 'version-changed' | 'resolved-host-changed' | 'integrity-changed' | 'removed'
  name: string
  /** Head version (base version for `removed`). */
  version: string
  /** Versions of the same name in the base lockfile, for `version-changed`. */
  previousVersions?: string[]
  location: string
  resolved?: string
  previousResolved?: string
  integrity?: string
  previousIntegrity?: string
  /** Line of the entry in the head lockfile (base lockfile for `removed`), when the format tells. */
  lockfileLine?: number
}

export interface ScanReport {
  schemaVersion: 1
  tool: { name: 'tarsier'; version: string }
  target: string
  targetKind: TargetKind
  startedAt: string
  durationMs: number
  /** True when at least one package could not be fetched or read: exit code 3. */
  incomplete: boolean
  summary: {
    packages: number
    scanned: number
    notScanned: number
    malicious: number
    suspicious: number
    findings: Record<Severity, number>
  }
  /** Problems with the target itself, e.g. a lockfile that could not be read fully. */
  warnings: string[]
  packages: PackageResult[]
  /** Present for `tarsier diff`: what was compared, and every change (only added and changed packages are scanned). */
  diff?: { base: string; lockfile: string; changes: DependencyChange[] }
  /** Present when a configuration file was applied. */
  config?: ReportConfig
}

export type TargetKind = 'lockfile' | 'node_modules' | 'package.json' | 'tarball' | 'registry-spec' | 'package-directory'

// ---------------------------------------------------------------- rules

export interface RuleMeta {
  /** kebab-case, equal to the module's file name under rules/. */
  id: string
  severity: Severity
  description: string
  /** Path of the doc page, relative to the repository root. */
  docs: string
}

/** The fetched package as rules see it. */
export interface PackageView {
  ref: PackageRef
  /** `package.json` from the tarball (attacker-controlled, unlike `ref`). Undefined when missing or invalid. */
  manifest?: Manifest
  files: ReadonlyMap<string, PackageFile>
  /** Entry kind per JS file path, computed from scripts and the main/exports/bin graph. */
  entryKinds: ReadonlyMap<string, EntryKind>
  /** Install-time script names (`preinstall`, …) that reach each file. */
  installScriptsOf(path: string): string[]
  /** What was unusual about the tarball itself (links, traversal, limits hit). */
  anomalies: readonly TarballAnomaly[]
  /** Root project only: when each file runs (see RunTrigger), and the commands ordinary actions run. */
  project?: { runs: ReadonlyMap<string, RunTrigger>; commands: readonly ProjectCommand[] }
  /** Set when the package could not be fetched: rules about the lockfile entry still run. */
  fetchFailure?: FetchFailure
}

export interface FetchFailure {
  reason: string
  /** Not fetched by policy (git, remote, directory dependencies), as opposed to failed. */
  notFetched?: boolean
  /** `retried`: a later download matched and was scanned; the mismatch is still evidence. */
  integrityMismatch?: { expected: string; actual?: string; retried?: boolean }
}

export interface TarballAnomaly {
  kind: 'symlink' | 'hardlink' | 'path-traversal' | 'absolute-path' | 'special-file' | 'duplicate-entry' | 'outside-package-dir' | 'file-too-large' | 'too-many-files' | 'too-large' | 'compression-ratio' | 'corrupt' | 'invalid-name'
  path: string
  detail: string
}

export interface Manifest {
  name?: string
  version?: string
  main?: string
  bin?: string | Record<string, string>
  exports?: unknown
  type?: string
  scripts?: Record<string, string>
  dependencies?: Record<string, string>
  [key: string]: unknown
}

export interface SourceFileView {
  path: string
  text: string
  entryKind: EntryKind
  /** Install scripts (by name) that run this file, empty when none do. */
  installScripts: string[]
  /** Root project only: the ordinary action that runs this file. */
  runs?: RunTrigger
  /** Undefined when the file could not be parsed: only `text` listeners run then. */
  ast?: t.File
  /** Why the file could not be parsed. */
  parseError?: string
}

export interface ReportDescriptor {
  message: string
  /** Defaults to the rule's severity. */
  severity?: Severity
  /** AST node whose location and source the finding points at. */
  node?: t.Node
  file?: string
  line?: number
  column?: number
  snippet?: string
  /** Defaults to the entry kind of the current file when the finding is in it. */
  entryKind?: EntryKind
  /** Defaults to when the finding's file runs, for the root project. */
  runs?: RunTrigger
  handoff?: Handoff
}

export interface RuleContext {
  readonly pkg: PackageView
  /** The file being analysed, for `text` and AST listeners. */
  readonly file?: SourceFileView
  /** Static value of an expression after constant folding, or undefined when not static. */
  staticString(node: t.Node | null | undefined): string | undefined
  /**
   * Like `staticString`, saying how the value was obtained: `computed` when it is not a plain
   * literal (concatenation, join, template, lookup), `decoded` when decoding was involved (char
   * codes, base64/hex, XOR, reversal, a decoder function of the file, an obfuscator.io string array).
   */
  foldString(node: t.Node | null | undefined): { value: string; computed: boolean; decoded: boolean } | undefined
  /** Module an expression refers to: `require('x')`, an alias of it, or an import binding. */
  moduleOf(node: t.Node | null | undefined): ModuleRef | undefined
  /** What a name is bound to in this file, when it is bound once (`const x = init`); else undefined. */
  initOf(node: t.Node | null | undefined): t.Node | undefined
  /** Ancestors of the node being visited, nearest last. */
  ancestors(): readonly t.Node[]
  report(descriptor: ReportDescriptor): void
}

export interface ModuleRef {
  /** Module name without the `node:` prefix, e.g. `child_process`. */
  module: string
  /** Member path below the module, e.g. `exec` for `cp.exec`; empty for the module itself. */
  member: string
}

type NodeListener<T extends t.Node> = (node: T, context: RuleContext) => void

export type AstListeners = { [K in t.Node['type']]?: NodeListener<Extract<t.Node, { type: K }>> }

export interface RuleListeners extends AstListeners {
  /** Runs once per package with the tarball's package.json. */
  manifest?: (context: RuleContext) => void
  /** Runs once per JS file on its text, parsed or not. */
  text?: (context: RuleContext) => void
  /** Runs after the traversal of a parsed file. */
  'Program:exit'?: (node: t.Program, context: RuleContext) => void
  /** Runs once per package after every file: for decisions that need facts from several files. */
  'Package:exit'?: (context: RuleContext) => void
}

export interface Rule {
  meta: RuleMeta
  /** Called once per package; return listeners, or an empty object when the rule does not apply. */
  create(context: RuleContext): RuleListeners
}

export function defineRule(rule: Rule): Rule {
  return rule
}
