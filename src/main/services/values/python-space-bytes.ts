// Where Python's str.strip() would cut a UTF-8 file: the bytes of its whitespace characters (see
// shared/python-space.ts) at the start and at the end, read a piece at a time.
import { closeSync, openSync, readSync } from 'node:fs'

const PIECE = 64 * 1024

/** The length of the whitespace character starting at i, or 0. */
function spaceAt(b: Uint8Array, i: number, n: number): number {
  const c = b[i]
  if ((c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20)) return 1
  if (c === 0xc2 && i + 1 < n && (b[i + 1] === 0x85 || b[i + 1] === 0xa0)) return 2
  if (i + 2 >= n) return 0
  const [d, e] = [b[i + 1], b[i + 2]]
  if (c === 0xe1 && d === 0x9a && e === 0x80) return 3
  if (c === 0xe2 && d === 0x80 && ((e >= 0x80 && e <= 0x8a) || e === 0xa8 || e === 0xa9 || e === 0xaf)) return 3
  if (c === 0xe2 && d === 0x81 && e === 0x9f) return 3
  if (c === 0xe3 && d === 0x80 && e === 0x80) return 3
  return 0
}

/** The length of the whitespace character ending just before j, or 0 (a lead byte is never a continuation, so a match is unambiguous). */
function spaceBefore(b: Uint8Array, j: number): number {
  for (const len of [1, 2, 3]) if (j - len >= 0 && spaceAt(b, j - len, j) === len) return len
  return 0
}

/** [start, end): the file's bytes without the whitespace Python's strip() removes. */
export function pythonStrippedRange(path: string, size: number): [number, number] {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.allocUnsafe(PIECE)
    let start = 0
    for (;;) {
      const n = readSync(fd, buffer, 0, Math.min(PIECE, size - start), start)
      if (n <= 0) break
      let i = 0
      // Stop 2 bytes short of a piece's end while the file goes on: a character may continue in the next.
      const last = start + n < size ? n - 2 : n
      while (i < last) {
        const len = spaceAt(buffer, i, n)
        if (!len) break
        i += len
      }
      start += i
      if (i < last || start >= size) break
    }
    let end = size
    while (end > start) {
      const from = Math.max(start, end - PIECE)
      const n = readSync(fd, buffer, 0, end - from, from)
      let j = n
      const first = from > start ? 2 : 0
      while (j > first) {
        const len = spaceBefore(buffer.subarray(0, n), j)
        if (!len) break
        j -= len
      }
      end = from + j
      if (j > first || from === start) break
    }
    return [start, end]
  } finally {
    closeSync(fd)
  }
}
