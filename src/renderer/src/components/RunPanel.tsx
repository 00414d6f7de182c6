// The live run under the editor: each step with its status and elapsed time, the chosen step's log as
// it arrives, and its results. It follows the running step until the person picks one.
import { jumpToLine } from '../app-actions'
import { useT } from '../i18n/use-t'
import { formatDateTime } from '../lib/format'
import { summarizeError } from '../lib/traceback'
import { useDraft, useRuns, useUi } from '../stores/hooks'
import { activeRunOf, type LiveRun, type LiveStep } from '../stores/runs-store'
import { uiStore } from '../stores/ui-store'
import { ErrorBoundary } from './ErrorBoundary'
import { LogView } from './LogView'
import { StatusBadge } from './StatusBadge'
import { StepRunDetails, type StepRunView } from './StepRunDetails'

/** One line for a run's error: its headline and, when Python raised, the exception. */
export function errorLine(error: string): string {
  const s = summarizeError(error, -1)
  return s.exception ? `${s.headline} — ${s.exception}` : s.headline
}

export function autoStep(run: LiveRun): LiveStep | undefined {
  return (
    run.steps.find((s) => s.status === 'RUNNING') ??
    run.steps.find((s) => s.status === 'FAILED' || s.status === 'TIMED_OUT') ??
    [...run.steps].reverse().find((s) => s.status !== 'PENDING' && s.status !== 'SKIPPED') ??
    run.steps[0]
  )
}

function viewOf(s: LiveStep, run: LiveRun): StepRunView {
  const recorded = run.record?.steps.find((r) => r.step_id === s.id)
  return {
    id: s.id,
    name: s.name,
    order: s.order,
    status: s.status,
    startedAt: s.startedAt,
    durationMs: s.durationMs,
    exitCode: s.exitCode,
    error: s.error,
    logText: s.lines.join('\n'),
    inputVariables: s.inputVariables,
    output: s.output,
    variables: s.variables,
    scriptPath: s.scriptPath ?? recorded?.script_path ?? null,
    variablesPath: s.variablesPath ?? recorded?.variables_path ?? null
  }
}

export function RunPanel() {
  const { t, locale } = useT()
  const workflowId = useDraft((s) => s.draft?.id ?? null)
  const stepNames = useDraft((s) => s.draft?.steps)
  const run = useRuns((s) => {
    const rid = workflowId ? s.latestByWorkflow[workflowId] : undefined
    return rid ? s.runs[rid] : undefined
  })
  // Replaying while any run of the workflow is going would hide that run; main refuses it too.
  const busy = useRuns((s) => !!activeRunOf(s, workflowId))
  const chosen = useUi((s) => s.runPanelStepId)
  const open = useUi((s) => s.runPanelOpen)
  if (!run) return null
  const step = run.steps.find((s) => s.id === chosen) ?? autoStep(run)
  const replayOf = run.replayOf ? stepNames?.find((s) => s.id === run.replayOf!.step_id)?.name : null
  const running = run.status === 'RUNNING'

  return (
    <section
      className={`run-panel${open ? '' : ' collapsed'}`}
      aria-label={t('run.title')}
      data-testid="run-panel"
      data-status={run.status}
    >
      <div className="run-panel-head">
        <button
          type="button"
          className="icon-btn"
          onClick={() => uiStore.getState().setRunPanelOpen(!open)}
          aria-expanded={open}
          aria-label={t(open ? 'run.collapse' : 'run.expand')}
        >
          {open ? '▾' : '▸'}
        </button>
        <h2>{run.replayOf ? t('run.replayTitle', { step: replayOf ?? run.replayOf.step_id }) : t('run.title')}</h2>
        <StatusBadge
          status={run.status}
          startedAt={run.startedAt}
          durationMs={run.completedAt ? Date.parse(run.completedAt) - Date.parse(run.startedAt) : null}
        />
        <span className="muted">{formatDateTime(run.startedAt, locale)}</span>
        {run.debug && (
          <span className="badge badge-debug" data-testid="run-debug-badge">
            {t('runbar.debug')}
          </span>
        )}
        {run.error && !running && (
          <span className="run-error-summary" title={run.error} data-testid="run-error">
            {errorLine(run.error)}
          </span>
        )}
      </div>
      {open && (
        <div className="run-panel-body">
          <ol className="run-steps" data-testid="run-steps">
            {run.steps.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={`run-step${step?.id === s.id ? ' selected' : ''}`}
                  onClick={() => uiStore.getState().setRunPanelStep(s.id)}
                  data-testid="run-step"
                  data-name={s.name}
                  data-status={s.status}
                  aria-pressed={step?.id === s.id}
                >
                  <span className="run-step-name">
                    {s.order + 1}. {s.name}
                  </span>
                  <StatusBadge status={s.status} startedAt={s.startedAt} durationMs={s.durationMs} compact />
                </button>
              </li>
            ))}
          </ol>
          {step && (
            <>
              <div className="run-log">
                <div className="run-log-head">
                  {t('log.title', { name: step.name })}
                  <span className="muted">
                    {step.lines.length + step.droppedLines === 1
                      ? t('log.oneLine')
                      : t('log.lines', { count: (step.lines.length + step.droppedLines).toLocaleString() })}
                  </span>
                </div>
                <ErrorBoundary name="log">
                  <LogView
                    lines={step.lines}
                    progress={step.progress}
                    version={step.logVersion}
                    droppedLines={step.droppedLines}
                    stepOrder={step.order}
                    onJump={(line) => jumpToLine(step.id, line)}
                    emptyText={step.status === 'PENDING' ? t('run.notStarted') : t('log.empty')}
                  />
                </ErrorBoundary>
              </div>
              <div className="run-details">
                <ErrorBoundary name="run-details">
                  <StepRunDetails
                    step={viewOf(step, run)}
                    executionId={run.executionId}
                    pythonPath={run.record?.python_path ?? null}
                    canReplay={!busy}
                  />
                </ErrorBoundary>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  )
}
