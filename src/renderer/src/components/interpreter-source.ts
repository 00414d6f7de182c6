// Where an interpreter was found, as the picker shows it. Tool names (uv, Poetry, conda, Homebrew...) are
// names in every language; only the descriptive sources are translated.
import type { MessageKey } from '../i18n/en'

const TRANSLATED: Record<string, MessageKey> = {
  'project .venv': 'interpreters.source.project',
  registry: 'interpreters.source.registry',
  'py launcher': 'interpreters.source.launcher',
  'py install manager': 'interpreters.source.manager',
  chosen: 'interpreters.source.chosen'
}

export function interpreterSourceLabel(source: string, t: (key: MessageKey) => string): string {
  const key = TRANSLATED[source]
  return key ? t(key) : source
}
