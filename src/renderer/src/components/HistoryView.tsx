// Every execution of the open workflow; opening one shows each step as it was recorded: inputs, output,
// logs and error, with replay and, for debug runs, the kept files; its timeline, the run it resumed, and a
// traceback's lines opening the code as it ran then.
import { useEffect, useMemo, useState } from 'react'
import type { Execution, StepRun } from '../../../shared/model'
import type { DraftStep } from '../stores/draft-store'
import { goToRecordedLine, openRun } from '../run-control-actions'
import { useT } from '../i18n/use-t'
import { formatDateTime, formatDuration, formatRunTime } from '../lib/format'
import { filterRuns, NO_FILTERS, sortRuns, type Sort, type SortKey } from '../lib/history-filter'
import { splitLog } from '../lib/log-lines'
import { historyStore } from '../stores/history-store'
import { useDraft, useHistory, useRuns } from '../stores/hooks'
import { activeRunOf, MAX_LOG_LINES_PER_STEP } from '../stores/runs-store'
import { uiStore } from '../stores/ui-store'
import { HistoryFilters } from './history/HistoryFilters'
import { LogView } from './LogView'
import { RecordedCodeHost } from './RecordedCodeViewer'
import { errorLine, maxAttemptsOf } from './RunPanel'
import { canResume, ResumeButton, ReusedValuesNote } from './RunPanelExtras'
import { RunOutputs } from './RunOutputs'
import { RunTimeline } from './RunTimeline'
import { StatusBadge } from './StatusBadge'
import { StepRunDetails, type StepRunView } from './StepRunDetails'

function viewOf(s: StepRun, steps: DraftStep[] | undefined): StepRunView {
  return {
    id: s.step_id,
    name: s.name,
    order: s.order,
    status: s.status,
    startedAt: s.started_at,
    durationMs: s.duration_ms,
    exitCode: s.exit_code,
    error: s.error,
    logText: s.logs,
    inputVariables: s.input_variables,
    output: s.output,
    variables: null,
    scriptPath: s.script_path,
    variablesPath: s.variables_path,
    attempt: s.attempts ?? 1,
    maxAttempts: maxAttemptsOf(steps, s.step_id),
    previousAttempts: (s.previous_attempts ?? []).map((a) => ({
      attempt: a.attempt,
      status: a.status,
      exitCode: a.exit_code,
      durationMs: a.duration_ms,
      error: a.error,
      logText: a.logs
    })),
    reusedFrom: s.reused_from ?? null,
    onFailure: s.on_failure ?? false
  }
}

/** Recorded steps in the order they ran: the on-failure ones after the rest. */
function inRunOrder(steps: StepRun[]): StepRun[] {
  return [...steps].sort((a, b) => Number(a.on_failure ?? false) - Number(b.on_failure ?? false) || a.order - b.order)
}

function RecordedStep({ step, execution, canReplay }: { step: StepRun; execution: Execution; canReplay: boolean }) {
  const { t } = useT()
  const steps = useDraft((s) => s.draft?.steps)
  const [open, setOpen] = useState(step.status === 'FAILED' || step.status === 'TIMED_OUT' || execution.steps.length === 1)
  const jump = (line: number) =>
    void goToRecordedLine({ executionId: execution.id, stepId: step.step_id, line, live: false, code: step.code, name: step.name })
  // The recorded log is whole; the view keeps the same last lines a live run does.
  const log = useMemo(() => splitLog(step.logs, MAX_LOG_LINES_PER_STEP), [step.logs])
  return (
    <li className={`history-step${open ? ' open' : ''}`} data-testid="history-step" data-name={step.name} data-status={step.status}>
      <button type="button" className="history-step-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="json-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="run-step-name">
          {step.on_failure ? '⚑' : `${step.order + 1}.`} {step.name}
        </span>
        {step.reused_from && <span className="badge badge-reused">{t('runControl.run.reused')}</span>}
        <StatusBadge status={step.status} durationMs={step.duration_ms} />
      </button>
      {open && (
        <div className="history-step-body">
          <div className="history-step-log">
            <h4>{t('log.titleShort')}</h4>
            <LogView
              lines={log.lines}
              version={log.lines.length + log.dropped}
              droppedLines={log.dropped}
              stepOrder={step.order}
              onJump={jump}
              testid="history-log"
              emptyText={t('log.empty')}
            />
          </div>
          <div className="history-step-details">
            <StepRunDetails
              step={viewOf(step, steps)}
              executionId={execution.id}
              pythonPath={execution.python_path}
              workingDirectory={execution.working_directory}
              canReplay={canReplay}
              canFixMissingPackage={canReplay && canResume({ status: execution.status, replayOf: execution.replay_of })}
              showHeader={false}
              onJump={jump}
            />
          </div>
        </div>
      )}
    </li>
  )
}

