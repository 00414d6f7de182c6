// Finds the places in a Python traceback that point into a step's own script. The runner names the temp
// script `step_<order>_<name>.py`, so a frame naming that file (with the failing step's order) is a line
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
  if (!fileOrder || Number(fileOrder[1]) !== order) return null
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
