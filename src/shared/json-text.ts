// A value as the JSON text a step wrote. Parsing it into JavaScript and writing it back changes the data
// (43.0 → 43, 12345678901234567890 → 12345678901234567000, keys "2024", "999" reordered, NaN → null), while
// Python, which reads it on the other side, would have kept every one of them: so values travel as text,
// and are parsed only where they are shown.
import type { JsonValue } from './model'

/** A JSON text in Python's dialect (NaN and Infinity allowed), wrapped so it is never taken for a string value. */
export type JsonText = InlineText | FileText

export interface InlineText {
  readonly json: string
  readonly file?: undefined
}

/**
 * A value too big to hold as a string (over SPILL_BYTES): the bytes [start, end) of a file beside the
 * database, written by the step's stdout and never changed afterwards. Only the main process reads it.
 */
export interface FileText {
  readonly json?: undefined
  readonly file: string
  readonly start: number
  readonly end: number
  /** No byte above 0x7f: copied into a variables file as it is. */
  readonly ascii: boolean
  /** No NaN or Infinity outside strings: strict JSON as it is. */
  readonly strict: boolean
  /** Its first characters, so the window shows what the value is without reading it all. */
  readonly head?: string
}

/** A step's stdout above this many bytes is kept in a file, not in memory, and its values with it. */
export const SPILL_BYTES = 1 << 20

/** The text's size: characters when inline, bytes when in a file. */
export const textSize = (text: JsonText): number => (text.file !== undefined ? text.end - text.start : text.json.length)

/** Name → value text, in the order Python's dict would hold them. */
export type TextMap = Map<string, JsonText>

export const jsonText = (json: string): InlineText => ({ json })

/** A JavaScript value (from a workflow file, the run bar, --var) as text, once. */
export const valueText = (value: unknown): InlineText => ({ json: JSON.stringify(value) })

export interface ScannedJson {
  /** For an object: each top-level key (decoded) and its value's text as written; a repeated key's last value, in its first place (Python's dict). */
  entries: TextMap | null
  /** NaN, Infinity or -Infinity occur outside strings: not strict JSON. */
  pythonFloats: boolean
}

const OBJECT = 1
const ARRAY = 2

/**
 * Whether `text` is exactly one JSON value as Python's json.loads reads it (surrounding JSON whitespace
 * allowed), in one pass with an explicit stack (no recursion, any depth). Null when it is not one.
 */
export function scanJson(text: string): ScannedJson | null {
  const n = text.length
  const stack: number[] = []
  const isObject = skipWs(text, 0) < n && text.charCodeAt(skipWs(text, 0)) === 0x7b
  const entries: TextMap | null = isObject ? new Map() : null
  let pythonFloats = false
  let key = ''
  let valueStart = 0
  let lastEnd = 0
  let needValue = true
  let i = 0

  /** Reads `"key" :` at i; returns the index after the colon, or -1. */
  const readKey = (at: number, depth: number): number => {
    at = skipWs(text, at)
    if (text.charCodeAt(at) !== 0x22) return -1
    const end = skipString(text, at)
    if (end < 0) return -1
    if (depth === 1 && entries) key = JSON.parse(text.slice(at, end)) as string
    at = skipWs(text, end)
    if (text.charCodeAt(at) !== 0x3a) return -1
    at = skipWs(text, at + 1)
    if (depth === 1) valueStart = at
    return at
  }

  for (;;) {
    i = skipWs(text, i)
    if (i >= n) return null
    const c = text.charCodeAt(i)
    if (needValue) {
      if (c === 0x7b /* { */) {
        const j = skipWs(text, i + 1)
        if (text.charCodeAt(j) === 0x7d) {
          i = j + 1
          needValue = false
        } else {
          stack.push(OBJECT)
          i = readKey(j, stack.length)
          if (i < 0) return null
          continue
        }
      } else if (c === 0x5b /* [ */) {
        const j = skipWs(text, i + 1)
        if (text.charCodeAt(j) === 0x5d) {
          i = j + 1
          needValue = false
        } else {
          stack.push(ARRAY)
          i = j
          continue
        }
      } else if (c === 0x22 /* " */) {
        i = skipString(text, i)
        if (i < 0) return null
        needValue = false
      } else {
        const end = skipScalar(text, i)
        if (end < 0) return null
        if (c === 0x4e || c === 0x49 || (c === 0x2d && text.charCodeAt(i + 1) === 0x49)) pythonFloats = true
        i = end
        needValue = false
      }
      lastEnd = i
      if (!stack.length) break
      continue
    }
    // After a value inside a container.
    const top = stack[stack.length - 1]
    if (stack.length === 1 && entries && (c === 0x2c || c === 0x7d)) entries.set(key, { json: text.slice(valueStart, lastEnd) })
    if (c === 0x2c /* , */) {
      if (top === OBJECT) {
        i = readKey(i + 1, stack.length)
        if (i < 0) return null
      } else i++
      needValue = true
    } else if ((top === OBJECT && c === 0x7d) || (top === ARRAY && c === 0x5d)) {
      stack.pop()
      i++
      lastEnd = i
      if (!stack.length) break
    } else return null
  }
  return skipWs(text, i) === n ? { entries, pythonFloats } : null
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
    else return i
  }
}

