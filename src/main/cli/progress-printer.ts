// The run's progress on stderr: steps starting and ending, their log lines, and a step's progress bar (a
// line it redraws with `\r`). On a terminal the bar is one line rewritten in place; into a file or a pipe
// (CI logs, `2> run.log`) it cannot be rewritten, so its state is printed as a line at most once a second
// and its final text arrives as an ordinary log line when it ends.
import { terminalText } from './terminal-text'

const PIPE_PROGRESS_EVERY_MS = 1000
const LOG_PREFIX = '  │ '

export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

export class ProgressPrinter {
  /** A progress line is on the terminal now, without its newline. */
  private shown = false
  private lastPipedAt = -Infinity

  constructor(
    private readonly out: ProgressStream,
    private readonly now: () => number = Date.now
  ) {}

  /** Text of lines of its own (a step started or ended, a notice): a progress line on screen is cleared first. */
  say(text: string): void {
    this.clear()
    this.out.write(terminalText(text))
  }

  /** A batch of a step's log: its complete lines, then its unfinished progress line if it has one. */
  log(lines: readonly string[], progress: string | undefined): void {
    if (lines.length) this.clear()
    for (const line of lines) this.out.write(terminalText(`${LOG_PREFIX}${line}\n`))
    if (progress === undefined) return this.clear()
    if (this.out.isTTY) {
      this.out.write(`\r${fitWidth(terminalText(`${LOG_PREFIX}${progress}`), (this.out.columns ?? 80) - 1)}\x1b[K`)
      this.shown = true
    } else if (this.now() - this.lastPipedAt >= PIPE_PROGRESS_EVERY_MS) {
      this.lastPipedAt = this.now()
      this.out.write(terminalText(`${LOG_PREFIX}${progress}\n`))
    }
  }

  /** Takes a progress line off the terminal. */
  clear(): void {
    if (!this.shown) return
    this.out.write('\r\x1b[K')
    this.shown = false
  }
}

/**
 * The text cut to `columns` terminal cells: a line that wraps can no longer be rewritten with `\r`. Hangul,
 * CJK and full-width forms take two cells.
 */
export function fitWidth(text: string, columns: number): string {
  let cells = 0
  let i = 0
  for (const ch of text) {
    const w = WIDE.test(ch) ? 2 : 1
    if (cells + w > columns) return text.slice(0, i)
    cells += w
    i += ch.length
  }
  return text
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud840-\ud87f][\udc00-\udfff]/
