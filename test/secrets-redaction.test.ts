// Secret values replaced by *** in the forms a script prints them, also when a value arrives cut between
// two chunks of a stream, in time linear in the text.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createRedactor } from '../src/main/services/secrets'
import { jsonBody, secretForms } from '../src/main/services/secrets/secret-forms'
import { PYTHON } from './helpers/python'

const NASTY = 'pa"ss\\wörd\t한글🔑\u007f'

/** What Python itself prints for the value, so the forms are checked against the real thing. */
function pythonPrints(value: string): string[] {
  const script = [
    'import json, sys',
    'v = sys.stdin.read()',
    'print(json.dumps({"k": v}))',
    'print(json.dumps({"k": v}, ensure_ascii=False))',
    'print({"k": v})',
    'print([v, "x\'y"])',
    'print(v)'
  ].join('\n')
  return execFileSync(PYTHON, ['-c', script], { input: value, encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } })
    .split('\n')
    .filter(Boolean)
}

describe('secret forms', () => {
  it('match json.dumps with ensure_ascii on and off, and repr', () => {
    expect(jsonBody(NASTY, true)).toBe(
      JSON.parse(
        execFileSync(PYTHON, ['-c', 'import json,sys; print(json.dumps(json.dumps(sys.stdin.read())))'], { input: NASTY, encoding: 'utf8' })
      ).slice(1, -1)
    )
    const r = createRedactor([NASTY])!
    for (const line of pythonPrints(NASTY)) {
      const out = r.redact(line)
      expect(out).toContain('***')
      expect(out).not.toContain('wörd')
      expect(out).not.toContain('w\\u00f6rd')
      expect(out).not.toContain('\\ud83d\\udd11')
    }
  })

  it('leave text without the secret alone, and JSON valid', () => {
    const r = createRedactor(['s3cret'])!
    expect(r.redact('nothing here')).toBe('nothing here')
    expect(JSON.parse(r.redact(JSON.stringify({ token: 's3cret', other: 'ok' })))).toEqual({ token: '***', other: 'ok' })
    expect(createRedactor([])).toBeNull()
    expect(secretForms('')).toEqual([])
  })

  it('overlapping and adjacent values become one mark', () => {
    const r = createRedactor(['abcd', 'cdef', 'b'])!
    expect(r.redact('xabcdefy')).toBe('x***y')
    expect(r.redact('b-b')).toBe('***-***')
  })
})

describe('a redacted stream', () => {
  it('finds a value cut at every possible point between chunks', () => {
    const secret = 'Tok-3n_VALUE"\\'
    const r = createRedactor([secret])!
    const text = `before ${secret} middle ${JSON.stringify(secret)} after`
    const whole = r.redact(text)
    expect(whole).toBe('before *** middle "***" after')
    for (let cut = 0; cut <= text.length; cut++) {
      for (const size of [1, 3]) {
        const s = r.stream()
        let out = s.write(text.slice(0, cut))
        for (let i = cut; i < text.length; i += size) out += s.write(text.slice(i, i + size))
        out += s.end()
        expect(out).toBe(whole)
      }
    }
  })

  it('hands on everything that cannot begin a secret at once', () => {
    const s = createRedactor(['secret'])!.stream()
    expect(s.write('hello sec')).toBe('hello ')
    expect(s.write('ond')).toBe('second')
    expect(s.write('xx secre')).toBe('xx ')
    expect(s.end()).toBe('secre')
  })

  it('is linear: 20 MB with many secrets in one pass', () => {
    const secrets = Array.from({ length: 50 }, (_, i) => `secret-${i}-${'x'.repeat(i)}`)
    const r = createRedactor(secrets)!
    const line = `${'a'.repeat(1000)} secret-7-xxxxxxx ${'secret-'.repeat(50)}\n`
    const text = line.repeat(Math.ceil((20 * 1024 * 1024) / line.length))
    const s = r.stream()
    let kept = 0
    let marks = 0
    for (let i = 0; i < text.length; i += 65536) {
      const out = s.write(text.slice(i, i + 65536))
      kept += out.length
      marks += out.split('***').length - 1
    }
    kept += s.end().length
    expect(marks).toBe(Math.ceil((20 * 1024 * 1024) / line.length))
    expect(kept).toBe(text.length - marks * ('secret-7-xxxxxxx'.length - 3))
  })
})
