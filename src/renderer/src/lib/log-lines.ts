// A recorded log as the lines a log view shows: only the last `cap` of them and how many were left out,
// found without splitting the whole text (a recorded log is not capped and can run to millions of lines).
// Logs recorded before progress lines were kept at their final text hold every redraw of a progress bar
// glued with `\r`; such a line shows what a terminal would: the text after its last `\r`.

export function splitLog(text: string | null | undefined, cap: number): { lines: string[]; dropped: number } {
  if (!text) return { lines: [], dropped: 0 }
  const body = text.endsWith('\n') ? text.slice(0, -1) : text
  // The cap-th line break from the end comes just before the first line kept.
  let cut = body.length
  for (let i = 0; i < Math.max(1, cap); i++) {
    cut = cut > 0 ? body.lastIndexOf('\n', cut - 1) : -1
    if (cut < 0) return { lines: finalTexts(body.split('\n')), dropped: 0 }
  }
  let dropped = 0
  for (let i = body.indexOf('\n'); i >= 0 && i <= cut; i = body.indexOf('\n', i + 1)) dropped++
  return { lines: finalTexts(body.slice(cut + 1).split('\n')), dropped }
}

function finalTexts(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const cr = line.lastIndexOf('\r', line.length - 2)
    if (line.includes('\r')) lines[i] = (cr < 0 ? line : line.slice(cr + 1)).replace(/\r$/, '')
  }
  return lines
}
