// The translation function bound to the language in effect; re-renders when the language changes.
import { useCallback } from 'react'
import { useStore } from 'zustand'
import { effectiveLanguage, settingsStore } from '../stores/settings-store'
import { localeTag, translate, type MessageKey, type MessageParams } from '.'

export type TFunction = (key: MessageKey, params?: MessageParams) => string

export function useT(): { t: TFunction; language: 'en' | 'ko'; locale: string } {
  const language = useStore(settingsStore, effectiveLanguage)
  const t = useCallback<TFunction>((key, params) => translate(language, key, params), [language])
  return { t, language, locale: localeTag(language) }
}
