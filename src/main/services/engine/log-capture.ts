// A step's stderr, kept with bounded memory: memory holds only its first and last 512 K characters, with
// each progress line (redrawn with `\r`) at its final text. The stored log is that head and tail with a note
// of what was left out between them; a failed step's error quotes the tail. The full log goes to a file:
// beside the step's script from the start in debug mode, else beside the database once it outgrows what
// the database keeps (stepwise-values/<run>/), so a long log is never lost, and up to a limit (1 GB) so a step
// printing without end cannot fill the disk.
import { mkdirSync, createWriteStream, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'
import { ProgressLineCollapser } from './progress-lines'

export const LOG_HEAD_CHARS = 512 * 1024
export const LOG_TAIL_CHARS = 512 * 1024

export class LogCapture {
  private head = ''
  private headDone = false
  private tailPieces: string[] = []
  private tailChars = 0
  private total = 0
  private file: WriteStream | null = null
  private filePath: string | null = null
  private fileError: Error | null = null
  private fileChars = 0
  /** Until the log outgrows what the database keeps: its raw text, to begin the spilled file with. */
  private early: string[] | null = null
  private earlyChars = 0
  private readonly collapser = new ProgressLineCollapser((text) => this.keep(text))

  /**
   * `path`: where the full log is written from the start (debug mode); else `spillPath`: where it goes once
   * it is longer than the database keeps; neither: only its ends are kept.
   */
  constructor(
    path: string | null,
    private readonly spillPath: string | null = null,
    private readonly maxChars = Infinity
  ) {
    if (path) this.openFile(path)
    else if (spillPath) this.early = []
  }

  /** Where the full log is, once there is one. */
  get fullLogPath(): string | null {
    return this.file && !this.fileError ? this.filePath : null
  }

  private openFile(path: string): void {
    try {
      mkdirSync(dirname(path), { recursive: true })
      this.file = createWriteStream(path, { encoding: 'utf8' })
      this.filePath = path
      this.file.on('error', (err) => (this.fileError ??= err))
    } catch (err) {
      this.fileError = err as Error
    }
  }

  private toFile(text: string): void {
    if (!this.file || this.fileError || this.fileChars > this.maxChars) return
    this.fileChars += text.length
    this.file.write(text)
    if (this.fileChars > this.maxChars)
      this.file.write(
        `\n[stepwise] the full log stops here: it passed ${Math.round(this.maxChars / (1 << 20))} M characters (the end is kept in the database).\n`
      )
  }

  /** Characters kept so far (progress redraws left out). */
  get length(): number {
    return this.total
  }

  write(text: string): void {
    if (!text) return
    if (this.early) {
      this.early.push(text)
      this.earlyChars += text.length
      if (this.earlyChars > LOG_HEAD_CHARS + LOG_TAIL_CHARS && this.spillPath) {
        const held = this.early
        this.early = null
        this.openFile(this.spillPath)
        for (const piece of held) this.toFile(piece)
      }
    } else this.toFile(text)
    this.collapser.write(text)
  }

  /** The stream ended: the last line (a progress line's final text) joins the kept ends. */
  end(): void {
    this.collapser.end()
  }

  private keep(text: string): void {
    this.total += text.length
    let rest = text
    if (!this.headDone) {
      let take = LOG_HEAD_CHARS - this.head.length
      if (take >= rest.length) take = rest.length
      else {
        // Never between the two halves of a surrogate pair: SQLite would store the lone half as U+FFFD.
        if (isHighSurrogate(rest.charCodeAt(take - 1))) take--
        this.headDone = true
      }
      this.head += rest.slice(0, take)
      rest = rest.slice(take)
    }
    if (!rest) return
    this.tailPieces.push(rest)
    this.tailChars += rest.length
    // Compact only once the tail holds twice its size, so each character is copied a bounded number of times.
    if (this.tailChars > 2 * LOG_TAIL_CHARS) {
      const joined = this.tailPieces.join('').slice(-LOG_TAIL_CHARS)
      this.tailPieces = [joined]
      this.tailChars = joined.length
    }
  }

  /** Closes the file; resolves once everything is on disk (or the file could not be written). */
  close(): Promise<void> {
    this.end()
    this.early = null
    return new Promise((resolve) => {
      const file = this.file
      if (!file || this.fileError) return resolve()
      file.end(() => resolve())
      file.once('error', () => resolve())
    })
  }

  /** The last `chars` characters (at most LOG_TAIL_CHARS). */
  tail(chars = LOG_TAIL_CHARS): string {
    const tail = (this.head + this.tailPieces.join('')).slice(-chars)
    return isLowSurrogate(tail.charCodeAt(0)) ? tail.slice(1) : tail
  }

  /**
   * The log as stored: the whole of it when it fits, else its head, a note naming how much was left out and
   * where the full log is (`fullLogAt`, null when it is not kept), and its tail.
   */
  text(fullLogAt: string | null): string {
    if (this.total <= LOG_HEAD_CHARS + LOG_TAIL_CHARS) return this.head + this.tailPieces.join('')
    const tail = this.tail()
    const omitted = this.total - this.head.length - tail.length
    const where = fullLogAt ? `the full log is in ${fullLogAt}` : 'the full log could not be kept'
    return `${this.head}${this.head.endsWith('\n') ? '' : '\n'}[stepwise] … ${omitted} characters of the log omitted here (${where}) …\n${tail}`
  }
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff
