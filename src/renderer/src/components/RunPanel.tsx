// The live run under the editor: each step with its status and elapsed time (several at once in a graph
// workflow), the chosen step's log as it arrives or the run's timeline, and its results. It follows the
// running step until the person picks one. A replay of one step shows beside the run, never over it.
import { useState } from 'react'
import type { DraftStep } from '../stores/draft-store'
import { useT } from '../i18n/use-t'
import { formatDateTime } from '../lib/format'
import { runErrorHeadline } from '../lib/recorded-error'
import { summarizeError } from '../lib/traceback'
import { goToRecordedLine } from '../run-control-actions'
import { useDraft, useRuns, useUi } from '../stores/hooks'
import { activeRunOf, attemptsOf, type LiveRun, type LiveStep } from '../stores/runs-store'
import { uiStore } from '../stores/ui-store'
import { ErrorBoundary } from './ErrorBoundary'
import { Splitter } from './layout/Splitter'
import { usePaneSize } from '../lib/pane-size'
import { LogView } from './LogView'
import { RecordedCodeHost } from './RecordedCodeViewer'
import { canResume, ReplayBeside, ResumeButton, ReusedValuesNote } from './RunPanelExtras'
import { RunTimeline } from './RunTimeline'
import { RunOutputs } from './RunOutputs'
import { RunVariables } from './RunVariables'
import { StatusBadge } from './StatusBadge'
import { StepRunDetails, type StepRunView } from './StepRunDetails'

/** One line for a run's error: its headline (in the window's language when it is the engine's) and, when Python raised, the exception. */
export function errorLine(error: string, t?: Parameters<typeof runErrorHeadline>[1]): string {
  const s = summarizeError(error, -1)
  const headline = (t && runErrorHeadline(error, t)) ?? s.headline
  return s.exception ? `${headline} — ${s.exception}` : headline
}

export function autoStep(run: LiveRun): LiveStep | undefined {
  return (
    run.steps.find((s) => s.status === 'RUNNING') ??
    run.steps.find((s) => s.status === 'FAILED' || s.status === 'TIMED_OUT') ??
    [...run.steps].reverse().find((s) => s.status !== 'PENDING' && s.status !== 'SKIPPED') ??
    run.steps[0]
  )
}

/** How many attempts the step's retry policy allows now; the run may have started under another. */
export function maxAttemptsOf(steps: Pick<DraftStep, 'id' | 'retry'>[] | undefined, stepId: string): number | null {
  const step = steps?.find((s) => s.id === stepId)
  if (!step) return null
  const count = Number(step.retry?.count ?? 0)
  return Number.isInteger(count) && count >= 0 ? count + 1 : null
}

/** The timeline's view of a step: a retried one spans all its attempts. */
export function timelineStepOf(s: LiveStep, run: LiveRun) {
  const attempts = attemptsOf(s, run.record)
  return { ...s, firstStartedAt: attempts[0]?.startedAt ?? s.startedAt }
}

function viewOf(s: LiveStep, run: LiveRun, steps: DraftStep[] | undefined): StepRunView {
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
    variablesPath: s.variablesPath ?? recorded?.variables_path ?? null,
    attempt: s.attempt,
    maxAttempts: maxAttemptsOf(steps, s.id),
    previousAttempts: attemptsOf(s, run.record).map((a) => ({ ...a, logText: a.lines.join('\n') })),
    reusedFrom: s.reusedFrom,
    onFailure: s.onFailure
  }
}

const RUN_PANEL_MIN = 140

export function RunPanel() {
  const { t, locale } = useT()
  const workflowId = useDraft((s) => s.draft?.id ?? null)
  const stepNames = useDraft((s) => s.draft?.steps)
  const shown = useRuns((s) => {
    const rid = workflowId ? s.latestByWorkflow[workflowId] : undefined
    return rid ? s.runs[rid] : undefined
  })
  const replay = useRuns((s) => {
    const rid = workflowId ? s.replayByWorkflow[workflowId] : undefined
    return rid ? s.runs[rid] : undefined
  })
  const [timeline, setTimeline] = useState(false)
  const [variables, setVariables] = useState(false)
  const [files, setFiles] = useState(false)
  // Replaying while any run of the workflow is going would hide that run; main refuses it too.
  const busy = useRuns((s) => !!activeRunOf(s, workflowId))
  const chosen = useUi((s) => s.runPanelStepId)
  const open = useUi((s) => s.runPanelOpen)
  const maxHeight = Math.max(RUN_PANEL_MIN, Math.round(window.innerHeight * 0.75))
  const pane = usePaneSize('runPanel', Math.round(window.innerHeight * 0.4), RUN_PANEL_MIN, maxHeight)
  // Without a run to show, a replay is shown as the run; else it is a line beside it, while it is the newer.
  const run = shown ?? replay
  if (!run) return null
  const besideReplay = shown && replay && Date.parse(replay.startedAt) >= Date.parse(shown.startedAt) ? replay : null
  const step = run.steps.find((s) => s.id === chosen) ?? autoStep(run)
  const replayOf = run.replayOf ? stepNames?.find((s) => s.id === run.replayOf!.step_id)?.name : null
  const running = run.status === 'RUNNING'
  const outputs = !running && run.record?.working_directory ? (run.record.output_files ?? null) : null
  const jump = (stepId: string, line: number) => void goToRecordedLine({ executionId: run.executionId, stepId, line, live: true })

  return (
    <section
      className={`run-panel${open ? '' : ' collapsed'}`}
      aria-label={t('run.title')}
      data-testid="run-panel"
      data-status={run.status}
      style={open ? { height: pane.size } : undefined}
    >
      {open && (
        <Splitter
          pane={pane}
          min={RUN_PANEL_MIN}
          max={maxHeight}
          orientation="horizontal"
          grow={-1}
          label={t('everyday2.pane.runPanel')}
          testid="splitter-run-panel"
          onToggleCollapse={() => uiStore.getState().setRunPanelOpen(false)}
        />
      )}
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
        <ReusedValuesNote run={run} />
        <ResumeButton run={run} disabled={busy} />
        {run.error && !running && (
          <span
            className={`run-error-summary${run.status === 'COMPLETED_WITH_ERRORS' ? ' with-errors' : ''}`}
            title={run.error}
            data-testid="run-error"
          >
            {errorLine(run.error, t)}
          </span>
        )}
        {besideReplay && (
          <ReplayBeside
            replay={besideReplay}
            stepName={stepNames?.find((s) => s.id === besideReplay.replayOf?.step_id)?.name ?? besideReplay.replayOf?.step_id ?? ''}
          />
        )}
        {open && (
          <button
            type="button"
            className="btn btn-small run-timeline-toggle"
            aria-pressed={timeline}
            onClick={() => {
              setTimeline(!timeline)
              setVariables(false)
              setFiles(false)
            }}
            title={t('runControl.run.showTimelineHint')}
            data-testid="show-timeline"
          >
            {t('runControl.run.showTimeline')}
          </button>
        )}
        {open && (
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={variables}
            onClick={() => {
              setVariables(!variables)
              setTimeline(false)
              setFiles(false)
            }}
            title={t('finish.vars.showHint')}
            data-testid="show-variables"
          >
            {t('finish.vars.show')}
          </button>
        )}
        {open && outputs && (
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={files}
            onClick={() => {
              setFiles(!files)
              setTimeline(false)
              setVariables(false)
            }}
            data-testid="show-outputs"
          >
            {t('finish.outputs.show', { count: outputs.files.length })}
          </button>
        )}
      </div>
      <RecordedCodeHost />
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
                    {s.onFailure ? '⚑' : `${s.order + 1}.`} {s.name}
                  </span>
                  {s.onFailure && (
                    <span className="badge badge-on-failure" data-testid="run-step-on-failure">
                      {t('runControl.run.onFailure')}
                    </span>
                  )}
                  {s.reusedFrom && (
                    <span className="badge badge-reused" data-testid="run-step-reused">
                      {t('runControl.run.reused')}
                    </span>
                  )}
                  {s.attempt > 1 && (
                    <span className="badge" data-testid="run-step-attempt">
                      {s.attempt}×
                    </span>
                  )}
                  <StatusBadge status={s.status} startedAt={s.startedAt} durationMs={s.durationMs} compact />
                </button>
              </li>
            ))}
          </ol>
          {step && (
            <>
              {files && outputs ? (
                <div className="run-log">
                  <RunOutputs outputs={outputs} workingDirectory={run.record!.working_directory!} executionId={run.executionId} />
                </div>
              ) : variables ? (
                <div className="run-log">
                  <RunVariables run={run} />
                </div>
              ) : timeline ? (
                <div className="run-log">
                  <RunTimeline
                    steps={run.steps.map((s) => timelineStepOf(s, run))}
                    runStartedAt={run.startedAt}
                    selectedId={step.id}
                    onSelect={(id) => uiStore.getState().setRunPanelStep(id)}
                  />
                </div>
              ) : (
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
                      onJump={(line) => jump(step.id, line)}
                      emptyText={step.status === 'PENDING' ? t('run.notStarted') : t('log.empty')}
                    />
                  </ErrorBoundary>
                </div>
              )}
              <div className="run-details">
                <ErrorBoundary name="run-details">
                  <StepRunDetails
                    step={viewOf(step, run, stepNames)}
                    executionId={run.executionId}
                    pythonPath={run.record?.python_path ?? null}
                    workingDirectory={run.record?.working_directory ?? null}
                    canReplay={!busy}
                    canRunPartially={!busy}
                    canFixMissingPackage={!busy && canResume(run)}
                    onJump={(line) => jump(step.id, line)}
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
