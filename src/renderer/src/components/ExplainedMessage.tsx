// A refusal main sent inside a result (a cron preview, the secrets' place, a package install): in this
// window's language when it came with a code, its untranslated detail (croner's or pip's own words) after
// it, and main's English sentence only when there was no code.
import { explainedText } from '../lib/error-text'
import { useT } from '../i18n/use-t'

export interface Explained {
  key?: string
  params?: Record<string, string>
  detail?: string
}

export function ExplainedMessage({ explained, fallback }: { explained: Explained; fallback: string }) {
  const { t } = useT()
  const text = explainedText(explained)
  if (!text) return <>{fallback}</>
  return (
    <>
      {t(text.key, text.params)}
      {text.detail && (
        <>
          {' '}
          <span className="explained-detail">{text.detail}</span>
        </>
      )}
    </>
  )
}
