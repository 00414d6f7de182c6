// The Schedules view: every schedule and folder trigger with its last result and next run, and the
// schedule editor, which shows the expression in words and the next 5 runs as it is typed.
import { useCallback, useEffect, useState } from 'react'
import type { CronPreview, ScheduleRow, TriggerRow, CatchUpPolicy, OverlapPolicy } from '../../../shared/schedules'
import { presetToCron } from '../../../shared/schedules'
import { call } from '../api'
import { useT } from '../i18n/use-t'
import { useWorkflows } from '../stores/hooks'
import { notify, reportError } from '../stores/toast-store'
import { pausedReasonText, scheduleResultText } from '../lib/recorded-error'
import { ExplainedMessage } from './ExplainedMessage'
import { TriggerEditor } from './TriggerEditor'
import { WorkflowSelect } from './WorkflowSelect'

/** A run time as the schedule's own zone shows it (09:00 in Seoul is 09:00, whatever this computer's zone). */
function inZone(iso: string, tz: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: tz
    }).format(new Date(iso))
  } catch {
    return iso
  }
}

type PresetKind = 'weekdays' | 'daily' | 'hourly' | 'every' | 'custom'

function cronOf(kind: PresetKind, time: string, minutes: number, custom: string): string {
  const [h, m] = time.split(':').map(Number)
  try {
    if (kind === 'weekdays') return presetToCron({ kind: 'weekdays', hour: h, minute: m })
    if (kind === 'daily') return presetToCron({ kind: 'daily', hour: h, minute: m })
    if (kind === 'hourly') return presetToCron({ kind: 'hourly', minute: 0 })
    if (kind === 'every') return presetToCron({ kind: 'every-minutes', minutes })
  } catch {
    return ''
  }
  return custom
}