function ExecutionDetail({ execution }: { execution: Execution }) {
  const { t, locale } = useT()
  const steps = useDraft((s) => s.draft?.steps)
  // A replay while a run of this workflow is going would take the run panel from it; main refuses it too.
  const canReplay = useRuns((s) => !activeRunOf(s, execution.workflow_id))
  const replayName = execution.replay_of
    ? (steps?.find((s) => s.id === execution.replay_of!.step_id)?.name ?? execution.replay_of.step_id)
    : null
  return (
    <div className="execution-detail" data-testid="execution-detail" data-execution-id={execution.id}>
      <div className="execution-head">
        <h3>{replayName ? t('history.replayOf', { step: replayName }) : formatDateTime(execution.started_at, locale)}</h3>
        <StatusBadge status={execution.status} durationMs={execution.duration_ms} />
        {execution.debug && <span className="badge badge-debug">{t('runbar.debug')}</span>}
        <ReusedValuesNote run={{ resumedFrom: execution.resumed_from ?? null, trigger: execution.trigger }} />
        <ResumeButton run={{ executionId: execution.id, status: execution.status, replayOf: execution.replay_of }} disabled={!canReplay} />
        {execution.status !== 'RUNNING' && (
          <button
            type="button"
            className="btn btn-small btn-danger"
            onClick={() => void deleteRuns([execution.id])}
            title={t('everyday2.history.deleteRunHint')}
            data-testid="delete-run"
          >
            {t('everyday2.history.deleteRun')}
          </button>
        )}
      </div>
      <dl className="execution-facts">
        <dt>{t('history.started')}</dt>
        <dd>{formatDateTime(execution.started_at, locale)}</dd>
        <dt>{t('history.workingDirectory')}</dt>
        <dd>
          <code>{execution.working_directory}</code>
        </dd>
        <dt>{t('history.python')}</dt>
        <dd>
          <code data-testid="execution-python">{execution.python_path}</code>
        </dd>
      </dl>
      {execution.error && (
        <p className="run-error-summary block" data-testid="execution-error">
          {errorLine(execution.error, t)}
        </p>
      )}
      <RunTimeline
        steps={inRunOrder(execution.steps).map((s) => ({
          id: s.step_id,
          name: s.name,
          status: s.status,
          startedAt: s.started_at,
          finishedAt: s.finished_at,
          durationMs: s.duration_ms,
          reusedFrom: s.reused_from ?? null,
          firstStartedAt: s.previous_attempts?.[0]?.started_at ?? s.started_at
        }))}
        runStartedAt={execution.started_at}
      />
      {execution.output_files && (
        <section className="history-outputs" aria-label={t('finish.outputs.title')} data-testid="history-outputs">
          <RunOutputs outputs={execution.output_files} workingDirectory={execution.working_directory} executionId={execution.id} />
        </section>
      )}
      <ol className="history-steps">
        {inRunOrder(execution.steps).map((s) => (
          <RecordedStep key={`${execution.id}-${s.step_id}`} step={s} execution={execution} canReplay={canReplay} />
        ))}
      </ol>
    </div>
  )
}

/** Asks first; deleting also removes the files a debug run kept. Resolves with whether it deleted. */
async function deleteRuns(ids: string[]): Promise<boolean> {
  const answer = await uiStore.getState().confirm({
    titleKey: 'confirm.deleteRunsTitle',
    messageKey: 'confirm.deleteRunsMessage',
    params: { count: ids.length },
    confirmKey: 'action.delete',
    danger: true
  })
  if (answer !== 'confirm') return false
  await historyStore.getState().remove(ids)
  return true
}

function SortHeader({ label, column, sort, onSort }: { label: string; column: SortKey; sort: Sort; onSort: (s: Sort) => void }) {
  const active = sort.key === column
  return (
    <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        className="history-sort"
        onClick={() => onSort({ key: column, descending: active ? !sort.descending : column !== 'status' && column !== 'workflow' })}
        data-testid={`history-sort-${column}`}
      >
        {label}
        {active && <span aria-hidden="true">{sort.descending ? ' ▾' : ' ▴'}</span>}
      </button>
    </th>
  )
}

