// Korean is complete: the same keys as English, nothing empty, the same {placeholders}; and the language
// in effect follows the setting, else the OS locale.
import { describe, expect, it } from 'vitest'
import { en } from '../src/renderer/src/i18n/en'
import { ko } from '../src/renderer/src/i18n/ko'
import { resolveLanguage, translate } from '../src/renderer/src/i18n'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('translations', () => {
  it('Korean has exactly the English keys, none empty', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort())
    for (const [key, text] of Object.entries(ko)) expect(text.trim(), key).not.toBe('')
  })

  it('every Korean string uses the same placeholders as its English one', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ko[key]), key).toEqual(placeholders(en[key]))
    }
  })

  it('Korean strings are Korean (apart from names like Python, JSON, Ctrl+S)', () => {
    const untranslated = Object.entries(ko).filter(
      ([key, text]) => text === en[key as keyof typeof en] && /[a-z]{4,}/i.test(text.replace(/\{\w+\}|Python|JSON/g, ''))
    )
    expect(untranslated).toEqual([])
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'sidebar.steps', { count: 3 })).toBe('3 steps')
    expect(translate('ko', 'sidebar.steps', { count: 3 })).toBe('단계 3개')
    expect(translate('en', 'sidebar.steps')).toBe('{count} steps')
  })

  it('follows the setting, else the OS locale', () => {
    expect(resolveLanguage(null, 'ko-KR')).toBe('ko')
    expect(resolveLanguage(null, 'ko')).toBe('ko')
    expect(resolveLanguage(null, 'en-US')).toBe('en')
    expect(resolveLanguage(null, '')).toBe('en')
    expect(resolveLanguage('en', 'ko-KR')).toBe('en')
    expect(resolveLanguage('ko', 'de-DE')).toBe('ko')
  })
})
