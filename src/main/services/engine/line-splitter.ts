// Cuts decoded stderr text into lines for the live log, in time linear in its size whatever the chunking:
// the pieces of the line in progress are kept in a list and joined once, at its newline. A line longer
// than `maxLineChars` keeps its beginning and a note of how much was left out, so that one enormous line
// never sits whole in memory nor travels whole to the window (the step's full log is kept elsewhere).
//
// A `\r` alone (tqdm, pip, curl redrawing their progress bar) starts the line over, as a terminal does: the
// line becomes a progress line whose current text is reported through `onProgress` after each write
// (not after each `\r`: a chunk may hold thousands of redraws), and only its final text becomes a line.
// `\r\n` is an ordinary line end, also when the two arrive in different chunks.

export class LineSplitter {
  private pieces: string[] = []
  private pieceChars = 0
  /** Characters of the current line beyond maxLineChars, dropped. */
  private dropped = 0
  /** The current line was started over by a `\r`: it is a progress line. */
  private progress = false
  /** The last chunk ended with `\r`: whether it ends the line (`\r\n`) or starts it over, the next one says. */
  private pendingCr = false
  /** The line's text changed in this write (nothing to report otherwise). */
  private changed = false
  /** Characters looked at so far: what the work is proportional to. */
  scanned = 0

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = 64 * 1024,
    /** The current text of the unfinished progress line, or null once it has ended (its final text then comes as a line). */
    private readonly onProgress?: (line: string | null) => void
  ) {}

  /** Characters of the unfinished line held in memory now. */
  get heldChars(): number {
    return this.pieceChars
  }

  write(text: string): void {
    if (!text) return
    this.scanned += text.length
    let start = 0
    if (this.pendingCr) {
      this.pendingCr = false
      if (text.charCodeAt(0) === LF) {
        this.endLine()
        start = 1
      } else this.startOver()
    }
    // Each of the two searches moves only forward, so the work stays linear even when one of the
    // characters is rare (a 150,000-line burst with a single `\r` at its end).
    let nl = text.indexOf('\n', start)
    let cr = text.indexOf('\r', start)
    while (nl >= 0 || cr >= 0) {
      if (cr >= 0 && (nl < 0 || cr < nl)) {
        this.keep(text, start, cr)
        if (cr + 1 === text.length) {
          this.pendingCr = true
          start = text.length
          break
        }
        if (text.charCodeAt(cr + 1) === LF) {
          this.endLine()
          start = cr + 2
          nl = text.indexOf('\n', start)
        } else {
          this.startOver()
          start = cr + 1
        }
        cr = text.indexOf('\r', start)
      } else {
        this.keep(text, start, nl)
        this.endLine()
        start = nl + 1
        nl = text.indexOf('\n', start)
      }
    }
    this.keep(text, start, text.length)
    if (this.progress && this.changed) this.onProgress?.(this.current())
    this.changed = false
  }

  /** The stream ended: a last line without a newline still counts, and so does a progress line's final text. */
  end(): void {
    this.pendingCr = false
    if (this.pieceChars || this.dropped) this.endLine()
    else if (this.progress) {
      this.progress = false
      this.onProgress?.(null)
    }
  }

  private keep(text: string, from: number, to: number): void {
    if (to > from) this.changed = true
    const room = Math.max(0, this.maxLineChars - this.pieceChars)
    const take = Math.min(room, to - from)
    if (take > 0) {
      this.pieces.push(text.slice(from, from + take))
      this.pieceChars += take
    }
    this.dropped += to - from - take
  }

  private current(): string {
    let line = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('')
    if (this.dropped) line += ` … [stepwise] ${this.dropped} more characters of this line are in the step's full log`
    return line
  }

  /** A `\r`: what follows overwrites the line. */
  private startOver(): void {
    this.pieces = []
    this.pieceChars = 0
    this.dropped = 0
    this.progress = true
    this.changed = true
  }

  private endLine(): void {
    const line = this.current()
    this.pieces = []
    this.pieceChars = 0
    this.dropped = 0
    if (this.progress) {
      this.progress = false
      this.onProgress?.(null)
    }
    this.onLine(line)
  }
}

const LF = 10
