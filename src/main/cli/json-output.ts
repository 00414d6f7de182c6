// `--json` output: one strict JSON document for jq and PowerShell, written in pieces (never the whole
// document as one string), with each recorded value put in as the text the step wrote (43.0, 20-digit
// integers and key order kept); only NaN and Infinity, which strict JSON has no words for, become null.
import { StringDecoder } from 'node:string_decoder'
import { strictJson, type FileText, type JsonText } from '../../shared/json-text'
import { readRangeSync } from '../services/values/file-text'
import { StrictJsonStream } from '../services/values/strict-json-stream'

/** A value to write as its recorded text. */
export class RawValue {
  constructor(readonly text: JsonText) {}
}

const CHUNK_CHARS = 1 << 20

/** Writes `value` as indented JSON to `out`; RawValue leaves go in as their (strict) text. */
export function writeJson(out: NodeJS.WritableStream, value: unknown): void {
  let pending: string[] = []
  let size = 0
  const put = (piece: string): void => {
    pending.push(piece)
    size += piece.length
    if (size >= CHUNK_CHARS) {
      out.write(pending.join(''))
      pending = []
      size = 0
    }
  }
  // A value kept in a file goes in a piece at a time: `show --json` of a 500 MB output holds 1 MB of it.
  const putFile = (text: FileText): void => {
    const decoder = new StringDecoder('utf8')
    const strict = text.strict ? null : new StrictJsonStream()
    const pass = (s: string): void => {
      const out = strict ? strict.write(s) : s
      if (out) put(out)
    }
    readRangeSync(text.file, text.start, text.end, (piece) => pass(decoder.write(piece)))
    pass(decoder.end())
    if (strict) put(strict.end())
  }
  const walk = (v: unknown, indent: string): void => {
    if (v instanceof RawValue) return v.text.file === undefined ? put(strictJson(v.text.json)) : putFile(v.text)
    if (Array.isArray(v)) {
      if (!v.length) return put('[]')
      const inner = `${indent}  `
      put('[')
      v.forEach((item, i) => {
        put(`${i ? ',' : ''}\n${inner}`)
        walk(item, inner)
      })
      return put(`\n${indent}]`)
    }
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const entries = v instanceof Map ? [...(v as Map<string, unknown>)] : Object.entries(v)
      if (!entries.length) return put('{}')
      const inner = `${indent}  `
      put('{')
      entries.forEach(([k, item], i) => {
        put(`${i ? ',' : ''}\n${inner}${JSON.stringify(k)}: `)
        walk(item === undefined ? null : item, inner)
      })
      return put(`\n${indent}}`)
    }
    put(JSON.stringify(v) ?? 'null')
  }
  walk(value, '')
  put('\n')
  if (pending.length) out.write(pending.join(''))
}
