// The selected step's run control: what it waits for, whether it is retried, whether its failure stops the
// run. Folded under a summary line, so the code keeps the room; the summary says what is set.
import { useState } from 'react'
import { useT } from '../i18n/use-t'
import { DEFAULT_RETRY, type RetryForm } from '../lib/retry-form'
import { effectiveDependencies } from '../stores/draft-dependencies'
import { draftStore, type Draft, type DraftStep } from '../stores/draft-store'
import './run-control-edit.css'

export function StepRunControl({ draft, step }: { draft: Draft; step: DraftStep }) {
  const { t } = useT()
  const [open, setOpen] = useState(false)
  const store = draftStore.getState()
  const handler = draft.on_failure.includes(step.id)
  const graph = draft.steps.some((s) => !draft.on_failure.includes(s.id) && s.depends_on !== null)
  const waitsFor = effectiveDependencies(draft.steps, draft.on_failure).get(step.id) ?? []
  const candidates = draft.steps.filter((s) => s.id !== step.id && !draft.on_failure.includes(s.id))
  const nameOf = (id: string): string => draft.steps.find((s) => s.id === id)?.name || t('steps.unnamed')

  const summary = [
    handler
      ? t('runControl.edit.summary.handler')
      : waitsFor.length
        ? t('runControl.edit.summary.after', { steps: waitsFor.map(nameOf).join(', ') })
        : t('runControl.edit.summary.start'),
    step.retry ? t('runControl.edit.summary.retry', { count: step.retry.count.trim() || '?' }) : null,
    step.continue_on_error ? t('runControl.edit.summary.continue') : null
  ].filter(Boolean)

  const setRetry = (patch: Partial<RetryForm>) => store.updateStep(step.id, { retry: { ...(step.retry ?? DEFAULT_RETRY), ...patch } })
  const toggle = (id: string, on: boolean) => store.setDependencies(step.id, on ? [...waitsFor, id] : waitsFor.filter((d) => d !== id))

  return (
    <details className="run-control" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="run-control">
      <summary data-testid="run-control-summary">
        <strong>{t('runControl.edit.section')}</strong>
        <span className="muted"> · {summary.join(' · ')}</span>
      </summary>
      <div className="run-control-body">
        <fieldset className="run-control-group" data-testid="depends-on">
          <legend>{t('runControl.edit.dependsOn')}</legend>
          {handler ? (
            <p className="hint">{t('runControl.edit.handlerNote')}</p>
          ) : (
            <>
              {candidates.length === 0 && <p className="hint">{t('runControl.edit.dependsOnNone')}</p>}
              <div className="run-control-checks">
                {candidates.map((s) => (
                  <label key={s.id} className="check-field">
                    <input
                      type="checkbox"
                      checked={waitsFor.includes(s.id)}
                      onChange={(e) => toggle(s.id, e.target.checked)}
                      data-testid="depends-on-step"
                      data-name={s.name}
                    />
                    <span>{s.name || t('steps.unnamed')}</span>
                  </label>
                ))}
              </div>
              {candidates.length > 0 && (
                <p className="hint">{graph ? t('runControl.edit.dependsOnHelp') : t('runControl.edit.dependsOnInOrder')}</p>
              )}
            </>
          )}
        </fieldset>
        <fieldset className="run-control-group">
          <legend>{t('runControl.edit.retry')}</legend>
          <label className="check-field">
            <input
              type="checkbox"
              checked={step.retry !== null}
              onChange={(e) => store.updateStep(step.id, { retry: e.target.checked ? DEFAULT_RETRY : null })}
              data-testid="retry-toggle"
            />
            <span>{t('runControl.edit.retry')}</span>
          </label>
          {step.retry && (
            <div className="run-control-retry">
              <label className="field">
                <span>{t('runControl.edit.retryCount')}</span>
                <input
                  inputMode="numeric"
                  value={step.retry.count}
                  onChange={(e) => setRetry({ count: e.target.value })}
                  data-testid="retry-count"
                />
              </label>
              <label className="field">
                <span>{t('runControl.edit.retryDelay')}</span>
                <input
                  inputMode="decimal"
                  value={step.retry.delay_seconds}
                  onChange={(e) => setRetry({ delay_seconds: e.target.value })}
                  data-testid="retry-delay"
                />
              </label>
              <label className="field">
                <span>{t('runControl.edit.retryBackoff')}</span>
                <input
                  inputMode="decimal"
                  value={step.retry.backoff}
                  onChange={(e) => setRetry({ backoff: e.target.value })}
                  data-testid="retry-backoff"
                />
              </label>
              <label className="field">
                <span>{t('runControl.edit.retryExitCodes')}</span>
                <input
                  value={step.retry.exit_codes}
                  placeholder={t('runControl.edit.retryExitCodesPlaceholder')}
                  onChange={(e) => setRetry({ exit_codes: e.target.value })}
                  data-testid="retry-exit-codes"
                />
              </label>
            </div>
          )}
        </fieldset>
        <fieldset className="run-control-group">
          <legend>{t('runControl.edit.continueOnError')}</legend>
          <label className="check-field">
            <input
              type="checkbox"
              checked={step.continue_on_error}
              onChange={(e) => store.updateStep(step.id, { continue_on_error: e.target.checked })}
              data-testid="continue-on-error"
            />
            <span>{t('runControl.edit.continueOnError')}</span>
          </label>
          <p className="hint">{t('runControl.edit.continueOnErrorHelp')}</p>
        </fieldset>
      </div>
    </details>
  )
}
