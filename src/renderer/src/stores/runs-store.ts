// Live runs as the pushed events describe them. Events arrive in batches (one per animation frame, see
// lib/event-batcher) and are applied in one state update. Log lines go into a per-step array that is
// appended in place and versioned, instead of copied, so 10,000 lines a second stay cheap; the oldest
// lines are dropped past a cap (the full log is kept in the history).
import { createStore } from 'zustand/vanilla'
import type { Execution, ExecutionStatus, JsonValue, ReplayOf, StepStatus, Variables } from '../../../shared/model'
import { call } from '../api'
import type { RunEvent } from '../lib/event-batcher'
import { reportError } from './toast-store'

export const MAX_LOG_LINES_PER_STEP = 50_000

export interface LiveStep {
  id: string
  name: string
  order: number
  status: StepStatus
  startedAt: string | null
  finishedAt: string | null
  durationMs: number | null
  exitCode: number | null
  error: string | null
  inputVariables: Variables | null
  output: JsonValue | null
  variables: Variables | null
  scriptPath: string | null
  variablesPath: string | null
  /** Appended in place; `logVersion` changes whenever it does. */
  lines: string[]
  droppedLines: number
  logVersion: number
}

export interface LiveRun {
  executionId: string
  workflowId: string
  debug: boolean
  replayOf: ReplayOf | null
  startedAt: string
  status: ExecutionStatus
  completedAt: string | null
  error: string | null
  variables: Variables | null
  steps: LiveStep[]
  /** The execution as recorded, fetched once the run has finished (python_path, full logs). */
  record: Execution | null
}

export interface RunsState {
  runs: Record<string, LiveRun>
  /** The run each workflow's run panel shows: its newest. */
  latestByWorkflow: Record<string, string>
  starting: boolean
  applyEvents(events: RunEvent[]): void
  start(workflowId: string, options?: { debug?: boolean }): Promise<string | null>
  stop(executionId: string): Promise<void>
  replay(executionId: string, stepId: string, options?: { debug?: boolean }): Promise<string | null>
  fetchRecord(executionId: string): Promise<void>
  resumeActive(): Promise<void>
}

function appendLines(step: LiveStep, lines: string[]): LiveStep {
  const target = step.lines
  for (const l of lines) target.push(l)
  let dropped = step.droppedLines
  // Trim in chunks of a tenth of the cap so the splice cost is paid rarely.
  if (target.length > MAX_LOG_LINES_PER_STEP * 1.1) {
    const cut = target.length - MAX_LOG_LINES_PER_STEP
    target.splice(0, cut)
    dropped += cut
  }
  return { ...step, droppedLines: dropped, logVersion: step.logVersion + 1 }
}

function emptyStep(s: { id: string; name: string; order: number }): LiveStep {
  return {
    ...s,
    status: 'PENDING',
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    exitCode: null,
    error: null,
    inputVariables: null,
    output: null,
    variables: null,
    scriptPath: null,
    variablesPath: null,
    lines: [],
    droppedLines: 0,
    logVersion: 0
  }
}

