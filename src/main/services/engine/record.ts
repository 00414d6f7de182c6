// What a run writes to the store as its steps start and end, and the matching `run:step` event, so that
// the history and the live view always say the same thing.
import type { EventChannels } from '../../../shared/ipc-contract'
import { previewValue, previewValues, type TextMap } from '../../../shared/json-text'
import type { Step } from '../../../shared/model'
import type { Store } from '../store'
import type { StepOutput } from './output'
import type { EngineStepResult, StepChange } from './scheduler'
import { processStartTime } from './process-identity'
import type { StepRunResult } from './step-process'

type StepEvent = EventChannels['run:step']

/** How long a step runs, off Linux, before its process identity is looked up. */
const IDENTITY_DELAY_MS = 2000

export class RunRecord {
  private readonly identityTimers = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly store: Store,
    private readonly executionId: string,
    private readonly emit: (event: StepEvent) => void,
    /** A write failed (disk full): the runner ends the run FAILED instead of leaving it RUNNING. */
    private readonly onWriteFailure: (err: unknown, what: string) => void = () => undefined
  ) {}

  /** Every write of the run's record goes through here: a failure is reported, never thrown into the engine. */
  write(what: string, fn: () => void): boolean {
    try {
      fn()
      return true
    } catch (err) {
      this.onWriteFailure(err, what)
      return false
    }
  }

  stepEvent(step: Step, fields: Partial<StepEvent> & Pick<StepEvent, 'status'>): void {
    this.emit({
      execution_id: this.executionId,
      step_id: step.id,
      started_at: null,
      finished_at: null,
      exit_code: null,
      duration_ms: null,
      error: null,
      input_variables: null,
      output: null,
      variables: null,
      script_path: null,
      variables_path: null,
      attempt: 1,
      reused_from: null,
      ...fields
    })
  }

  rejected(step: Step, message: string): void {
    const at = new Date().toISOString()
    this.write(`the result of step "${step.name}"`, () =>
      this.store.updateStepRun(this.executionId, step.id, {
        status: 'FAILED',
        error: message,
        started_at: at,
        finished_at: at,
        duration_ms: 0
      })
    )
    this.stepEvent(step, { status: 'FAILED', error: message, started_at: at, finished_at: at, duration_ms: 0 })
  }

  /** The inputs are stored by reference (how many outputs were applied, the input_mapping), never whole. */
  started(step: Step, inputs: TextMap, inputSeq: number): void {
    const at = new Date().toISOString()
    this.write(`the start of step "${step.name}"`, () =>
      this.store.updateStepRun(this.executionId, step.id, {
        status: 'RUNNING',
        started_at: at,
        attempts: 1,
        input_seq: inputSeq,
        input_mapping: step.input_mapping
      })
    )
    this.stepEvent(step, { status: 'RUNNING', started_at: at, input_variables: previewValues(inputs) })
  }

  /**
   * The script's process and its start time, so that the next start after a crash can end the tree it
   * left running, and never a process that merely got the same pid later.
   */
  spawned(step: Step, pid: number): void {
    const remember = (): void =>
      void processStartTime(pid).then(
        (startedAt) =>
          this.write(`the process of step "${step.name}"`, () => this.store.recordStepProcess(this.executionId, step.id, pid, startedAt)),
        () => undefined
      )
    // Linux reads it from /proc at once. Elsewhere it takes a helper command (PowerShell on Windows, about a
    // second of CPU): only for a step still running after a moment, which is what a crash can leave behind.
    if (process.platform === 'linux') return remember()
    const timer = setTimeout(() => {
      this.identityTimers.delete(step.id)
      remember()
    }, IDENTITY_DELAY_MS)
    timer.unref()
    this.identityTimers.set(step.id, timer)
  }

  /** An attempt failed and another follows: it is kept with its own logs, and the step's row starts afresh. */
  retrying(step: Step, attempt: number, engineResult: EngineStepResult, r: StepRunResult | undefined, notes: string[]): void {
    this.write(`attempt ${attempt} of step "${step.name}"`, () =>
      this.store.recordAttempt(this.executionId, step.id, {
        ...outcomeOf(engineResult, r),
        attempt,
        logs: joinLogs(r?.stderr ?? '', [...(r?.notes ?? []), ...notes])
      })
    )
    // The attempt that failed, as the next one begins: its times, exit code and error stay on screen.
    this.stepEvent(step, { ...outcomeOf(engineResult, r), status: 'RUNNING', attempt: attempt + 1 })
  }

  /** The step did not run: the output recorded in `from` stands in for it, applied as if it had just run. */
  reused(step: Step, output: StepOutput | null, inputSeq: number, change: StepChange, from: string): void {
    const at = new Date().toISOString()
    const fields = { started_at: at, finished_at: at, duration_ms: 0, reused_from: from }
    this.write(`the reused output of step "${step.name}"`, () =>
      this.store.updateStepRun(this.executionId, step.id, {
        ...fields,
        status: 'SUCCESS',
        output: output?.text ?? null,
        logs: `[stepwise] not run: its output was reused from run ${from.slice(0, 8)}.\n`,
        input_seq: inputSeq,
        input_mapping: step.input_mapping,
        seq: change.seq,
        variables_set: change.variablesSet,
        attempts: 0
      })
    )
    this.stepEvent(step, {
      ...fields,
      status: 'SUCCESS',
      attempt: 0,
      output: output ? previewValue(output.text) : null,
      variables: previewValues(change.variables)
    })
  }

  /** The step's result, its full logs and what it changed, in one row. */
  ended(step: Step, engineResult: EngineStepResult, change: StepChange, r: StepRunResult | undefined, notes: string[], attempts = 1): void {
    clearTimeout(this.identityTimers.get(step.id))
    this.identityTimers.delete(step.id)
    const fields = {
      ...outcomeOf(engineResult, r),
      script_path: r?.scriptPath ?? null,
      variables_path: r?.variablesPath ?? null
    }
    this.write(`the result of step "${step.name}"`, () =>
      this.store.updateStepRun(this.executionId, step.id, {
        ...fields,
        // The step's own text: stored as written, never parsed and written again.
        output: engineResult.output?.text ?? null,
        logs: joinLogs(r?.stderr ?? '', [...(r?.notes ?? []), ...notes]),
        seq: change.seq,
        variables_set: change.seq === null ? null : change.variablesSet,
        attempts
      })
    )
    this.stepEvent(step, {
      ...fields,
      attempt: attempts,
      output: engineResult.output ? previewValue(engineResult.output.text) : null,
      variables: previewValues(change.variables)
    })
  }
}

/** The stored logs: the script's stderr as written, then Stepwise's own notes about the step. */
function joinLogs(stderr: string, notes: string[]): string {
  if (!notes.length) return stderr
  return `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}${notes.join('\n')}\n`
}

/** How one run of a step's script ended, as the record and its events word it. */
function outcomeOf(engineResult: EngineStepResult, r: StepRunResult | undefined) {
  return {
    status: engineResult.status,
    exit_code: r?.exitCode ?? null,
    started_at: r?.startedAt ?? null,
    finished_at: r?.finishedAt ?? null,
    duration_ms: r?.durationMs ?? null,
    error: engineResult.error
  }
}
