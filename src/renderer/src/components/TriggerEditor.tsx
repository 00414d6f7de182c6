// The folder-trigger editor: a folder (picked or pasted), which files, on which events, whether files
// already there count, where a file goes after a successful run, and polling for network or synced folders.
import { useState } from 'react'
import { call } from '../api'
import { useT } from '../i18n/use-t'
import { errorSentence } from '../lib/error-text'
import { triggerProblems, type TriggerField, type TriggerForm } from '../lib/trigger-form'
import { useWorkflows } from '../stores/hooks'
import { notify, reportError } from '../stores/toast-store'
import { WorkflowSelect } from './WorkflowSelect'

const EMPTY: TriggerForm = {
  folder: '',
  pattern: '*',
  onAdd: true,
  onChange: false,
  processExisting: false,
  moveAfterSuccess: false,
  moveTo: '',
  poll: false
}

function PathInput({
  value,
  onChange,
  testid,
  label,
  error
}: {
  value: string
  onChange: (v: string) => void
  testid: string
  label: string
  error?: string
}) {
  const { t } = useT()
  const pick = async () => {
    try {
      const folder = await call('dialogs:pickFolder', value.trim() ? { default_path: value.trim() } : {})
      if (folder) onChange(folder)
    } catch (err) {
      reportError('error.pickFolder', err)
    }
  }
  return (
    <div className="field">
      <label htmlFor={testid}>{label}</label>
      <div className="control-row">
        <input
          id={testid}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          spellCheck={false}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${testid}-error` : undefined}
          data-testid={testid}
        />
        <button type="button" className="btn" onClick={() => void pick()} data-testid={`${testid}-pick`}>
          {t('action.chooseFolder')}
        </button>
      </div>
      {error && (
        <p className="field-error" id={`${testid}-error`} data-testid={`${testid}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

export function TriggerEditor({ onAdded }: { onAdded: () => void }) {
  const { t } = useT()
  const workflows = useWorkflows((s) => s.list)
  const [workflowId, setWorkflowId] = useState('')
  const [form, setForm] = useState<TriggerForm>(EMPTY)
  const [tried, setTried] = useState(false)
  const [refused, setRefused] = useState<string | null>(null)
  const [warning, setWarning] = useState<string | null>(null)
  const chosen = workflowId || workflows[0]?.id || ''
  const problems = triggerProblems(form)
  const shown = (field: TriggerField): string | undefined => (tried && problems[field] ? t(problems[field]) : undefined)
  const edit = (patch: Partial<TriggerForm>) => {
    setForm({ ...form, ...patch })
    setRefused(null)
  }

  const add = async (): Promise<void> => {
    setTried(true)
    setWarning(null)
    if (!chosen || Object.keys(problems).length) return
    const events = [...(form.onAdd ? (['add'] as const) : []), ...(form.onChange ? (['change'] as const) : [])]
    try {
      const { trigger, warning: noMatch } = await call('triggers:add', {
        workflow_id: chosen,
        folder: form.folder.trim(),
        pattern: form.pattern.trim(),
        events,
        process_existing: form.processExisting,
        move_to: form.moveAfterSuccess ? form.moveTo.trim() : undefined,
        poll: form.poll
      })
      notify('success', 'trigger.added')
      if (noMatch) setWarning(t('trigger.noMatch', { pattern: trigger.pattern }))
      setForm(EMPTY)
      setTried(false)
      onAdded()
    } catch (err) {
      setRefused(errorSentence(err, t))
    }
  }

  const check = (key: keyof TriggerForm, label: string, testid: string) => (
    <label className="check-field">
      <input type="checkbox" checked={form[key] as boolean} onChange={(e) => edit({ [key]: e.target.checked })} data-testid={testid} />
      {label}
    </label>
  )

  return (
    <section className="settings-group schedule-editor" data-testid="trigger-editor" aria-labelledby="trigger-editor-title">
      <h3 id="trigger-editor-title">{t('trigger.editor')}</h3>
      <WorkflowSelect workflows={workflows} value={chosen} onChange={setWorkflowId} testId="trigger-workflow" />
      <PathInput
        value={form.folder}
        onChange={(folder) => edit({ folder })}
        testid="trigger-folder"
        label={t('schedules.folder')}
        error={shown('folder')}
      />
      <div className="field">
        <label htmlFor="trigger-pattern">{t('trigger.pattern')}</label>
        <input
          id="trigger-pattern"
          value={form.pattern}
          onChange={(e) => edit({ pattern: e.target.value })}
          spellCheck={false}
          aria-invalid={Boolean(shown('pattern'))}
          aria-describedby="trigger-pattern-hint"
          data-testid="trigger-pattern"
        />
        <p className="hint" id="trigger-pattern-hint">
          {t('trigger.patternHint')}
        </p>
        {shown('pattern') && (
          <p className="field-error" data-testid="trigger-pattern-error">
            {shown('pattern')}
          </p>
        )}
      </div>
      <fieldset className="check-group">
        <legend>{t('trigger.events')}</legend>
        {check('onAdd', t('trigger.event.add'), 'trigger-on-add')}
        {check('onChange', t('trigger.event.change'), 'trigger-on-change')}
        {shown('events') && (
          <p className="field-error" data-testid="trigger-events-error">
            {shown('events')}
          </p>
        )}
      </fieldset>
      <fieldset className="check-group">
        <legend>{t('trigger.options')}</legend>
        {check('processExisting', t('trigger.processExisting'), 'trigger-existing')}
        {check('poll', t('trigger.poll'), 'trigger-poll')}
        {check('moveAfterSuccess', t('trigger.moveAfterSuccess'), 'trigger-move')}
      </fieldset>
      {form.moveAfterSuccess && (
        <PathInput
          value={form.moveTo}
          onChange={(moveTo) => edit({ moveTo })}
          testid="trigger-move-to"
          label={t('trigger.moveTo')}
          error={shown('moveTo')}
        />
      )}
      {refused && (
        <p className="field-error" role="alert" data-testid="trigger-refused">
          {t('trigger.refused', { reason: refused })}
        </p>
      )}
      {warning && (
        <p className="hint" role="status" data-testid="trigger-warning">
          {warning}
        </p>
      )}
      <button type="button" className="btn btn-primary" disabled={!chosen} onClick={() => void add()} data-testid="trigger-add">
        {t('trigger.add')}
      </button>
    </section>
  )
}