/** Applies a batch of events to the runs; pure apart from appending to the log arrays it was given. */
export function reduceEvents(runs: Record<string, LiveRun>, latest: Record<string, string>, events: RunEvent[]): {
  runs: Record<string, LiveRun>
  latestByWorkflow: Record<string, string>
  finished: string[]
} {
  const nextRuns = { ...runs }
  const nextLatest = { ...latest }
  const finished: string[] = []
  for (const ev of events) {
    if (ev.channel === 'run:started') {
      const p = ev.payload
      nextRuns[p.execution_id] = {
        executionId: p.execution_id,
        workflowId: p.workflow_id,
        debug: p.debug,
        replayOf: p.replay_of,
        startedAt: p.started_at,
        status: 'RUNNING',
        completedAt: null,
        error: null,
        variables: null,
        steps: [...p.steps].sort((a, b) => a.order - b.order).map(emptyStep),
        record: null
      }
      nextLatest[p.workflow_id] = p.execution_id
      continue
    }
    const run = nextRuns[ev.payload.execution_id]
    if (!run) continue
    if (ev.channel === 'run:log') {
      const { step_id, lines } = ev.payload
      nextRuns[run.executionId] = { ...run, steps: run.steps.map((s) => (s.id === step_id ? appendLines(s, lines) : s)) }
    } else if (ev.channel === 'run:step') {
      const p = ev.payload
      nextRuns[run.executionId] = {
        ...run,
        variables: p.variables ?? run.variables,
        steps: run.steps.map((s) =>
          s.id !== p.step_id
            ? s
            : {
                ...s,
                status: p.status,
                startedAt: p.started_at ?? s.startedAt,
                finishedAt: p.finished_at,
                durationMs: p.duration_ms,
                exitCode: p.exit_code,
                error: p.error,
                inputVariables: p.input_variables ?? s.inputVariables,
                output: p.output,
                variables: p.variables ?? s.variables,
                scriptPath: p.script_path ?? s.scriptPath,
                variablesPath: p.variables_path ?? s.variablesPath
              }
        )
      }
    } else if (ev.channel === 'run:finished') {
      const p = ev.payload
      nextRuns[run.executionId] = {
        ...run,
        status: p.status,
        completedAt: p.completed_at,
        error: p.error,
        variables: p.variables,
        // A step still marked running when the run ended was cut short by it.
        steps: run.steps.map((s) => (s.status === 'RUNNING' ? { ...s, status: p.status === 'CANCELLED' ? 'CANCELLED' : s.status } : s))
      }
      finished.push(run.executionId)
    }
  }
  return { runs: nextRuns, latestByWorkflow: nextLatest, finished }
}

/** A recorded execution as a live run, for runs that started before this window was loaded. */
export function liveRunOf(e: Execution): LiveRun {
  return {
    executionId: e.id,
    workflowId: e.workflow_id,
    debug: e.debug,
    replayOf: e.replay_of,
    startedAt: e.started_at,
    status: e.status,
    completedAt: e.completed_at,
    error: e.error,
    variables: e.variables,
    steps: [...e.steps]
      .sort((a, b) => a.order - b.order)
      .map((s) => ({
        ...emptyStep({ id: s.step_id, name: s.name, order: s.order }),
        status: s.status,
        startedAt: s.started_at,
        finishedAt: s.finished_at,
        durationMs: s.duration_ms,
        exitCode: s.exit_code,
        error: s.error,
        inputVariables: s.input_variables,
        output: s.output,
        scriptPath: s.script_path,
        variablesPath: s.variables_path,
        lines: s.logs ? s.logs.replace(/\n$/, '').split('\n') : []
      })),
    record: e.status === 'RUNNING' ? null : e
  }
}

export const runsStore = createStore<RunsState>()((set, get) => ({
  runs: {},
  latestByWorkflow: {},
  starting: false,
  applyEvents(events) {
    const { runs, latestByWorkflow, finished } = reduceEvents(get().runs, get().latestByWorkflow, events)
    set({ runs, latestByWorkflow })
    for (const id of finished) void get().fetchRecord(id)
  },
  async start(workflowId, options = {}) {
    set({ starting: true })
    try {
      const { execution_id } = await call('runs:start', { workflow_id: workflowId, debug: options.debug })
      return execution_id
    } catch (err) {
      reportError('error.startRun', err)
      return null
    } finally {
      set({ starting: false })
    }
  },
  async stop(executionId) {
    try {
      await call('runs:stop', { execution_id: executionId })
    } catch (err) {
      reportError('error.stopRun', err)
    }
  },
  async replay(executionId, stepId, options = {}) {
    try {
      const { execution_id } = await call('runs:replayStep', { execution_id: executionId, step_id: stepId, debug: options.debug })
      return execution_id
    } catch (err) {
      reportError('error.replayStep', err)
      return null
    }
  },
  async fetchRecord(executionId) {
    try {
      const record = await call('executions:get', { id: executionId })
      const run = get().runs[executionId]
      if (run) set({ runs: { ...get().runs, [executionId]: { ...run, record } } })
    } catch {
      // The record only adds details (the interpreter path); the live run already shows the outcome.
    }
  },
  async resumeActive() {
    try {
      const ids = await call('runs:active', {})
      for (const id of ids) {
        if (get().runs[id]) continue
        const e = await call('executions:get', { id })
        set({ runs: { ...get().runs, [id]: liveRunOf(e) }, latestByWorkflow: { ...get().latestByWorkflow, [e.workflow_id]: id } })
      }
    } catch {
      // Nothing was running, or main is not reachable yet; the next events will tell.
    }
  }
}))
