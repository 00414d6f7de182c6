// Cuts decoded stderr text into lines for the live log, in time linear in its size whatever the chunking:
// the pieces of the line in progress are kept in a list and joined once, at its newline. A line longer
// than `maxLineChars` keeps its beginning and a note of how much was left out, so that one enormous line
// never sits whole in memory nor travels whole to the window (the step's full log is kept elsewhere).

export class LineSplitter {
  private pieces: string[] = []
  private pieceChars = 0
  /** Characters of the current line beyond maxLineChars, dropped. */
  private dropped = 0
  /** Characters looked at so far: what the work is proportional to. */
  scanned = 0

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = 64 * 1024
  ) {}

  /** Characters of the unfinished line held in memory now. */
  get heldChars(): number {
    return this.pieceChars
  }

  write(text: string): void {
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl < 0) break
      this.keep(text, start, nl)
      this.endLine()
      start = nl + 1
    }
    this.keep(text, start, text.length)
    this.scanned += text.length
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.pieceChars || this.dropped) this.endLine()
  }

  private keep(text: string, from: number, to: number): void {
    const room = Math.max(0, this.maxLineChars - this.pieceChars)
    const take = Math.min(room, to - from)
    if (take > 0) {
      this.pieces.push(text.slice(from, from + take))
      this.pieceChars += take
    }
    this.dropped += to - from - take
  }

  private endLine(): void {
    let line = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('')
    if (this.dropped) line += ` … [stepwise] ${this.dropped} more characters of this line are in the step's full log`
    else if (line.endsWith('\r')) line = line.slice(0, -1)
    this.pieces = []
    this.pieceChars = 0
    this.dropped = 0
    this.onLine(line)
  }
}
