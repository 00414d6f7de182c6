// Values kept in files (FileText): read back a piece at a time, split into their top-level entries, and
// turned into the texts a run works with. Nothing here holds a whole value in memory.
import { closeSync, openSync, readSync } from 'node:fs'
import { open, writeFile } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { scanJson, type FileText, type JsonText, type TextMap } from '../../../shared/json-text'
import { JsonByteScanner, type ByteRange, type ScannedBytes } from './json-scanner'

export const READ_CHUNK_BYTES = 1 << 20

/** The bytes [start, end) of the file, in pieces, read synchronously (the store and `--json` are synchronous); a piece is valid until the next. */
export function* rangePieces(file: string, start: number, end: number): Generator<Buffer> {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(1, end - start)))
    for (let at = start; at < end;) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, end - at), at)
      if (read <= 0) throw new Error(`The value file ${file} ends at byte ${at}, before byte ${end}: it was changed or cut`)
      yield buffer.subarray(0, read)
      at += read
    }
  } finally {
    closeSync(fd)
  }
}

/** The same, without blocking: for the engine, which writes variables files while other steps run. */
export async function readRange(file: string, start: number, end: number, each: (piece: Buffer) => Promise<void> | void): Promise<void> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(1, end - start)))
    for (let at = start; at < end;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at)
      if (bytesRead <= 0) throw new Error(`The value file ${file} ends at byte ${at}, before byte ${end}: it was changed or cut`)
      await each(buffer.subarray(0, bytesRead))
      at += bytesRead
    }
  } finally {
    await handle.close()
  }
}

/** Scans a file's bytes [start, end) as one JSON value; null when they are not one. */
export async function scanFile(file: string, start: number, end: number, wanted?: ReadonlySet<string>): Promise<ScannedBytes | null> {
  const scanner = new JsonByteScanner(wanted)
  let ok = true
  await readRange(file, start, end, (piece) => {
    if (ok) ok = scanner.write(piece)
  })
  return ok ? shift(scanner.end(), start) : null
}

function scanFileSync(file: string, start: number, end: number, wanted?: ReadonlySet<string>): ScannedBytes | null {
  const scanner = new JsonByteScanner(wanted)
  for (const piece of rangePieces(file, start, end)) if (!scanner.write(piece)) return null
  return shift(scanner.end(), start)
}

/** Offsets of a scan that began at `base`, made offsets in the file. */
function shift(scanned: ScannedBytes | null, base: number): ScannedBytes | null {
  if (!scanned || !base) return scanned
  const move = (r: ByteRange): ByteRange => ({ ...r, start: r.start + base, end: r.end + base })
  return {
    ...scanned,
    value: move(scanned.value),
    entries: scanned.entries && new Map([...scanned.entries].map(([k, r]) => [k, move(r)]))
  }
}

/** How much of a value the window is shown: enough to tell what it is. */
const HEAD_CHARS = 120

/**
 * A text of the bytes `range` of `file`. Its head is read when first asked for: most texts (the entries of
 * a big object, a run's outputs read back) are never shown.
 */
export function fileText(file: string, range: ByteRange): FileText {
  let head: { value: string | undefined } | null = null
  return {
    file,
    start: range.start,
    end: range.end,
    ascii: range.ascii,
    strict: range.strict,
    get head() {
      return (head ??= { value: headOf(file, range.start, range.end) }).value
    }
  }
}

/** The first HEAD_CHARS characters of the bytes [start, end), whole characters only; undefined when unreadable. */
function headOf(file: string, start: number, end: number): string | undefined {
  try {
    const fd = openSync(file, 'r')
    try {
      const buffer = Buffer.allocUnsafe(Math.min(HEAD_CHARS * 4, end - start))
      const read = readSync(fd, buffer, 0, buffer.length, start)
      // A character cut at the end of what was read is left out, not turned into U+FFFD.
      const text = new StringDecoder('utf8').write(buffer.subarray(0, read))
      return [...text].slice(0, HEAD_CHARS).join('')
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
}

/** A scan's entries as texts of the same file. */
export function entryTexts(file: string, scanned: ScannedBytes): TextMap | null {
  if (!scanned.entries) return null
  const out: TextMap = new Map()
  for (const [k, r] of scanned.entries) out.set(k, fileText(file, r))
  return out
}

/**
 * The top-level entries of an object's text (null for any other value), wherever the text is kept; of a
 * text in a file only the `wanted` keys. Files never change once written, so a scan is remembered: a run
 * shown again in the window does not read its 200 MB outputs again.
 */
export function textEntries(text: JsonText, wanted?: ReadonlySet<string>): TextMap | null {
  if (text.file === undefined) return scanJson(text.json)?.entries ?? null
  const key = `${text.file}\0${text.start}\0${text.end}\0${wanted ? [...wanted].sort().join('\0') : '*'}`
  const cached = scans.get(key)
  if (cached !== undefined) return cached
  const scanned = scanFileSync(text.file, text.start, text.end, wanted)
  const entries = scanned ? entryTexts(text.file, scanned) : null
  scans.set(key, entries)
  if (scans.size > MAX_SCANS) scans.delete(scans.keys().next().value as string)
  return entries
}

/** Remembered scans: each holds only the wanted entries of one value, a few objects. */
const scans = new Map<string, TextMap | null>()
const MAX_SCANS = 256

/** Writes the text to a file of its own, as the step wrote it: a kept file's bytes a piece at a time. */
export async function copyTextTo(text: JsonText, path: string): Promise<void> {
  if (text.file === undefined) return writeFile(path, text.json, 'utf8')
  const out = await open(path, 'w')
  try {
    await readRange(text.file, text.start, text.end, async (piece) => void (await out.write(piece)))
  } finally {
    await out.close()
  }
}