export function HistoryView() {
  const { t, locale } = useT()
  const workflowId = useDraft((s) => s.draft?.id ?? null)
  const list = useHistory((s) => s.list)
  const loading = useHistory((s) => s.loading)
  const openId = useHistory((s) => s.openId)
  const open = useHistory((s) => s.open)
  const trigger = useHistory((s) => s.trigger)
  const scope = useHistory((s) => s.scope)
  const [checked, setChecked] = useState<Set<string>>(new Set())
  const [filters, setFilters] = useState(NO_FILTERS)
  const [sort, setSort] = useState<Sort>({ key: 'started', descending: true })
  const shown = useMemo(() => sortRuns(filterRuns(list, filters), sort), [list, filters, sort])
  const filtered = shown.length !== list.length
  // Only what the person can see is deleted: a run the filters hide keeps its tick but is left alone.
  const checkedShown = shown.filter((x) => checked.has(x.id)).map((x) => x.id)

  useEffect(() => {
    if (workflowId) void historyStore.getState().load(workflowId)
  }, [workflowId])

  const removeChecked = async () => {
    if (await deleteRuns(checkedShown)) setChecked(new Set())
  }

  return (
    <div className="history" data-testid="history-view">
      <RecordedCodeHost />
      <div className="history-list-pane">
        <div className="pane-head">
          <h2>{t('history.title')}</h2>
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={checkedShown.length === 0}
            onClick={() => void removeChecked()}
            data-testid="delete-runs"
          >
            {t('history.deleteSelected', { count: checkedShown.length })}
          </button>
        </div>
        <HistoryFilters filters={filters} onChange={setFilters} onScopeChange={() => setChecked(new Set())} />
        {filtered && (
          <p className="history-count muted" role="status" data-testid="history-count">
            {t('everyday2.history.shown', { shown: shown.length, total: list.length })}
          </p>
        )}
        {list.length === 0 && !loading && (
          <p className="empty-hint" data-testid="history-empty">
            {trigger ? t('history.emptyFor', { trigger: t(`history.trigger.${trigger}`) }) : t('history.empty')}
          </p>
        )}
        <table className="history-table" data-testid="history-table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('history.selectAll')}
                  checked={shown.length > 0 && shown.every((x) => checked.has(x.id))}
                  onChange={(e) => setChecked(e.target.checked ? new Set(shown.map((x) => x.id)) : new Set())}
                />
              </th>
              <SortHeader label={t('history.status')} column="status" sort={sort} onSort={setSort} />
              {scope === '*' && <SortHeader label={t('everyday2.history.workflow')} column="workflow" sort={sort} onSort={setSort} />}
              <SortHeader label={t('history.started')} column="started" sort={sort} onSort={setSort} />
              <SortHeader label={t('history.duration')} column="duration" sort={sort} onSort={setSort} />
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr
                key={e.id}
                className={e.id === openId ? 'selected' : undefined}
                data-testid="history-row"
                data-status={e.status}
                onClick={() => void historyStore.getState().openExecution(e.id)}
              >
                <td onClick={(ev) => ev.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={t('history.select', { time: formatDateTime(e.started_at, locale) })}
                    checked={checked.has(e.id)}
                    onChange={(ev) => {
                      const next = new Set(checked)
                      if (ev.target.checked) next.add(e.id)
                      else next.delete(e.id)
                      setChecked(next)
                    }}
                    data-testid="history-check"
                  />
                </td>
                <td className="history-status-cell">
                  <StatusBadge status={e.status} />
                  {e.replay_of && <span className="badge">{t('history.replay')}</span>}
                  {e.debug && <span className="badge badge-debug">{t('runbar.debug')}</span>}
                  {e.trigger !== 'manual' && e.trigger !== 'replay' && (
                    <span className="badge" data-testid="history-trigger">
                      {t(`history.trigger.${e.trigger}`)}
                    </span>
                  )}
                  {e.resumed_from && (
                    <button
                      type="button"
                      className="link history-resumed-from"
                      onClick={(ev) => {
                        ev.stopPropagation()
                        void openRun(e.resumed_from!)
                      }}
                      title={t('runControl.run.openRun', { id: e.resumed_from.slice(0, 8) })}
                      data-testid="history-resumed-from"
                    >
                      {t(e.trigger === 'resume' ? 'runControl.run.resumedFrom' : 'runControl.run.valuesFrom', {
                        id: e.resumed_from.slice(0, 8)
                      })}
                    </button>
                  )}
                </td>
                {scope === '*' && (
                  <td className="history-workflow-cell" title={e.workflow_name} data-testid="history-workflow">
                    {e.workflow_name}
                  </td>
                )}
                <td className="history-started-cell">
                  <button
                    type="button"
                    className="link"
                    onClick={() => void historyStore.getState().openExecution(e.id)}
                    data-testid="history-open"
                  >
                    {formatRunTime(e.started_at, locale)}
                  </button>
                </td>
                <td data-testid="history-duration">{formatDuration(e.duration_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="history-detail-pane">
        {open && open.id === openId ? <ExecutionDetail execution={open} /> : <p className="empty-hint">{t('history.pick')}</p>}
      </div>
    </div>
  )
}
