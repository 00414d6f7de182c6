// What a step's process wrote, read the reference's way, and the variables file written for it.
import { open, type FileHandle } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { jsonText, scanJson, valueText, type FileText, type JsonText, type TextMap } from '../../../shared/json-text'
import { readRange } from '../values/file-text'
import { pythonStrip } from '../../../shared/python-space'

const STDERR_TAIL_CHARS = 4000

/** A step's output: its JSON text, and for an object its top-level entries (slices of that text). */
export interface StepOutput {
  text: JsonText
  entries: TextMap | null
  /** Set when `entries` holds only the keys the step's output_mapping reads (a big object): all its keys' count and the first few. */
  keys?: { count: number; sample: string[] }
}

/**
 * The reference's rule: stdout that is one JSON value (in Python's dialect: NaN and Infinity too) is the
 * output, kept as the text the step wrote; anything else is {"result": text}.
 */
export function parseOutput(stdout: string): StepOutput {
  return parseJsonOutput(stdout) ?? textOutput(stdout)
}

/**
 * The output of stdout that is not one JSON value: the text as the seed reads it (subprocess text mode:
 * \r\n and \r become \n, as Windows' print writes \r\n), stripped as Python strips.
 */
export function textOutput(stdout: string): StepOutput {
  const result = pythonStrip(stdout.replace(/\r\n?/g, '\n'))
  return { text: valueText({ result }), entries: new Map([['result', valueText(result)]]) }
}

/** stdout as one JSON value, or null when it is not one. */
export function parseJsonOutput(stdout: string): StepOutput | null {
  const text = pythonStrip(stdout)
  const scanned = scanJson(text)
  return scanned ? { text: jsonText(text), entries: scanned.entries } : null
}

/** Characters written per piece of the variables file: a huge value is escaped and written a slice at a time. */
const PIECE_CHARS = 1 << 20

/**
 * Writes `{"name": <text>, ...}` from the texts as they are, every non-ASCII character escaped as \uXXXX as
 * Python's json.dump writes it by default: a script that opens the file without encoding= (the system code
 * page on Windows: cp949, cp1252) still reads it right. Escaping inside a JSON text is safe: non-ASCII can
 * only occur in its strings. Written in pieces, never as one string of the whole file.
 */
export async function writeVariablesFile(path: string, variables: TextMap): Promise<void> {
  const file = await open(path, 'w')
  try {
    let pending: string[] = []
    let size = 0
    const flush = async (): Promise<void> => {
      if (!size) return
      const chunk = pending.join('')
      pending = []
      size = 0
      await file.write(chunk, null, 'utf8')
    }
    const put = async (piece: string): Promise<void> => {
      for (let at = 0; at < piece.length; at += PIECE_CHARS) {
        const slice = escapeNonAscii(piece.length <= PIECE_CHARS ? piece : piece.slice(at, at + PIECE_CHARS))
        pending.push(slice)
        size += slice.length
        if (size >= PIECE_CHARS) await flush()
      }
    }
    let first = true
    await put('{')
    for (const [name, value] of variables) {
      await put(`${first ? '' : ','}${JSON.stringify(name)}:`)
      if (value.file === undefined) await put(value.json)
      else {
        await flush()
        await copyFileText(file, value)
      }
      first = false
    }
    await put('}')
    await flush()
  } finally {
    await file.close()
  }
}

/** A value kept in a file, copied a piece at a time: as it is when it is ASCII, else escaped like the rest. */
async function copyFileText(out: FileHandle, value: FileText): Promise<void> {
  if (value.ascii) {
    await readRange(value.file, value.start, value.end, async (piece) => void (await out.write(piece)))
    return
  }
  const decoder = new StringDecoder('utf8')
  await readRange(
    value.file,
    value.start,
    value.end,
    async (piece) => void (await out.write(escapeNonAscii(decoder.write(piece)), null, 'utf8'))
  )
  const rest = decoder.end()
  if (rest) await out.write(escapeNonAscii(rest), null, 'utf8')
}

function escapeNonAscii(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The end of stderr, from a line start, for the error message of a failed step. */
export function stderrTail(stderr: string): string {
  const trimmed = stderr.trimEnd()
  if (trimmed.length <= STDERR_TAIL_CHARS) return trimmed
  const cut = trimmed.slice(-STDERR_TAIL_CHARS)
  const nl = cut.indexOf('\n')
  return `…${nl >= 0 ? cut.slice(nl) : cut}`
}
