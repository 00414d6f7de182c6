// Live runs as the pushed events describe them. Events arrive in batches (one per animation frame, see
// lib/event-batcher) and are applied in one state update. Log lines go into a per-step array that is
// appended in place and versioned, instead of copied, so 10,000 lines a second stay cheap; the oldest
// lines are dropped past a cap (the full log is kept in the history). Finished runs other than each
// workflow's newest are let go: the history has them, and this window may stay open for weeks.
import { createStore } from 'zustand/vanilla'
import type { Execution, ExecutionStatus, JsonValue, ReplayOf, StepRun, StepStatus, Variables } from '../../../shared/model'
import { call } from '../api'
import type { RunEvent } from '../lib/event-batcher'
import { splitLog } from '../lib/log-lines'
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
  /** The unfinished line the step is redrawing with `\r` (a progress bar), shown after `lines`; null when none. */
  progress: string | null
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
  /** What the run panel takes from the execution as recorded, fetched once the run has finished. */
  record: RunRecord | null
}

/** The recorded execution without its logs and code (the history shows those): the interpreter and the kept files. */
export interface RunRecord {
  python_path: string
  steps: Pick<StepRun, 'step_id' | 'status' | 'exit_code' | 'error' | 'output' | 'script_path' | 'variables_path'>[]
}

export function recordOf(e: Execution): RunRecord {
  return {
    python_path: e.python_path,
    steps: e.steps.map((s) => ({
      step_id: s.step_id,
      status: s.status,
      exit_code: s.exit_code,
      error: s.error,
      output: s.output,
      script_path: s.script_path,
      variables_path: s.variables_path
    }))
  }
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

function appendLines(step: LiveStep, lines: string[], progress: string | null): LiveStep {
  const target = step.lines
  for (const l of lines) target.push(l)
  let dropped = step.droppedLines
  // Trim in chunks of a tenth of the cap so the splice cost is paid rarely.
  if (target.length > MAX_LOG_LINES_PER_STEP * 1.1) {
    const cut = target.length - MAX_LOG_LINES_PER_STEP
    target.splice(0, cut)
    dropped += cut
  }
  return { ...step, droppedLines: dropped, logVersion: step.logVersion + 1, progress }
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
    logVersion: 0,
    progress: null
  }
}

/**
 * The runs worth keeping: every run still going, and each workflow's newest (the one its run panel
 * shows). The rest have finished and are in the history.
 */
export function pruneRuns(runs: Record<string, LiveRun>, latest: Record<string, string>): Record<string, LiveRun> {
  const shown = new Set(Object.values(latest))
  let pruned: Record<string, LiveRun> | null = null
  for (const [id, run] of Object.entries(runs)) {
    if (run.status === 'RUNNING' || shown.has(id)) continue
    pruned ??= { ...runs }
    delete pruned[id]
  }
  return pruned ?? runs
}

/** The run of the workflow that is still going, if any: the newest when it is, else any other. */
export function activeRunOf(
  state: Pick<RunsState, 'runs' | 'latestByWorkflow'>,
  workflowId: string | null | undefined
): LiveRun | undefined {
  if (!workflowId) return undefined
  const latest = state.runs[state.latestByWorkflow[workflowId]]
  if (latest?.status === 'RUNNING') return latest
  return Object.values(state.runs).find((r) => r.workflowId === workflowId && r.status === 'RUNNING')
}

/** Applies a batch of events to the runs; pure apart from appending to the log arrays it was given. */
export function reduceEvents(
  runs: Record<string, LiveRun>,
  latest: Record<string, string>,
  events: RunEvent[]
): {
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
      const { step_id, lines, progress } = ev.payload
      nextRuns[run.executionId] = {
        ...run,
        steps: run.steps.map((s) => (s.id === step_id ? appendLines(s, lines, progress ?? null) : s))
      }
    } else if (ev.channel === 'run:step') {
      const p = ev.payload
      // The event carries only the variables this step set.
      const variables = p.variables ? { ...run.variables, ...p.variables } : run.variables
      nextRuns[run.executionId] = {
        ...run,
        variables,
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
                variables: p.variables ? variables : s.variables,
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
  return { runs: pruneRuns(nextRuns, nextLatest), latestByWorkflow: nextLatest, finished }
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
      .map((s) => {
        // The recorded log is not capped; what is kept here is.
        const log = splitLog(s.logs, MAX_LOG_LINES_PER_STEP)
        return {
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
          lines: log.lines,
          droppedLines: log.dropped
        }
      }),
    record: e.status === 'RUNNING' ? null : recordOf(e)
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
      const record = recordOf(await call('executions:get', { id: executionId }))
      // Gone when a newer run of the workflow started meanwhile and it was let go.
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
        if (get().runs[id]) continue
        const latestByWorkflow = { ...get().latestByWorkflow, [e.workflow_id]: id }
        set({ runs: pruneRuns({ ...get().runs, [id]: liveRunOf(e) }, latestByWorkflow), latestByWorkflow })
      }
    } catch {
      // Nothing was running, or main is not reachable yet; the next events will tell.
    }
  }
}))
