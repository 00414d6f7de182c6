// Python's str.strip(): the seed reads a step's output as `json.loads(stdout.strip())` and makes
// {"result": stdout.strip()} of anything else, so the ends are cut where Python's str.isspace() says, not
// where JavaScript's trim() does (which also cuts a byte-order mark and leaves \x1c-\x1f and \x85).
const SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000
])

export const isPythonSpace = (code: number): boolean => SPACE.has(code)

export function pythonStripStart(text: string): string {
  let i = 0
  while (i < text.length && SPACE.has(text.charCodeAt(i))) i++
  return i ? text.slice(i) : text
}

export function pythonStripEnd(text: string): string {
  let j = text.length
  while (j > 0 && SPACE.has(text.charCodeAt(j - 1))) j--
  return j < text.length ? text.slice(0, j) : text
}

export const pythonStrip = (text: string): string => pythonStripEnd(pythonStripStart(text))
