// The ways a secret's value shows up in text a step writes: as itself, inside a JSON string (json.dumps
// with ensure_ascii on, Python's default, or off, and JavaScript's JSON.stringify), and inside a Python
// repr (print of a dict or a list). Each is redacted, so printing a dict of settings does not leak it.

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

const hex4 = (code: number): string => code.toString(16).padStart(4, '0')

/** The body of json.dumps(value) without its quotes; `ascii`: ensure_ascii=True (every non-ASCII character as \uXXXX). */
export function jsonBody(value: string, ascii: boolean): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    const code = value.charCodeAt(i)
    const short = SHORT_ESCAPES[ch]
    if (short) out += short
    else if (code < 0x20) out += `\\u${hex4(code)}`
    // UTF-16 code units are what Python writes for ensure_ascii (a surrogate pair for an emoji), as here.
    else if (ascii && code > 0x7e) out += `\\u${hex4(code)}`
    else out += ch
  }
  return out
}

/** The body of Python's repr(value) between its quotes, for both quote styles repr may choose. */
function reprBodies(value: string): string[] {
  let base = ''
  for (const ch of value) {
    const code = ch.codePointAt(0)!
    if (ch === '\\') base += '\\\\'
    else if (ch === '\n') base += '\\n'
    else if (ch === '\r') base += '\\r'
    else if (ch === '\t') base += '\\t'
    else if (code < 0x20 || code === 0x7f) base += `\\x${code.toString(16).padStart(2, '0')}`
    else base += ch
  }
  // repr escapes the quote it is delimited by only when the text has both kinds.
  return [base, base.replace(/'/g, "\\'")]
}

/** Every distinct, non-empty form of `value` to look for. */
export function secretForms(value: string): string[] {
  if (!value) return []
  const ascii = jsonBody(value, true)
  const forms = [
    value,
    ascii,
    ascii.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h.toUpperCase()}`),
    jsonBody(value, false),
    ...reprBodies(value)
  ]
  return [...new Set(forms)].filter(Boolean)
}
