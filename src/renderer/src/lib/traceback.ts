// Finds the places in a Python traceback that point into a step's own script. The runner names the temp
// script `step_<order + 1>_<name>.py` (numbered as the window shows steps), so a frame naming that file is a line
// of the step's code; frames in the standard library or other modules are left alone.

export interface TracebackFrame {
  line: number
  /** Index of the text line this frame was found on. */
  textLine: number
}

const FRAME = /File "([^"]*)", line (\d+)/

export function scriptFrameOf(text: string, order: number): number | null {
  const m = FRAME.exec(text)
  if (!m) return null
  const base = m[1].split(/[\\/]/).pop() ?? ''
  const fileOrder = /^step_(\d+)_.*\.py$/.exec(base)
  // Runs recorded before the files were numbered from 1 named them `step_<order>_…`: a step's log only ever
  // names its own script, so either number is that step's.
  const n = Number(fileOrder?.[1])
  if (order < 0 || !fileOrder || (n !== order + 1 && n !== order)) return null
  return Number(m[2])
}

export function tracebackFrames(text: string, order: number): TracebackFrame[] {
  const frames: TracebackFrame[] = []
  text.split('\n').forEach((lineText, i) => {
    const line = scriptFrameOf(lineText, order)
    if (line !== null) frames.push({ line, textLine: i })
  })
  return frames
}

/** The innermost frame of the step's script: where a person wants to look first. */
export function lastScriptLine(text: string, order: number): number | null {
  const frames = tracebackFrames(text, order)
  return frames.length ? frames[frames.length - 1].line : null
}

export interface ErrorSummary {
  /** The first line, e.g. "Script failed with exit code 1". */
  headline: string
  /** The exception Python ended with, e.g. "ZeroDivisionError: division by zero"; null if none was found. */
  exception: string | null
  /** The frames in the step's own script, outermost first, with the source line Python printed. */
  frames: { line: number; func: string | null; code: string | null }[]
}

const FRAME_FUNC = /, in (.+)$/
const CARETS = /^[\s^~]+$/

/** Reads the runner's error text (a headline, then the stderr tail) into what a person looks for first. */
export function summarizeError(text: string, order: number): ErrorSummary {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const headline = (lines[0] ?? '').replace(/:\s*$/, '')
  const frames: ErrorSummary['frames'] = []
  lines.forEach((l, i) => {
    const line = scriptFrameOf(l, order)
    if (line === null) return
    const next = lines[i + 1]
    const code = next && /^\s{4,}\S/.test(next) && !FRAME.test(next) ? next.trim() : null
    frames.push({ line, func: FRAME_FUNC.exec(l)?.[1] ?? null, code })
  })
  let exception: string | null = null
  if (lines.some((l) => l.startsWith('Traceback (most recent call last)'))) {
    for (let i = lines.length - 1; i > 0; i--) {
      const l = lines[i]
      if (!l.trim() || CARETS.test(l) || /^\s/.test(l)) continue
      exception = l.trim()
      break
    }
  }
  return { headline, exception, frames }
}
