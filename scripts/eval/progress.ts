import { seconds } from './report.ts'

/** Progress on stderr: one line per event, prefixed with the time since the run started. */
export class Progress {
  private readonly started = Date.now()

  log(message: string): void {
    process.stderr.write(`[${seconds(Date.now() - this.started).padStart(9)}] ${message}\n`)
  }

  elapsed(): number {
    return Date.now() - this.started
  }
}
