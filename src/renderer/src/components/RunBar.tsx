// The bar above the editor: what is open and whether it is saved, and the run commands with their keys.
import { useEffect, useRef, useState } from 'react'
import { useStore } from 'zustand'
import { exportScripts, runWorkflow, saveDraft, stopRun } from '../app-actions'
import { useT } from '../i18n/use-t'
import { parseVariablesText } from '../lib/json-text'
import { draftStore } from '../stores/draft-store'
import { useDraft, useRuns, useSettings } from '../stores/hooks'
import { activeRunOf } from '../stores/runs-store'
import { runDebugStore } from '../stores/run-debug-store'
import { RunWithDialog } from './RunWithDialog'
import { StatusBadge } from './StatusBadge'
import './everyday.css'
import './layout/runbar-title.css'

function VariablesPopover({ onClose }: { onClose: () => void }) {
  const { t } = useT()
  const text = useDraft((s) => s.draft?.variablesText ?? '')
  const parsed = parseVariablesText(text)
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.querySelector('textarea')?.focus()
    const close = (e: MouseEvent) => {
      const target = e.target as HTMLElement
      if (!ref.current?.contains(target) && !target.closest('[data-testid="variables-toggle"]')) onClose()
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [onClose])
  return (
    <div
      className="popover variables-popover"
      ref={ref}
      role="dialog"
      aria-label={t('runbar.variablesTitle')}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="popover-head">
        <strong>{t('runbar.variablesTitle')}</strong>
        <span className="muted">{t('runbar.variablesHint')}</span>
      </div>
      <textarea
        className={`code-textarea${parsed.ok ? '' : ' invalid'}`}
        spellCheck={false}
        value={text}
        rows={10}
        onChange={(e) => draftStore.getState().update({ variablesText: e.target.value })}
        aria-label={t('runbar.variablesTitle')}
        aria-invalid={!parsed.ok}
        data-testid="variables-editor"
      />
      {!parsed.ok && (
        <div className="field-error" role="alert" data-testid="variables-error">
          {parsed.error === 'not-object' ? t('runbar.variablesNotObject') : t('runbar.variablesInvalid', { error: parsed.error })}
        </div>
      )}
    </div>
  )
}

export function RunBar() {
  const { t } = useT()
  const name = useDraft((s) => s.draft?.name ?? '')
  const id = useDraft((s) => s.draft?.id ?? null)
  const dirty = useDraft((s) => s.dirty)
  const saving = useDraft((s) => s.saving)
  const varsText = useDraft((s) => s.draft?.variablesText ?? '')
  const debugDefault = useSettings((s) => s.settings.debug_mode)
  const debugChoice = useStore(runDebugStore, (s) => (id ? s.byWorkflow[id] : undefined))
  const debug = debugChoice ?? debugDefault
  const [runWithOpen, setRunWithOpen] = useState(false)
  const starting = useRuns((s) => s.starting)
  const latest = useRuns((s) => {
    const rid = id ? s.latestByWorkflow[id] : undefined
    return rid ? s.runs[rid] : undefined
  })
  // Any run of this workflow still going, not only the newest: Stop is for it, and Run waits for it.
  const active = useRuns((s) => activeRunOf(s, id))
  const run = active ?? latest
  const [varsOpen, setVarsOpen] = useState(false)
  const running = !!active
  const parsed = parseVariablesText(varsText)
  const varCount = parsed.ok ? Object.keys(parsed.value).length : null

  return (
    <header className="runbar" data-testid="run-bar">
      <div className="runbar-title">
        <h1 data-testid="workflow-title" title={name}>
          {name}
        </h1>
        {dirty ? (
          <span className="unsaved" data-testid="unsaved-marker">
            ● {t('editor.unsaved')}
          </span>
        ) : (
          <span className="saved muted" data-testid="saved-marker">
            {t('editor.saved')}
          </span>
        )}
      </div>
      <div className="runbar-actions">
        <button
          type="button"
          className="btn"
          onClick={() => void saveDraft()}
          disabled={!dirty || saving}
          title={t('runbar.saveHint')}
          data-testid="save-workflow"
        >
          {t('action.save')} <kbd>Ctrl+S</kbd>
        </button>
        <div className="popover-anchor">
          <button
            type="button"
            className={`btn${parsed.ok ? '' : ' btn-warning'}`}
            onClick={() => setVarsOpen(!varsOpen)}
            aria-expanded={varsOpen}
            data-testid="variables-toggle"
          >
            {'{ }'} {t('runbar.variables')}
            {varCount !== null ? ` (${varCount})` : ' ⚠'}
          </button>
          {varsOpen && <VariablesPopover onClose={() => setVarsOpen(false)} />}
        </div>
        <label className="toggle" title={t('everyday.debugRun.hint')}>
          <input
            type="checkbox"
            checked={debug}
            onChange={(e) => id && runDebugStore.getState().set(id, e.target.checked)}
            aria-describedby="debug-run-note"
            data-testid="debug-toggle"
          />
          <span className="toggle-track" aria-hidden="true" />
          {t('everyday.debugRun.label')}
          <span id="debug-run-note" className="sr-only">
            {t('everyday.debugRun.hint')}
          </span>
        </label>
        <span className="runbar-sep" />
        {run && (
          <span className="runbar-status" data-testid="run-status">
            <StatusBadge
              status={run.status}
              startedAt={run.startedAt}
              durationMs={run.completedAt ? Date.parse(run.completedAt) - Date.parse(run.startedAt) : null}
            />
          </span>
        )}
        {running ? (
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => void stopRun()}
            title={t('runbar.stopHint')}
            data-testid="stop-run"
          >
            ■ {t('action.stop')} <kbd>Shift+F5</kbd>
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void runWorkflow()}
            disabled={starting || !id}
            title={t('runbar.runHint')}
            data-testid="run-workflow"
          >
            ▶ {t('action.run')} <kbd>F5</kbd>
          </button>
        )}
        <button
          type="button"
          className="btn"
          onClick={() => setRunWithOpen(true)}
          disabled={running || starting || !id}
          title={t('everyday.runWith.buttonHint')}
          data-testid="run-with"
        >
          {t('everyday.runWith.button')}
        </button>
        {runWithOpen && <RunWithDialog onClose={() => setRunWithOpen(false)} />}
        <button
          type="button"
          className="btn"
          onClick={() => void exportScripts()}
          title={t('runbar.exportScriptsHint')}
          data-testid="export-scripts"
        >
          {t('action.exportScripts')}
        </button>
      </div>
    </header>
  )
}
