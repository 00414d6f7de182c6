// The scanner that decides what a step's stdout is: one JSON value exactly when Python's json.loads reads
// one (asked of the real Python), and an object's top-level entries as the texts written.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { objectText, parseJsonText, scanJson, strictJson } from '../src/shared/json-text'
import { PYTHON } from './helpers/python'
import { CASES } from './fixtures/json-cases'

describe('scanJson', () => {
  it("accepts exactly what Python's json.loads accepts", () => {
    const verdicts = JSON.parse(
      execFileSync(
        PYTHON,
        [
          '-c',
          'import json,sys\nout=[]\nfor t in json.load(sys.stdin):\n  try: json.loads(t); out.append(True)\n  except ValueError: out.append(False)\nprint(json.dumps(out))'
        ],
        { input: JSON.stringify(CASES), encoding: 'utf8' }
      )
    ) as boolean[]
    expect(CASES.map((t) => scanJson(t) !== null)).toEqual(verdicts)
  })

  it("splits an object into its top-level entries as written; a repeated key keeps its first place and last value, as Python's dict", () => {
    const scanned = scanJson('{ "b" : 43.0 , "2024": {"x": [1, {"y": 2}]}, "b": 12345678901234567890, "n": NaN }')!
    expect([...scanned.entries!].map(([k, v]) => [k, v.json])).toEqual([
      ['b', '12345678901234567890'],
      ['2024', '{"x": [1, {"y": 2}]}'],
      ['n', 'NaN']
    ])
    expect(scanned.pythonFloats).toBe(true)
    expect(scanJson('[1, {"a": 2}]')!.entries).toBeNull()
  })

  it('scans nesting far deeper than a recursive parser could', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    expect(scanJson(deep)).not.toBeNull()
    expect(scanJson(deep + ']')).toBeNull()
  })

  it('writes NaN and Infinity as null only outside strings, for strict readers', () => {
    const text = '{"s": "NaN Infinity \\" -Infinity", "v": [NaN, -Infinity, Infinity, 1]}'
    expect(strictJson(text)).toBe('{"s": "NaN Infinity \\" -Infinity", "v": [null, null, null, 1]}')
    expect(parseJsonText(text)).toEqual({ s: 'NaN Infinity " -Infinity', v: [null, null, null, 1] })
    expect(objectText(scanJson(text)!.entries!).json).toBe('{"s":"NaN Infinity \\" -Infinity","v":[NaN, -Infinity, Infinity, 1]}')
  })
})
