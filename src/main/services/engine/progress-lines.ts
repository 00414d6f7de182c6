// The stored log keeps each progress line (a line redrawn with `\r` alone, as tqdm, pip and curl do) at
// its final text, as a terminal would show it, instead of every redraw: a ten-minute progress bar is a
// few lines in the record, not megabytes of one glued line. Text streams through: only the part of the
// current line after its last `\r` is held, and only while it is short enough to be a progress line;
// a longer one is passed on as it comes and its later `\r`s are left in place.

/** Longer than any progress bar: past this, the text since the line's start (or last `\r`) is not held. */
const MAX_HELD_CHARS = 64 * 1024

export class ProgressLineCollapser {
  private held: string[] = []
  private heldChars = 0
  /** The current line outgrew MAX_HELD_CHARS and is being passed on as it comes, `\r`s included. */
  private passing = false
  /** The last chunk ended with `\r`: the next says whether that ends the line or starts it over. */
  private pendingCr = false

  constructor(private readonly out: (text: string) => void) {}

  write(text: string): void {
    if (!text) return
    if (this.pendingCr) {
      this.pendingCr = false
      if (text.charCodeAt(0) === LF) {
        this.release()
        this.out('\r')
      } else this.dropHeld()
    }
    // `from`: the first character of this chunk not yet passed on; `lineStart`: where the current segment
    // (the text since the line's start or its last `\r`) begins in this chunk.
    let from = 0
    let lineStart = 0
    let nl = text.indexOf('\n')
    // Each search moves only forward (linear work); a line being passed on is not searched for `\r` at all.
    let cr = this.passing ? NOT_SEARCHED : text.indexOf('\r')
    while (nl >= 0 || cr >= 0) {
      if (cr >= 0 && (nl < 0 || cr < nl)) {
        if (cr + 1 === text.length) {
          this.pass(text, from, lineStart)
          this.hold(text, lineStart, cr)
          this.pendingCr = !this.passing
          if (this.passing) this.out('\r')
          return
        }
        if (text.charCodeAt(cr + 1) !== LF) {
          // The line starts over: what it showed so far is dropped.
          this.pass(text, from, lineStart)
          this.dropHeld()
          from = lineStart = cr + 1
        }
        cr = text.indexOf('\r', cr + 1)
        continue
      }
      // A line end: the held start of the line goes out before the rest of it.
      this.release()
      this.passing = false
      lineStart = nl + 1
      nl = text.indexOf('\n', lineStart)
      if (cr === NOT_SEARCHED) cr = text.indexOf('\r', lineStart)
    }
    this.pass(text, from, lineStart)
    this.hold(text, lineStart, text.length)
  }

  /** The stream ended: the last line, at its final text, goes out (a trailing `\r` with it dropped). */
  end(): void {
    this.pendingCr = false
    this.release()
    this.passing = false
  }

  private pass(text: string, from: number, to: number): void {
    if (to > from) this.out(text.slice(from, to))
  }

  private hold(text: string, from: number, to: number): void {
    if (to <= from) return
    if (this.passing) return this.out(text.slice(from, to))
    this.held.push(text.slice(from, to))
    this.heldChars += to - from
    if (this.heldChars > MAX_HELD_CHARS) {
      this.release()
      this.passing = true
    }
  }

  private release(): void {
    if (this.heldChars) this.out(this.held.length === 1 ? this.held[0] : this.held.join(''))
    this.dropHeld()
  }

  private dropHeld(): void {
    this.held = []
    this.heldChars = 0
  }
}

const LF = 10
const NOT_SEARCHED = -2
