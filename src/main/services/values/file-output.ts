// A step's output that went to a file (over SPILL_BYTES) made the reference's output, reading the file a
// piece at a time: one JSON value stays where it is, split by its top-level keys; anything else becomes
// {"result": <the text, trimmed>}, written beside it as Python's json would write that string.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import type { TextMap, FileText } from '../../../shared/json-text'
import { entryTexts, fileText, readRange, scanFile } from './file-text'
import { pythonStrippedRange } from './python-space-bytes'
import { pythonStripEnd, pythonStripStart } from '../../../shared/python-space'

export interface FileOutput {
  text: FileText
  entries: TextMap | null
  /** Set when `entries` holds only the wanted keys: how many the object has, and the first few. */
  keys?: { count: number; sample: string[] }
  /** The file held one JSON value (not text made into {"result": ...}). */
  json: boolean
  /** Nothing but whitespace was written. */
  empty: boolean
}

/** `wanted`: the keys the step's output_mapping reads; the others are counted, not kept. */
export async function fileOutput(path: string, wanted?: ReadonlySet<string>): Promise<FileOutput> {
  // What Python's strip() leaves is what must be one JSON value, as for an output kept in memory.
  const [start, end] = pythonStrippedRange(path, (await stat(path)).size)
  const scanned = start < end ? await scanFile(path, start, end, wanted) : null
  if (scanned) {
    const keys = wanted && scanned.entries ? { count: scanned.keyCount, sample: scanned.sampleKeys } : undefined
    return { text: fileText(path, scanned.value), entries: entryTexts(path, scanned), keys, json: true, empty: false }
  }
  const resultPath = path.replace(/(\.[^.\\/]*)?$/, '.result.json')
  const made = await writeResultFile(path, resultPath)
  try {
    rmSync(path, { force: true })
  } catch {
    // Held by a scanner (Windows): it goes with the run's folder.
  }
  const value = { start: made.valueStart, end: made.bytes - 1, ascii: made.ascii, strict: true }
  return {
    text: fileText(resultPath, { start: 0, end: made.bytes, ascii: made.ascii, strict: true }),
    entries: new Map([['result', fileText(resultPath, value)]]),
    json: false,
    empty: value.end - value.start === 2
  }
}

async function writeResultFile(from: string, to: string): Promise<{ bytes: number; valueStart: number; ascii: boolean }> {
  const fd = openSync(to, 'w')
  let bytes = 0
  let ascii = true
  const put = (s: string): void => {
    const b = Buffer.from(s, 'utf8')
    writeSync(fd, b)
    bytes += b.length
  }
  try {
    put('{"result":"')
    const valueStart = bytes - 1
    const decoder = new StringDecoder('utf8')
    // Python's strip, as for an output kept in memory: leading whitespace dropped, trailing held back until
    // more text follows it.
    let started = false
    let held = ''
    const text = (s: string): void => {
      if (!started) {
        s = pythonStripStart(s)
        if (!s) return
        started = true
      }
      const body = pythonStripEnd(s)
      if (!body) {
        held += s
        return
      }
      const piece = held + body
      held = s.slice(body.length)
      if (ascii && /[\u0080-\uffff]/.test(piece)) ascii = false
      put(JSON.stringify(piece).slice(1, -1))
    }
    // Newlines as the seed's text mode reads them (\r\n and \r become \n); a \r at a piece's end waits
    // for the next piece, which may begin with its \n.
    let cr = false
    const lines = (s: string): string => {
      if (cr) s = `\r${s}`
      cr = s.endsWith('\r')
      return (cr ? s.slice(0, -1) : s).replace(/\r\n?/g, '\n')
    }
    const { size } = await stat(from)
    await readRange(from, 0, size, (chunk) => text(lines(decoder.write(chunk))))
    text(lines(decoder.end()) + (cr ? '\n' : ''))
    put('"}')
    return { bytes, valueStart, ascii }
  } finally {
    closeSync(fd)
  }
}