const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

/** The index after the string starting at i (a quote), or -1. Control characters are refused, as Python's strict mode does. */
function skipString(text: string, i: number): number {
  const n = text.length
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j)
    if (c === 0x22) return j + 1
    if (c < 0x20) return -1
    if (c === 0x5c) {
      const e = text.charCodeAt(++j)
      if (e === 0x75) {
        if (!(
          isHex(text.charCodeAt(j + 1)) &&
          isHex(text.charCodeAt(j + 2)) &&
          isHex(text.charCodeAt(j + 3)) &&
          isHex(text.charCodeAt(j + 4))
        ))
          return -1
        j += 4
      } else if (!(e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return -1
    }
  }
  return -1
}

const LITERALS = ['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity']

/** The index after the number or literal at i, or -1. Numbers as Python reads them: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? */
function skipScalar(text: string, i: number): number {
  for (const literal of LITERALS) if (text.startsWith(literal, i)) return i + literal.length
  let j = i
  if (text.charCodeAt(j) === 0x2d) j++
  if (text.charCodeAt(j) === 0x30) j++
  else if (isDigit(text.charCodeAt(j))) while (isDigit(text.charCodeAt(j))) j++
  else return -1
  if (text.charCodeAt(j) === 0x2e) {
    if (!isDigit(text.charCodeAt(++j))) return -1
    while (isDigit(text.charCodeAt(j))) j++
  }
  const e = text.charCodeAt(j)
  if (e === 0x65 || e === 0x45) {
    const s = text.charCodeAt(++j)
    if (s === 0x2b || s === 0x2d) j++
    if (!isDigit(text.charCodeAt(j))) return -1
    while (isDigit(text.charCodeAt(j))) j++
  }
  return j
}

/**
 * The text with NaN, Infinity and -Infinity outside strings written as null: strict JSON, for readers that
 * know no other (jq, PowerShell, JSON.parse). Linear: the text is copied in runs between the replacements.
 */
export function strictJson(text: string): string {
  const pieces: string[] = []
  let from = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x4e || c === 0x49 || c === 0x2d) {
      const token = text.startsWith('NaN', i) ? 3 : text.startsWith('Infinity', i) ? 8 : text.startsWith('-Infinity', i) ? 9 : 0
      if (token) {
        pieces.push(text.slice(from, i), 'null')
        i += token - 1
        from = i + 1
      }
    }
  }
  if (from === 0) return text
  pieces.push(text.slice(from))
  return pieces.join('')
}

/** The value to show: NaN and Infinity become null (JavaScript's JSON has no such values); a file's value, a note of its size. */
export function parseJsonText(text: JsonText | string): JsonValue {
  if (typeof text !== 'string' && text.file !== undefined) return sizeNote(text)
  const raw = typeof text === 'string' ? text : text.json
  try {
    return JSON.parse(raw) as JsonValue
  } catch {
    return JSON.parse(strictJson(raw)) as JsonValue
  }
}

/** `{"name": text, ...}`: an object's text from its entries, each value as written (inline texts only). */
export function objectText(entries: Iterable<[string, JsonText]>): InlineText {
  const pieces: string[] = []
  for (const [k, v] of entries) {
    if (v.file !== undefined) throw new Error(`objectText: the value of "${k}" is kept in a file`)
    pieces.push(`${JSON.stringify(k)}:${v.json}`)
  }
  return { json: `{${pieces.join(',')}}` }
}

/** Plain values (a workflow's variables, --var) as texts, in their order. */
export function textsOf(values: Record<string, unknown>): TextMap {
  const out: TextMap = new Map()
  for (const [k, v] of Object.entries(values)) out.set(k, valueText(v))
  return out
}

/** Texts parsed for showing, as an object. */
export function valuesOf(texts: TextMap): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {}
  // defineProperty: a key "__proto__" stays a key instead of replacing the object's prototype.
  for (const [k, v] of texts)
    Object.defineProperty(out, k, { value: parseJsonText(v), enumerable: true, writable: true, configurable: true })
  return out
}

/** Values above this many characters travel to the window as a note, not whole. */
export const PREVIEW_CHARS = 64 * 1024

/** A value for a live event: parsed when small, else a note of its size (the record keeps it whole). */
export function previewValue(text: JsonText): JsonValue {
  if (textSize(text) <= PREVIEW_CHARS) return parseJsonText(text)
  return sizeNote(text)
}

const sizeNote = (text: JsonText): string =>
  `[${(textSize(text) / 1_000_000).toFixed(1)} MB value, kept whole in the run's record]${text.file !== undefined && text.head ? ` ${text.head}…` : ''}`

/** What a size note says (the megabytes, and the value's first characters when known), or null for any other string. */
export function sizeNoteParts(value: string): { megabytes: string; head: string | null } | null {
  const m = /^\[(\d+\.\d) MB value, kept whole in the run's record\](?: ([\s\S]*)…)?$/.exec(value)
  return m ? { megabytes: m[1], head: m[2] ?? null } : null
}

/** previewValue of each text, as an object. */
export function previewValues(texts: TextMap): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {}
  for (const [k, v] of texts)
    Object.defineProperty(out, k, { value: previewValue(v), enumerable: true, writable: true, configurable: true })
  return out
}