function ScheduleEditor({ onAdded }: { onAdded: () => void }) {
  const { t, language, locale } = useT()
  const workflows = useWorkflows((s) => s.list)
  const [workflowId, setWorkflowId] = useState('')
  const [kind, setKind] = useState<PresetKind>('weekdays')
  const [time, setTime] = useState('09:00')
  const [minutes, setMinutes] = useState(15)
  const [custom, setCustom] = useState('0 9 * * 1-5')
  const [tz, setTz] = useState('')
  const [catchUp, setCatchUp] = useState<CatchUpPolicy>('once')
  const [overlap, setOverlap] = useState<OverlapPolicy>('skip')
  const [preview, setPreview] = useState<CronPreview | null>(null)
  const cron = cronOf(kind, time, minutes, custom)
  const chosen = workflowId || workflows[0]?.id || ''

  useEffect(() => {
    let live = true
    call('schedules:preview', { cron, tz: tz || undefined, language }).then(
      (p) => live && setPreview(p),
      (err: Error) => live && setPreview({ ok: false, error: err.message })
    )
    return () => {
      live = false
    }
  }, [cron, tz, language])

  const add = async (): Promise<void> => {
    try {
      await call('schedules:add', { workflow_id: chosen, cron, tz: tz || undefined, catch_up: catchUp, overlap })
      notify('success', 'schedules.added')
      onAdded()
    } catch (err) {
      reportError('schedules.failed', err)
    }
  }

  return (
    <section className="settings-group schedule-editor" data-testid="schedule-editor" aria-labelledby="schedule-editor-title">
      <h3 id="schedule-editor-title">{t('schedules.editor')}</h3>
      <WorkflowSelect workflows={workflows} value={chosen} onChange={setWorkflowId} testId="schedule-workflow" />
      <div className="button-row">
        <label className="field">
          <span>{t('schedules.preset')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as PresetKind)} data-testid="schedule-preset">
            <option value="weekdays">{t('schedules.preset.weekdays')}</option>
            <option value="daily">{t('schedules.preset.daily')}</option>
            <option value="hourly">{t('schedules.preset.hourly')}</option>
            <option value="every">{t('schedules.preset.every')}</option>
            <option value="custom">{t('schedules.preset.custom')}</option>
          </select>
        </label>
        {(kind === 'weekdays' || kind === 'daily') && (
          <label className="field field-narrow">
            <span>{t('schedules.time')}</span>
            <input type="time" value={time} onChange={(e) => setTime(e.target.value)} data-testid="schedule-time" />
          </label>
        )}
        {kind === 'every' && (
          <label className="field field-narrow">
            <span>{t('schedules.minutes')}</span>
            <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="schedule-minutes">
              {[1, 2, 5, 10, 15, 20, 30].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'custom' && (
          <label className="field">
            <span>{t('schedules.cron')}</span>
            <input
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
              spellCheck={false}
              aria-invalid={preview?.ok === false}
              data-testid="schedule-cron"
            />
          </label>
        )}
        <label className="field">
          <span>{t('schedules.zone')}</span>
          <input value={tz} placeholder={preview?.ok ? preview.tz : ''} onChange={(e) => setTz(e.target.value)} data-testid="schedule-tz" />
        </label>
      </div>
      <div className="schedule-preview" aria-live="polite" data-testid="schedule-preview">
        {preview?.ok === false && (
          <p className="field-error" data-testid="schedule-preview-error">
            <ExplainedMessage explained={preview} fallback={preview.error} />
          </p>
        )}
        {preview?.ok && (
          <>
            <p className="schedule-sentence" data-testid="schedule-sentence">
              <code>{cron}</code> · {preview.sentence}
            </p>
            <p className="hint">{t('schedules.nextRuns')}</p>
            <ol className="schedule-next" data-testid="schedule-next-runs">
              {preview.next_runs.map((r) => (
                <li key={r}>
                  {inZone(r, preview.tz, locale)} ({preview.tz})
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
      <div className="button-row">
        <label className="field">
          <span>{t('schedules.catchUp')}</span>
          <select value={catchUp} onChange={(e) => setCatchUp(e.target.value as CatchUpPolicy)}>
            {(['none', 'once', 'all'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`schedules.catchUp.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('schedules.overlap')}</span>
          <select value={overlap} onChange={(e) => setOverlap(e.target.value as OverlapPolicy)}>
            {(['skip', 'queue', 'allow'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`schedules.overlap.${p}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button
        type="button"
        className="btn btn-primary"
        disabled={!chosen || !preview?.ok}
        onClick={() => void add()}
        data-testid="schedule-add"
      >
        {t('schedules.add')}
      </button>
    </section>
  )
}

export function SchedulesScreen() {
  const { t, language, locale } = useT()
  const [rows, setRows] = useState<{ schedules: ScheduleRow[]; triggers: TriggerRow[] } | null>(null)
  const refresh = useCallback(() => {
    call('schedules:list', { language }).then(setRows, (err) => reportError('schedules.loadFailed', err))
  }, [language])
  useEffect(() => {
    refresh()
    const timer = setInterval(refresh, 5000)
    return () => clearInterval(timer)
  }, [refresh])
  const act = (p: Promise<unknown>): void => void p.then(refresh, (err) => reportError('schedules.failed', err))

  return (
    <div className="form-page schedules-page" data-testid="schedules-screen">
      <h2>{t('schedules.title')}</h2>
      <p className="hint">{t('schedules.intro')}</p>
      {rows && !rows.schedules.length && !rows.triggers.length && <p className="muted">{t('schedules.empty')}</p>}
      {rows && rows.schedules.length > 0 && (
        <table className="schedules-table" data-testid="schedules-table">
          <thead>
            <tr>
              <th>{t('schedules.enabled')}</th>
              <th>{t('schedules.workflow')}</th>
              <th>{t('schedules.when')}</th>
              <th>{t('schedules.zone')}</th>
              <th>{t('schedules.next')}</th>
              <th>{t('schedules.last')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.schedules.map((s) => (
              <tr key={s.id} data-testid="schedule-row">
                <td>
                  <input
                    type="checkbox"
                    checked={s.enabled}
                    aria-label={`${t('schedules.enabled')}: ${s.workflow_name}`}
                    onChange={(e) => act(call('schedules:setEnabled', { id: s.id, enabled: e.target.checked }))}
                  />
                </td>
                <td>{s.workflow_name}</td>
                <td>
                  {s.sentence}
                  <br />
                  <code className="muted">{s.cron}</code>
                </td>
                <td className="nowrap">{s.tz}</td>
                <td>{s.next_run_at ? inZone(s.next_run_at, s.tz, locale) : t('schedules.never')}</td>
                <td>{s.last_result ? scheduleResultText(s.last_result, t) : t('schedules.never')}</td>
                <td>
                  <button type="button" className="btn btn-ghost" onClick={() => act(call('schedules:remove', { id: s.id }))}>
                    {t('schedules.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.triggers.length > 0 && (
        <>
          <h3>{t('schedules.triggers')}</h3>
          <table className="schedules-table" data-testid="triggers-table">
            <thead>
              <tr>
                <th>{t('schedules.workflow')}</th>
                <th>{t('schedules.folder')}</th>
                <th>{t('schedules.pattern')}</th>
                <th>{t('schedules.last')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.triggers.map((tr) => (
                <tr key={tr.id} data-testid="trigger-row">
                  <td>{tr.workflow_name}</td>
                  <td>
                    {tr.folder}
                    <br />
                    <span className={tr.paused_reason ? 'field-error' : 'muted'}>
                      {tr.paused_reason
                        ? t('schedules.paused', { reason: pausedReasonText(tr.paused_reason, t) })
                        : t('schedules.watching')}
                    </span>
                  </td>
                  <td>
                    <code>{tr.pattern}</code>
                  </td>
                  <td>{tr.last_result ? scheduleResultText(tr.last_result, t) : t('schedules.never')}</td>
                  <td>
                    <button type="button" className="btn btn-ghost" onClick={() => act(call('triggers:remove', { id: tr.id }))}>
                      {t('schedules.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ScheduleEditor onAdded={refresh} />
      <TriggerEditor onAdded={refresh} />
    </div>
  )
}
