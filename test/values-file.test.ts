// Values kept in files are read a piece at a time, so the byte scanner and the strict-JSON stream must give
// the same answer wherever the pieces are cut: the same verdict and entries as scanJson (which agrees with
// Python's json.loads, see json-text.test.ts) and the same text as strictJson.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pythonStrippedRange } from '../src/main/services/values/python-space-bytes'
import { execFileSync } from 'node:child_process'
import { PYTHON } from './helpers/python'
import { scanJson, strictJson } from '../src/shared/json-text'
import { JsonByteScanner } from '../src/main/services/values/json-scanner'
import { StrictJsonStream } from '../src/main/services/values/strict-json-stream'
import { CASES } from './fixtures/json-cases'

const EXTRA = [
  '{"서울": "부산 😀", "b": [1, 2.5e-3, "x\\"y"], "b": {"deep": [NaN]}, "c": -Infinity}',
  '{"a":1,"a":2}',
  '"\\u00g0"',
  '["\\u12", "x", "y"]',
  '{"result": "line1\\nline2"}  \n',
  '{"k\\u00e9y": "v"}',
  '{"t": true, "f": false, "n": null, "i": 12345678901234567890, "f2": 43.0}'
]

/** Cuts `bytes` at each of `cuts` (positions) and scans the pieces. */
function scanPieces(bytes: Buffer, cuts: number[]) {
  const scanner = new JsonByteScanner()
  let at = 0
  for (const cut of [...cuts, bytes.length]) {
    scanner.write(bytes.subarray(at, cut))
    at = cut
  }
  return scanner.end()
}

/** Every way to cut a short text once, and a few cuts of every byte for the longer ones. */
function cutsOf(length: number): number[][] {
  const out: number[][] = [[]]
  for (let i = 1; i < length; i++) out.push([i])
  out.push(Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1))
  return out
}

describe('the byte scanner of values kept in files', () => {
  it('agrees with scanJson on every case, cut anywhere: verdict, entries (as the same bytes), and the value range', () => {
    for (const text of [...CASES, ...EXTRA]) {
      const bytes = Buffer.from(text, 'utf8')
      const expected = scanJson(text)
      for (const cuts of cutsOf(bytes.length)) {
        const got = scanPieces(bytes, cuts)
        expect(got === null, `${JSON.stringify(text)} cut at ${cuts.join(',')}`).toBe(expected === null)
        if (!got || !expected) continue
        expect(bytes.subarray(got.value.start, got.value.end).toString('utf8')).toBe(text.trim().replace(/^\u00a0/, ''))
        const entries = got.entries && [...got.entries].map(([k, r]) => [k, bytes.subarray(r.start, r.end).toString('utf8')])
        expect(entries).toEqual(expected.entries && [...expected.entries].map(([k, v]) => [k, v.json]))
        expect(got.value.strict).toBe(!expected.pythonFloats)
      }
    }
  })

  it('marks which values need escaping or strict rewriting', () => {
    const bytes = Buffer.from('{"plain": "abc", "korean": "서울", "nan": [1, NaN], "ok": 2}', 'utf8')
    const got = scanPieces(bytes, [5, 30])!
    expect(Object.fromEntries([...got.entries!].map(([k, r]) => [k, [r.ascii, r.strict]]))).toEqual({
      plain: [true, true],
      korean: [false, true],
      nan: [true, false],
      ok: [true, true]
    })
    expect([got.value.ascii, got.value.strict]).toEqual([false, false])
  })

  it('scans nesting far deeper than a recursive parser could, in pieces', () => {
    const deep = Buffer.from('['.repeat(200_000) + ']'.repeat(200_000))
    expect(scanPieces(deep, [100_000, 250_000])).not.toBeNull()
    expect(scanPieces(Buffer.concat([deep, Buffer.from(']')]), [7])).toBeNull()
  })
})

describe('strict JSON of a value read in pieces', () => {
  it('writes NaN and Infinity as null only outside strings, wherever the pieces are cut', () => {
    const text = '{"s": "NaN Infinity \\" -Infinity", "v": [NaN, -Infinity, Infinity, 1, -2.5e3], "w": "x\\\\"}'
    for (const cuts of cutsOf(text.length)) {
      const stream = new StrictJsonStream()
      let at = 0
      let out = ''
      for (const cut of [...cuts, text.length]) {
        out += stream.write(text.slice(at, cut))
        at = cut
      }
      out += stream.end()
      expect(out, `cut at ${cuts.join(',')}`).toBe(strictJson(text))
    }
  })
})

const STRIP_BYTES = [
  'import sys',
  'd = open(sys.argv[1], encoding="utf-8").read()',
  'start = len(d[: len(d) - len(d.lstrip())].encode())',
  'print(start, start + len(d.strip().encode()))'
].join('\n')

describe("Python's strip() of a file read in pieces", () => {
  it('cuts whitespace characters that straddle the pieces, and stops at the first other byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-strip-'))
    try {
      const cases: [string, string, string][] = [
        [' '.repeat(65535) + '\u3000', '{"a": "\u3000"}', '\u3000'.repeat(30000) + '\x85\f'],
        ['\n'.repeat(65534) + '\u2028', '[1]', ' '.repeat(65535) + '\xa0'],
        ['\ufeff', '{}', ''],
        ['', '   ', '']
      ]
      for (const [before, body, after] of cases) {
        const file = join(dir, 'out.json')
        writeFileSync(file, before + body + after, 'utf8')
        const [start, end] = pythonStrippedRange(file, statSync(file).size)
        // Python itself says where strip() cuts, in bytes.
        const cut = execFileSync(PYTHON, ['-c', STRIP_BYTES, file], { encoding: 'utf8' }).trim().split(' ').map(Number)
        expect([start, end], JSON.stringify(body)).toEqual(cut)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
