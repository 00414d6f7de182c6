// What a step's process wrote, read the reference's way, and the variables file written for it.
import type { JsonValue } from '../../../shared/model'

const STDERR_TAIL_CHARS = 4000

/**
 * The reference's rule: stdout that is one JSON value is the output; anything else is {"result": text}.
 * Python's json.dumps writes NaN and Infinity for such floats and Python's json.loads (the reference)
 * reads them; JSON has no such values, so they become null rather than turning the output into text.
 */
export function parseOutput(stdout: string): JsonValue {
  const json = parseJsonOutput(stdout)
  return json ? json.value : { result: stdout.trim() }
}

/** stdout as one JSON value (Python's NaN and Infinity read as null), or null when it is not one. */
export function parseJsonOutput(stdout: string): { value: JsonValue } | null {
  const text = stdout.trim()
  try {
    return { value: JSON.parse(text) as JsonValue }
  } catch {
    try {
      return { value: JSON.parse(replacePythonFloats(text)) as JsonValue }
    } catch {
      return null
    }
  }
}

/** NaN, Infinity and -Infinity outside strings → null. */
function replacePythonFloats(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      out += c
      if (c === '\\') out += text[++i] ?? ''
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    const token = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9))
    if (!inString && token) {
      out += 'null'
      i += token[0].length - 1
    } else out += c
  }
  return out
}

/**
 * JSON with every non-ASCII character escaped, as Python's json.dump writes it by default: a script that
 * opens the file without encoding= (the system code page on Windows: cp949, cp1252) still reads it right.
 */
export function toAsciiJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The end of stderr, from a line start, for the error message of a failed step. */
export function stderrTail(stderr: string): string {
  const trimmed = stderr.trimEnd()
  if (trimmed.length <= STDERR_TAIL_CHARS) return trimmed
  const cut = trimmed.slice(-STDERR_TAIL_CHARS)
  const nl = cut.indexOf('\n')
  return `…${nl >= 0 ? cut.slice(nl) : cut}`
}
