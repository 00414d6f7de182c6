// The shape of a run as the window holds it while it is watched: each step's status, its log lines (appended
// in place, see run-events-reducer), its earlier attempts when it was retried, and what it reused.
import type {
  Execution,
  ExecutionStatus,
  ExecutionTrigger,
  JsonValue,
  OutputFiles,
  ReplayOf,
  StepRun,
  StepStatus,
  Variables
} from '../../../shared/model'
import { splitLog } from '../lib/log-lines'

export const MAX_LOG_LINES_PER_STEP = 50_000

/** A failed attempt of a retried step, as the live events told it or the record kept it. */
export interface LiveAttempt {
  attempt: number
  status: StepStatus
  exitCode: number | null
  error: string | null
  startedAt: string | null
  finishedAt: string | null
  durationMs: number | null
  lines: string[]
}

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
  /** The attempt running or last run (1 without retries, 0 when the step reused a recorded output). */
  attempt: number
  previousAttempts: LiveAttempt[]
  /** The execution whose recorded output this step reused instead of running. */
  reusedFrom: string | null
  /** It joined the run as an on-failure step. */
  onFailure: boolean
}

export interface LiveRun {
  executionId: string
  workflowId: string
  debug: boolean
  replayOf: ReplayOf | null
  trigger: ExecutionTrigger
  /** The run whose recorded outputs this one reused (resume, run from or only a step). */
  resumedFrom: string | null
  startedAt: string
  status: ExecutionStatus
  completedAt: string | null
  error: string | null
  variables: Variables | null
  /** Which step last set each workflow variable (its id); a variable not here kept its initial value. */
  setBy: Record<string, string>
  steps: LiveStep[]
  /** What the run panel takes from the execution as recorded, fetched once the run has finished. */
  record: RunRecord | null
}

type RecordedAttempt = Omit<StepRun['previous_attempts'][number], 'logs'>

/** The recorded execution without its logs and code (the history shows those): the interpreter, the kept files, the attempts' timing. */
export interface RunRecord {
  python_path: string
  working_directory?: string
  output_files?: OutputFiles | null
  steps: (Pick<StepRun, 'step_id' | 'status' | 'exit_code' | 'error' | 'output' | 'script_path' | 'variables_path'> & {
    previous_attempts: RecordedAttempt[]
  })[]
}

export function recordOf(e: Execution): RunRecord {
  return {
    python_path: e.python_path,
    working_directory: e.working_directory,
    output_files: e.output_files,
    steps: e.steps.map((s) => ({
      step_id: s.step_id,
      status: s.status,
      exit_code: s.exit_code,
      error: s.error,
      output: s.output,
      script_path: s.script_path,
      variables_path: s.variables_path,
      previous_attempts: (s.previous_attempts ?? []).map(({ logs: _logs, ...rest }) => rest)
    }))
  }
}

export function emptyStep(s: { id: string; name: string; order: number; on_failure?: boolean }): LiveStep {
  return {
    id: s.id,
    name: s.name,
    order: s.order,
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
    progress: null,
    attempt: 1,
    previousAttempts: [],
    reusedFrom: null,
    onFailure: s.on_failure ?? false
  }
}

/** The earlier attempts with what the record knows of them (timing, exact status) over what the events said. */
export function attemptsOf(step: LiveStep, record: RunRecord | null): LiveAttempt[] {
  const recorded = record?.steps.find((r) => r.step_id === step.id)?.previous_attempts
  if (!recorded?.length) return step.previousAttempts
  return recorded.map((r) => {
    const live = step.previousAttempts.find((a) => a.attempt === r.attempt)
    return {
      attempt: r.attempt,
      status: r.status,
      exitCode: r.exit_code,
      error: r.error,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      durationMs: r.duration_ms,
      lines: live?.lines ?? []
    }
  })
}

/** A recorded execution as a live run, for runs that started before this window was loaded. */
export function liveRunOf(e: Execution): LiveRun {
  return {
    executionId: e.id,
    workflowId: e.workflow_id,
    debug: e.debug,
    replayOf: e.replay_of,
    trigger: e.trigger ?? 'manual',
    resumedFrom: e.resumed_from ?? null,
    startedAt: e.started_at,
    status: e.status,
    completedAt: e.completed_at,
    error: e.error,
    variables: e.variables,
    // The record keeps what each step was handed and returned, not which variables it set.
    setBy: {},
    steps: [...e.steps]
      .sort((a, b) => Number(a.on_failure ?? false) - Number(b.on_failure ?? false) || a.order - b.order)
      .map((s) => {
        // The recorded log is not capped; what is kept here is.
        const log = splitLog(s.logs, MAX_LOG_LINES_PER_STEP)
        return {
          ...emptyStep({ id: s.step_id, name: s.name, order: s.order, on_failure: s.on_failure }),
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
          droppedLines: log.dropped,
          attempt: s.attempts ?? 1,
          reusedFrom: s.reused_from ?? null,
          previousAttempts: (s.previous_attempts ?? []).map((a) => ({
            attempt: a.attempt,
            status: a.status,
            exitCode: a.exit_code,
            error: a.error,
            startedAt: a.started_at,
            finishedAt: a.finished_at,
            durationMs: a.duration_ms,
            lines: splitLog(a.logs, MAX_LOG_LINES_PER_STEP).lines
          }))
        }
      }),
    record: e.status === 'RUNNING' ? null : recordOf(e)
  }
}
