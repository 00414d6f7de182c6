// One translation layer for every string the renderer shows. The English table defines the key set;
// the Korean one must have exactly the same keys (the type says so, and a unit test checks it).
import type { Language } from '../../../shared/model'
import { en, type MessageKey } from './en'
import { ko } from './ko'

export type { MessageKey }
export type MessageParams = Record<string, string | number>

export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, ko }

export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const text = dictionaries[language][key] ?? en[key] ?? key
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** The language a person gets: their choice, else the OS locale (Korean for any ko-* locale). */
export function resolveLanguage(choice: Language | null | undefined, osLocale: string | null | undefined): Language {
  if (choice) return choice
  return (osLocale ?? '').toLowerCase().startsWith('ko') ? 'ko' : 'en'
}

/** BCP 47 tag for dates and numbers. */
export function localeTag(language: Language): string {
  return language === 'ko' ? 'ko-KR' : 'en-US'
}

/** Whether a key built at run time (e.g. from an error's code) names a sentence. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key)
}
