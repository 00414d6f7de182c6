// `--json` output: one strict JSON document for jq and PowerShell, written in pieces (never the whole
// document as one string), with each recorded value put in as the text the step wrote (43.0, 20-digit
// integers and key order kept); only NaN and Infinity, which strict JSON has no words for, become null.
import { StringDecoder } from 'node:string_decoder'
import { strictJson, type FileText, type JsonText } from '../../shared/json-text'
import { rangePieces } from '../services/values/file-text'
import { StrictJsonStream } from '../services/values/strict-json-stream'

/** A value to write as its recorded text. */
export class RawValue {
  constructor(readonly text: JsonText) {}
}

const CHUNK_CHARS = 1 << 20

/**
 * Writes `value` as indented JSON to `out`; RawValue leaves go in as their (strict) text. A megabyte at a
 * time, waiting while the reader is behind: `show --json | jq` of a 500 MB value holds about a megabyte.
 */
export async function writeJson(out: NodeJS.WritableStream, value: unknown): Promise<void> {
  let pending: string[] = []
  let size = 0
  const flush = async (): Promise<void> => {
    if (!size) return
    const chunk = pending.join('')
    pending = []
    size = 0
    if (!out.write(chunk)) await drained(out)
  }
  for (const piece of pieces(value, '')) {
    pending.push(piece)
    size += piece.length
    if (size >= CHUNK_CHARS) await flush()
  }
  pending.push('\n')
  size += 1
  await flush()
}

/** Resolves when the stream wants more, or can take no more (closed, failed: the reader went away). */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done)
      out.off('close', done)
      out.off('error', done)
      resolve()
    }
    out.once('drain', done)
    out.once('close', done)
    out.once('error', done)
  })
}

/** A value kept in a file, a piece at a time. */
function* filePieces(text: FileText): Generator<string> {
  const decoder = new StringDecoder('utf8')
  const strict = text.strict ? null : new StrictJsonStream()
  const pass = (s: string): string => (strict ? strict.write(s) : s)
  for (const bytes of rangePieces(text.file, text.start, text.end)) {
    const piece = pass(decoder.write(bytes))
    if (piece) yield piece
  }
  const rest = pass(decoder.end()) + (strict ? strict.end() : '')
  if (rest) yield rest
}

function* pieces(v: unknown, indent: string): Generator<string> {
  if (v instanceof RawValue) {
    if (v.text.file === undefined) yield strictJson(v.text.json)
    else yield* filePieces(v.text)
    return
  }
  if (Array.isArray(v)) {
    if (!v.length) return yield '[]'
    const inner = `${indent}  `
    yield '['
    for (let i = 0; i < v.length; i++) {
      yield `${i ? ',' : ''}\n${inner}`
      yield* pieces(v[i], inner)
    }
    return yield `\n${indent}]`
  }
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const entries = v instanceof Map ? [...(v as Map<string, unknown>)] : Object.entries(v)
    if (!entries.length) return yield '{}'
    const inner = `${indent}  `
    yield '{'
    for (let i = 0; i < entries.length; i++) {
      const [k, item] = entries[i]
      yield `${i ? ',' : ''}\n${inner}${JSON.stringify(k)}: `
      yield* pieces(item === undefined ? null : item, inner)
    }
    return yield `\n${indent}}`
  }
  yield JSON.stringify(v) ?? 'null'
}
