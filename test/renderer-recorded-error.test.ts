// The recorded English headlines the engine writes reach the Korean window in Korean; anything else
// (Python's own text, a headline Stepwise does not know) is left as recorded.
import { describe, expect, it } from 'vitest'
import { translate, type MessageKey, type MessageParams } from '../src/renderer/src/i18n'
import { localizeHeadline } from '../src/renderer/src/lib/recorded-error'

const ko = (key: MessageKey, params?: MessageParams) => translate('ko', key, params)
const en = (key: MessageKey, params?: MessageParams) => translate('en', key, params)

describe('localizeHeadline', () => {
  it('says a failed step and its run in Korean', () => {
    expect(localizeHeadline('Script failed with exit code 1', ko)).toBe('스크립트가 실패했습니다(종료 코드 1)')
    expect(localizeHeadline('Step "팀별 합계": Script failed with exit code 2', ko)).toBe(
      '"팀별 합계" 단계: 스크립트가 실패했습니다(종료 코드 2)'
    )
    expect(localizeHeadline('Timed out after 30 s; the script and every process it started were stopped.', ko)).toContain('30초')
  })

  it('keeps the English text as recorded in English', () => {
    for (const h of ['Script failed with exit code 1', 'Step "A": Stopped by the user.']) expect(localizeHeadline(h, en)).toBe(h)
  })

  it('leaves what it does not know alone, even inside a step headline', () => {
    expect(localizeHeadline('KeyError: 2026-12', ko)).toBe('KeyError: 2026-12')
    expect(localizeHeadline('Step "A": printed something odd', ko)).toBe('Step "A": printed something odd')
  })
})
