// A running step's stderr lines on their way out: batched into live `run:log` events (every ~50 ms) and
// saved to the store about once a second, so that a crash keeps the logs up to then. A progress line
// (redrawn with `\r`) travels as its latest text only, at most once a batch; it is never saved until it
// ends and arrives as a line, so the record holds its final text and none of the redraws.
import type { Store } from '../store'

const LOG_FLUSH_MS = 50
const LOG_BATCH_MAX = 2000
const LOG_SAVE_MS = 1000
/**
 * How much of a running step's log is saved as it goes (for a crash). Appending rewrites the row, so past
 * this the rest waits for the step's end, where the full log is written once.
 */
const LIVE_LOG_SAVE_MAX_CHARS = 1024 * 1024

export class LogRecorder {
  private readonly pending = new Map<string, string[]>()
  /** Lines not yet in the database. */
  private readonly unsaved = new Map<string, string[]>()
  private readonly savedChars = new Map<string, number>()
  private readonly unsavedChars = new Map<string, number>()
  private saveTimer: NodeJS.Timeout | null = null
  private flushTimer: NodeJS.Timeout | null = null
  /** Each step's unfinished progress line now, and as last sent. */
  private readonly progressNow = new Map<string, string | null>()
  private readonly progressSent = new Map<string, string | null>()

  constructor(
    private readonly store: Store,
    private readonly executionId: string,
    /** `progress`: the step's unfinished progress line after `lines`, null when there is none. */
    private readonly emit: (stepId: string, lines: string[], progress: string | null) => void,
    /** Saving failed (disk full): reported, never thrown out of a timer, where it would end the process. */
    private readonly onWriteFailure: (err: unknown, what: string) => void = () => undefined
  ) {}

  /** The current text of the step's progress line, or null once it ended. */
  progress(stepId: string, line: string | null): void {
    this.progressNow.set(stepId, line)
    this.flushTimer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS)
  }

  log(stepId: string, line: string): void {
    const batch = this.pending.get(stepId)
    if (batch) batch.push(line)
    else this.pending.set(stepId, [line])
    this.flushTimer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS)
  }

  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    for (const [stepId, line] of this.progressNow) {
      if (!this.pending.has(stepId) && line !== (this.progressSent.get(stepId) ?? null)) this.pending.set(stepId, [])
    }
    for (const [stepId, lines] of this.pending) {
      const progress = this.progressNow.get(stepId) ?? null
      this.progressSent.set(stepId, progress)
      if (!lines.length) {
        this.emit(stepId, [], progress)
        continue
      }
      for (let i = 0; i < lines.length; i += LOG_BATCH_MAX) {
        this.emit(stepId, lines.slice(i, i + LOG_BATCH_MAX), i + LOG_BATCH_MAX >= lines.length ? progress : null)
      }
      // Only what the live save can still take is kept: past its limit the lines would be dropped anyway.
      let room = LIVE_LOG_SAVE_MAX_CHARS - (this.savedChars.get(stepId) ?? 0) - (this.unsavedChars.get(stepId) ?? 0)
      let kept = this.unsaved.get(stepId)
      if (!kept) this.unsaved.set(stepId, (kept = []))
      // One push per line: a spread of a 150,000-line burst would overflow the call stack.
      for (const line of lines) {
        if (room <= 0) break
        kept.push(line)
        room -= line.length + 1
      }
      this.unsavedChars.set(stepId, LIVE_LOG_SAVE_MAX_CHARS - (this.savedChars.get(stepId) ?? 0) - room)
    }
    this.pending.clear()
    if (this.unsaved.size) this.saveTimer ??= setTimeout(() => this.save(), LOG_SAVE_MS)
  }

  save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    if (!this.unsaved.size) return
    try {
      this.saveUnsaved()
    } catch (err) {
      this.onWriteFailure(err, 'the log of a running step')
    }
    this.unsaved.clear()
    this.unsavedChars.clear()
  }

  private saveUnsaved(): void {
    this.store.db
      .transaction(() => {
        for (const [stepId, lines] of this.unsaved) {
          const before = this.savedChars.get(stepId) ?? 0
          if (before >= LIVE_LOG_SAVE_MAX_CHARS) continue
          let text = `${lines.join('\n')}\n`
          const full = before + text.length >= LIVE_LOG_SAVE_MAX_CHARS
          if (full) {
            const room = text.slice(0, LIVE_LOG_SAVE_MAX_CHARS - before)
            text = `${room.slice(0, room.lastIndexOf('\n') + 1)}[stepwise] (the rest of the log is saved when the step ends)\n`
          }
          this.store.appendStepLogs(this.executionId, stepId, text)
          this.savedChars.set(stepId, full ? LIVE_LOG_SAVE_MAX_CHARS : before + text.length)
        }
      })
      .immediate()
  }

  /** The step ended and its full log is about to be written: the partial copy is no longer needed. */
  endStep(stepId: string): void {
    this.flush()
    this.unsaved.delete(stepId)
    this.unsavedChars.delete(stepId)
    // A retried step starts its next attempt's log from nothing.
    this.savedChars.delete(stepId)
  }

  /** The run ended: everything still waiting goes out now. */
  close(): void {
    this.flush()
    this.save()
  }
}
