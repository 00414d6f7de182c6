// Applies batches of pushed run events to the live runs. Log lines go into a per-step array that is
// appended in place and versioned, instead of copied, so 10,000 lines a second stay cheap; the oldest
// lines are dropped past a cap (the full log is kept in the history). Finished runs other than the ones
// each workflow's run panel shows are let go: the history has them, and this window may stay open for weeks.
import type { StepEvent } from '../../../shared/ipc-contract'
import type { StepStatus } from '../../../shared/model'
import type { RunEvent } from '../lib/event-batcher'
import { emptyStep, MAX_LOG_LINES_PER_STEP, type LiveRun, type LiveStep } from './live-run'

export interface RunMaps {
  runs: Record<string, LiveRun>
  /** The run each workflow's run panel shows: its newest that is not a replay. */
  latestByWorkflow: Record<string, string>
  /** Each workflow's newest replay of one step: its own execution, shown beside the run, never over it. */
  replayByWorkflow: Record<string, string>
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

/**
 * A RUNNING event with a higher attempt means the attempt before failed and the step runs again: the lines
 * so far belong to that attempt, and the step's own log starts afresh, as the record's does.
 */
function retried(s: LiveStep, p: StepEvent): LiveStep {
  const failedStatus: StepStatus = /timed out/i.test(p.error ?? '') ? 'TIMED_OUT' : 'FAILED'
  return {
    ...s,
    status: 'RUNNING',
    attempt: p.attempt,
    error: null,
    exitCode: null,
    progress: null,
    lines: [],
    droppedLines: 0,
    logVersion: s.logVersion + 1,
    previousAttempts: [
      ...s.previousAttempts,
      {
        attempt: s.attempt,
        status: failedStatus,
        exitCode: p.exit_code,
        error: p.error,
        startedAt: s.startedAt,
        finishedAt: p.finished_at,
        durationMs: p.duration_ms,
        lines: s.lines
      }
    ]
  }
}

function stepUpdate(s: LiveStep, p: StepEvent, variables: LiveRun['variables']): LiveStep {
  if (p.status === 'RUNNING' && p.attempt > Math.max(1, s.attempt) && s.status === 'RUNNING') return retried(s, p)
  return {
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
    variablesPath: p.variables_path ?? s.variablesPath,
    attempt: p.attempt ?? s.attempt,
    reusedFrom: p.reused_from ?? s.reusedFrom
  }
}

/**
 * The runs worth keeping: every run still going, and the ones the run panels show (each workflow's newest
 * run and newest replay). The rest have finished and are in the history.
 */
export function pruneRuns(
  runs: Record<string, LiveRun>,
  latest: Record<string, string>,
  replays: Record<string, string> = {}
): Record<string, LiveRun> {
  const shown = new Set([...Object.values(latest), ...Object.values(replays)])
  let pruned: Record<string, LiveRun> | null = null
  for (const [id, run] of Object.entries(runs)) {
    if (run.status === 'RUNNING' || shown.has(id)) continue
    pruned ??= { ...runs }
    delete pruned[id]
  }
  return pruned ?? runs
}

/** The run of the workflow that is still going, if any: the newest when it is, else any other (a replay too). */
export function activeRunOf(state: Pick<RunMaps, 'runs' | 'latestByWorkflow'>, workflowId: string | null | undefined): LiveRun | undefined {
  if (!workflowId) return undefined
  const latest = state.runs[state.latestByWorkflow[workflowId]]
  if (latest?.status === 'RUNNING') return latest
  return Object.values(state.runs).find((r) => r.workflowId === workflowId && r.status === 'RUNNING')
}

/** Applies a batch of events to the runs; pure apart from appending to the log arrays it was given. */
export function reduceEvents(
  runs: Record<string, LiveRun>,
  latest: Record<string, string>,
  events: RunEvent[],
  replays: Record<string, string> = {}
): RunMaps & { finished: string[]; retried: string[] } {
  const nextRuns = { ...runs }
  const nextLatest = { ...latest }
  const nextReplays = { ...replays }
  const finished: string[] = []
  const retriedRuns = new Set<string>()
  for (const ev of events) {
    if (ev.channel === 'run:started') {
      const p = ev.payload
      nextRuns[p.execution_id] = {
        executionId: p.execution_id,
        workflowId: p.workflow_id,
        debug: p.debug,
        replayOf: p.replay_of,
        trigger: p.trigger ?? (p.replay_of ? 'replay' : 'manual'),
        resumedFrom: p.resumed_from ?? null,
        startedAt: p.started_at,
        status: 'RUNNING',
        completedAt: null,
        error: null,
        variables: p.variables ?? null,
        setBy: {},
        steps: [...p.steps].sort((a, b) => a.order - b.order).map(emptyStep),
        record: null
      }
      // A replay is its own execution: the run on screen keeps its statuses.
      if (p.replay_of) nextReplays[p.workflow_id] = p.execution_id
      else nextLatest[p.workflow_id] = p.execution_id
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
    } else if (ev.channel === 'run:stepsAdded') {
      const known = new Set(run.steps.map((s) => s.id))
      const added = [...ev.payload.steps].sort((a, b) => a.order - b.order).filter((s) => !known.has(s.id))
      nextRuns[run.executionId] = { ...run, steps: [...run.steps, ...added.map(emptyStep)] }
    } else if (ev.channel === 'run:step') {
      const p = ev.payload
      // The event carries only the variables this step set.
      const variables = p.variables ? { ...run.variables, ...p.variables } : run.variables
      const setBy = p.variables ? { ...run.setBy, ...Object.fromEntries(Object.keys(p.variables).map((k) => [k, p.step_id])) } : run.setBy
      nextRuns[run.executionId] = {
        ...run,
        variables,
        setBy,
        steps: run.steps.map((s) => {
          if (s.id !== p.step_id) return s
          const next = stepUpdate(s, p, variables)
          if (next.previousAttempts !== s.previousAttempts) retriedRuns.add(run.executionId)
          return next
        })
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
  return {
    runs: pruneRuns(nextRuns, nextLatest, nextReplays),
    latestByWorkflow: nextLatest,
    replayByWorkflow: nextReplays,
    finished,
    retried: [...retriedRuns].filter((id) => !finished.includes(id))
  }
}
