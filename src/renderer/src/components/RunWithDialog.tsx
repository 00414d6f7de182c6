// "Run with…": the workflow's initial variables for one run only, as `--var` is on the command line. The
// run records them; the workflow keeps its own values unless the person asks to save these as its defaults.
import { useEffect, useRef, useState } from 'react'
import { runWorkflow, saveDraft } from '../app-actions'
import { useT } from '../i18n/use-t'
import { parseVariablesText } from '../lib/json-text'
import { draftStore } from '../stores/draft-store'
import './everyday.css'

export function RunWithDialog({ onClose }: { onClose: () => void }) {
  const { t } = useT()
  const [text, setText] = useState(() => draftStore.getState().draft?.variablesText ?? '{}')
  const [saveAsDefaults, setSaveAsDefaults] = useState(false)
  const ref = useRef<HTMLTextAreaElement>(null)
  const parsed = parseVariablesText(text)
  useEffect(() => ref.current?.focus(), [])

  const run = async () => {
    if (!parsed.ok) return
    onClose()
    if (saveAsDefaults) {
      draftStore.getState().update({ variablesText: text })
      if (!(await saveDraft())) return
    }
    await runWorkflow(parsed.value)
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="modal run-with-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="run-with-title"
        aria-describedby="run-with-hint"
        data-testid="run-with-dialog"
        onSubmit={(e) => {
          e.preventDefault()
          void run()
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose()
          // Enter makes new lines in the JSON; Ctrl+Enter runs, as in the run bar's habits.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void run()
        }}
      >
        <h2 id="run-with-title">{t('everyday.runWith.title')}</h2>
        <p id="run-with-hint" className="muted">
          {t('everyday.runWith.hint')}
        </p>
        <textarea
          ref={ref}
          className={`code-textarea${parsed.ok ? '' : ' invalid'}`}
          spellCheck={false}
          rows={10}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label={t('everyday.runWith.variables')}
          aria-invalid={!parsed.ok}
          data-testid="run-with-variables"
        />
        {!parsed.ok && (
          <div className="field-error" role="alert" data-testid="run-with-error">
            {parsed.error === 'not-object' ? t('runbar.variablesNotObject') : t('runbar.variablesInvalid', { error: parsed.error })}
          </div>
        )}
        <label className="toggle run-with-save">
          <input
            type="checkbox"
            checked={saveAsDefaults}
            onChange={(e) => setSaveAsDefaults(e.target.checked)}
            data-testid="run-with-save-defaults"
          />
          <span className="toggle-track" aria-hidden="true" />
          {t('everyday.runWith.saveDefaults')}
        </label>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="run-with-cancel">
            {t('action.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!parsed.ok} data-testid="run-with-run">
            ▶ {t('everyday.runWith.run')}
          </button>
        </div>
      </form>
    </div>
  )
}
