// Secrets: the names kept for this database and where, with values write-only (set, replace, delete).
// A typed value lives only in this form until it is saved, and is cleared at once after.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { SecretsInfo } from '../../../shared/ipc-contract'
import { secretNameExplanation } from '../../../shared/secret-input-explanation'
import { explanationFields } from '../../../shared/error-messages'
import { call } from '../api'
import { useT } from '../i18n/use-t'
import { notify, reportError } from '../stores/toast-store'
import { uiStore } from '../stores/ui-store'
import { ExplainedMessage } from './ExplainedMessage'

export function SecretsScreen() {
  const { t } = useT()
  const [info, setInfo] = useState<SecretsInfo | null>(null)
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [saving, setSaving] = useState(false)
  const valueRef = useRef<HTMLInputElement>(null)
  const load = useCallback(() => {
    call('secrets:list', {}).then(setInfo, (err) => reportError('secrets.loadFailed', err))
  }, [])
  useEffect(load, [load])

  const nameProblem = name ? secretNameExplanation(name) : null
  const save = async (): Promise<void> => {
    setSaving(true)
    try {
      const { names } = await call('secrets:set', { name, value })
      setInfo((i) => (i?.available ? { ...i, names } : i))
      notify('success', 'secrets.saved', { name })
      setName('')
      setValue('')
    } catch (err) {
      reportError('secrets.failed', err)
    } finally {
      setSaving(false)
    }
  }
  const remove = async (secret: string): Promise<void> => {
    const answer = await uiStore.getState().confirm({
      titleKey: 'secrets.confirmDeleteTitle',
      messageKey: 'secrets.confirmDelete',
      params: { name: secret },
      confirmKey: 'secrets.delete',
      danger: true
    })
    if (answer !== 'confirm') return
    try {
      const { names } = await call('secrets:delete', { name: secret })
      setInfo((i) => (i?.available ? { ...i, names } : i))
      notify('success', 'secrets.deleted', { name: secret })
    } catch (err) {
      reportError('secrets.failed', err)
    }
  }

  return (
    <div className="form-page secrets-page" data-testid="secrets-screen">
      <h2>{t('secrets.title')}</h2>
      <p className="hint">{t('secrets.intro')}</p>
      {info && !info.available && (
        <p className="field-error" role="alert" data-testid="secrets-unavailable">
          {info.key ? <ExplainedMessage explained={info} fallback={info.message} /> : t('secrets.unavailable', { message: info.message })}
        </p>
      )}
      {info?.available && (
        <>
          <p className="muted" data-testid="secrets-where">
            {t('secrets.where', { where: info.where })}
          </p>
          <section className="settings-group" aria-labelledby="secrets-list-title">
            <h3 id="secrets-list-title">{t('secrets.list')}</h3>
            {!info.names.length && <p className="muted">{t('secrets.none')}</p>}
            <ul className="secrets-list" data-testid="secrets-list">
              {info.names.map((n) => (
                <li key={n} className="secrets-row" data-testid={`secret-${n}`}>
                  <code>{n}</code>
                  <span className="muted" aria-hidden="true">
                    ••••••••
                  </span>
                  <button
                    type="button"
                    className="btn btn-ghost"
                    onClick={() => {
                      setName(n)
                      valueRef.current?.focus()
                    }}
                  >
                    {t('secrets.replace', { name: n })}
                  </button>
                  <button type="button" className="btn btn-ghost" onClick={() => void remove(n)}>
                    {t('secrets.delete', { name: n })}
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <form
            className="settings-group"
            aria-labelledby="secrets-add-title"
            onSubmit={(e) => {
              e.preventDefault()
              if (!nameProblem && name && value) void save()
            }}
          >
            <h3 id="secrets-add-title">{t('secrets.add')}</h3>
            <div className="button-row">
              <label className="field">
                <span>{t('secrets.name')}</span>
                <input
                  value={name}
                  onChange={(e) => setName(e.target.value.trim())}
                  maxLength={200}
                  spellCheck={false}
                  autoComplete="off"
                  aria-describedby="secret-name-hint"
                  data-testid="secret-name"
                />
              </label>
              <label className="field">
                <span>{t('secrets.value')}</span>
                <input
                  ref={valueRef}
                  type="password"
                  value={value}
                  onChange={(e) => setValue(e.target.value)}
                  autoComplete="new-password"
                  data-testid="secret-value"
                />
              </label>
            </div>
            {nameProblem ? (
              <p className="field-error" id="secret-name-hint" data-testid="secret-name-problem">
                <ExplainedMessage explained={explanationFields({ explanation: nameProblem })} fallback="" />
              </p>
            ) : (
              <p className="hint" id="secret-name-hint">
                {t('secrets.nameHint')}
              </p>
            )}
            <button
              type="submit"
              className="btn btn-primary"
              disabled={saving || !name || !value || !!nameProblem}
              data-testid="secret-save"
            >
              {t('secrets.save')}
            </button>
          </form>
        </>
      )}
    </div>
  )
}
