/**
 * What the behaviour rules built on the data flow (flow.ts) share: running on each parsed file
 * with its flow, locating a finding when the flow crosses files, explaining the cross-file part
 * in the message, and the evidence of the theft rules (reads of a kind of file, sends of its
 * content) with their common "read and sent" verdict.
 */
import type * as t from '@babel/types'
import type { ReportDescriptor, RuleContext, Severity, SourceFileView } from '../types.ts'
import { CARRIED, flowOf, type ExecEvent, type FileEvent, type FlowResult, type NetworkEvent } from './flow.ts'
import type { Site } from './module-summary.ts'
import { destinationOf, locate, whenRuns, type DestinationKind, type Location } from './sinks.ts'

export type FlowEvent = ExecEvent | NetworkEvent | FileEvent

/** A `Program:exit` listener that runs `check` with the file and its data flow (parsed files only). */
export function onFileFlow(check: (flow: FlowResult, file: SourceFileView, ctx: RuleContext) => void): (program: t.Program, ctx: RuleContext) => void {
  return (program, ctx) => {
    const file = ctx.file
    if (file) check(flowOf(program, ctx), file, ctx)
  }
}

/**
 * Where a finding about an event points. A request or an execution that this file reaches by
 * calling another file's exported function is reported at that sink (the message names the call);
 * file reads and writes through such a function at the call, where the path is.
 */
export function eventLocation(file: SourceFileView, event: FlowEvent): Location {
  const sink = event.cross?.sink
  if (!sink || event.kind === 'read' || event.kind === 'write') return locate(file, event.node)
  // It runs when the calling file runs.
  return { ...sink.site, entryKind: file.entryKind, installScripts: file.installScripts, ...(file.runs && { runs: file.runs }) }
}

/** The report fields that place a finding about an event (see `eventLocation`). */
export function placeOf(file: SourceFileView, event: FlowEvent): Pick<ReportDescriptor, 'node' | 'file' | 'line' | 'column' | 'snippet' | 'entryKind' | 'runs'> {
  const sink = event.cross?.sink
  return !sink || event.kind === 'read' || event.kind === 'write' ? { node: event.node } : at(eventLocation(file, event))
}

/** The report fields of a location. */
export function at(where: Location): Pick<ReportDescriptor, 'file' | 'line' | 'column' | 'snippet' | 'entryKind' | 'runs'> {
  return {
    ...(where.runs && { runs: where.runs }),
    file: where.file,
    ...(where.line !== undefined && { line: where.line }),
    ...(where.column !== undefined && { column: where.column }),
    ...(where.snippet !== undefined && { snippet: where.snippet }),
    entryKind: where.entryKind,
  }
}

/**
 * Whether the event's command, URL or path is a fact of this file. A call into another file's
 * function whose operand is fixed there repeats that file's own event: rules that judge the text
 * alone skip it (rules that judge what flows in keep it).
 */
export function ownText(event: FlowEvent): boolean {
  return !event.cross?.sink || event.cross.sink.fromCall
}

function siteText(site: Site): string {
  return site.line !== undefined ? `${site.file}:${site.line}` : site.file
}

/**
 * ` Across files: the data comes from collect() in lib/collect.js (lib/collect.js:3); index.js:7
 * hands it to send() in lib/net.js.` — or '' for a flow within one file. `labels`: which of the
 * event's labels the finding is about, to name the right source.
 */
export function crossFileNote(file: SourceFileView, event: FlowEvent, labels: number = CARRIED): string {
  const notes: string[] = []
  const source = event.cross?.sources?.find((s) => (s.labels & labels) !== 0)
  if (source) notes.push(`the data comes from ${source.via} (${siteText(source.site)})`)
  const sink = event.cross?.sink
  if (sink) {
    const call = siteText({ file: file.path, ...(event.node.loc && { line: event.node.loc.start.line }) })
    if (event.kind === 'read' || event.kind === 'write') notes.push(`${call} ${event.kind === 'read' ? 'reads' : 'writes'} it through ${sink.via} (${siteText(sink.site)})`)
    else notes.push(`${call} hands ${source ? 'it' : 'the data'} to ${sink.via}`)
  }
  return notes.length > 0 ? ` Across files: ${notes.join('; ')}.` : ''
}

export interface TheftRead {
  where: Location
  targets: string[]
}

export interface TheftSend {
  where: Location
  destination: { kind: DestinationKind; detail: string }
  /** The cross-file part of the flow, for the message. */
  note: string
}

/**
 * The evidence of a theft rule across a package: reads of one kind of sensitive file, sends of
 * their content, and how many files use the network. Collected per file, judged at `Package:exit`.
 */
export class TheftEvidence {
  readonly reads: TheftRead[] = []
  readonly sends: TheftSend[] = []
  networkFiles = 0

  /**
   * Records a file's reads of paths labelled `pathLabel` (targets named by `targetsOf`, reads
   * dropped by `keepRead`) and its sends of content labelled `contentLabel` (dropped by `keepSend`).
   */
  collect(
    flow: FlowResult,
    file: SourceFileView,
    options: { pathLabel: number; contentLabel: number; targetsOf: (read: FileEvent) => string[]; keepRead?: (read: FileEvent) => boolean; keepSend?: (send: NetworkEvent, destination: TheftSend['destination']) => boolean },
  ): void {
    if (flow.network.length > 0) this.networkFiles++
    for (const event of flow.files) {
      if (event.kind !== 'read' || (event.pathTaint & options.pathLabel) === 0 || (options.keepRead && !options.keepRead(event))) continue
      this.reads.push({ where: eventLocation(file, event), targets: options.targetsOf(event) })
    }
    for (const event of flow.network) {
      if ((event.taint & options.contentLabel) === 0) continue
      const destination = destinationOf(event.url)
      if (options.keepSend && !options.keepSend(event, destination)) continue
      this.sends.push({ where: eventLocation(file, event), destination, note: crossFileNote(file, event, options.contentLabel) })
    }
  }

  get empty(): boolean {
    return this.reads.length === 0 && this.sends.length === 0
  }

  /** Every target read, once. */
  targets(): string[] {
    return [...new Set(this.reads.flatMap((r) => r.targets))]
  }

  /**
   * The verdict every theft rule starts with: content read and sent over the network is critical,
   * wherever the read and the send are in the package. Undefined when nothing was sent. `aside`
   * follows the destination (`, a hard-coded destination`).
   */
  sentFinding(what: string, send: TheftSend | undefined = this.sends[0], aside = ''): { severity: Severity; message: string; where: Location } | undefined {
    if (!send) return undefined
    return { severity: 'critical', message: `${what} read and sent to ${send.destination.detail}${aside}.${send.note}`, where: send.where }
  }

  /** Reports the package's finding at `where` (default: the first send, else the first read). */
  report(context: RuleContext, severity: Severity, message: string, where: Location = this.sends[0]?.where ?? this.reads[0]!.where): void {
    context.report({ ...at(where), severity, message: message + whenRuns(where) })
  }
}
