// The modal questions: confirm (with an optional third answer) and a one-line prompt. Focus goes to the
// dialog, Escape cancels, Enter confirms.
import { useEffect, useRef, useState } from 'react'
import { useUi } from '../stores/hooks'
import { uiStore } from '../stores/ui-store'
import { useT } from '../i18n/use-t'

export function ConfirmDialog() {
  const { t } = useT()
  const req = useUi((s) => s.confirmRequest)
  const confirmRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (req) confirmRef.current?.focus()
  }, [req])
  if (!req) return null
  const answer = uiStore.getState().answerConfirm
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && answer('cancel')}>
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="confirm-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') answer('cancel')
        }}
      >
        <h2 id="confirm-title">{t(req.titleKey, req.params)}</h2>
        <p>{t(req.messageKey, req.params)}</p>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={() => answer('cancel')} data-testid="confirm-cancel">
            {t('action.cancel')}
          </button>
          {req.alternateKey && (
            <button type="button" className="btn" onClick={() => answer('alternate')} data-testid="confirm-alternate">
              {t(req.alternateKey)}
            </button>
          )}
          <button
            ref={confirmRef}
            type="button"
            className={`btn ${req.danger ? 'btn-danger' : 'btn-primary'}`}
            onClick={() => answer('confirm')}
            data-testid="confirm-ok"
          >
            {t(req.confirmKey)}
          </button>
        </div>
      </div>
    </div>
  )
}

export function PromptDialog() {
  const { t } = useT()
  const req = useUi((s) => s.promptRequest)
  const [value, setValue] = useState('')
  const inputRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (!req) return
    setValue(req.initial)
    requestAnimationFrame(() => inputRef.current?.select())
  }, [req])
  if (!req) return null
  const answer = uiStore.getState().answerPrompt
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && answer(null)}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="prompt-title"
        data-testid="prompt-dialog"
        onSubmit={(e) => {
          e.preventDefault()
          if (value.trim()) answer(value.trim())
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') answer(null)
        }}
      >
        <h2 id="prompt-title">{t(req.titleKey)}</h2>
        <label className="field">
          <span>{t(req.labelKey)}</span>
          <input
            ref={inputRef}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            maxLength={200}
            data-testid="prompt-input"
            autoFocus
          />
        </label>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={() => answer(null)}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!value.trim()} data-testid="prompt-ok">
            {t(req.confirmKey)}
          </button>
        </div>
      </form>
    </div>
  )
}
