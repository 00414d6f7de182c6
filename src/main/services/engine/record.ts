// What a run writes to the store as its steps start and end, and the matching `run:step` event, so that
// the history and the live view always say the same thing.
import type { EventChannels } from '../../../shared/ipc-contract'
import type { Step, Variables } from '../../../shared/model'
import type { Store } from '../store'
import type { EngineState } from './inputs'
import type { EngineStepResult } from './scheduler'
import type { StepRunResult } from './step-process'

type StepEvent = EventChannels['run:step']

export class RunRecord {
  constructor(
    private readonly store: Store,
    private readonly executionId: string,
    private readonly emit: (event: StepEvent) => void
  ) {}

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
      ...fields
    })
  }

  rejected(step: Step, message: string): void {
    const at = new Date().toISOString()
    this.store.updateStepRun(this.executionId, step.id, {
      status: 'FAILED',
      error: message,
      started_at: at,
      finished_at: at,
      duration_ms: 0
    })
    this.stepEvent(step, { status: 'FAILED', error: message, started_at: at, finished_at: at, duration_ms: 0 })
  }

  started(step: Step, inputs: Variables): void {
    const at = new Date().toISOString()
    this.store.updateStepRun(this.executionId, step.id, { status: 'RUNNING', started_at: at, input_variables: inputs })
    this.stepEvent(step, { status: 'RUNNING', started_at: at, input_variables: inputs })
  }

  /** The step's result, its full logs and the run's state after it, in one transaction. */
  ended(step: Step, engineResult: EngineStepResult, state: EngineState, r: StepRunResult | undefined, notes: string[]): void {
    const fields = {
      status: engineResult.status,
      exit_code: r?.exitCode ?? null,
      started_at: r?.startedAt ?? null,
      finished_at: r?.finishedAt ?? null,
      duration_ms: r?.durationMs ?? null,
      output: engineResult.output,
      error: engineResult.error,
      script_path: r?.scriptPath ?? null,
      variables_path: r?.variablesPath ?? null
    }
    this.store.db.transaction(() => {
      this.store.updateStepRun(this.executionId, step.id, { ...fields, logs: joinLogs(r?.stderr ?? '', [...(r?.notes ?? []), ...notes]) })
      this.store.recordProgress(this.executionId, state.variables, state.stepOutputs)
    })()
    this.stepEvent(step, { ...fields, variables: state.variables })
  }
}

/** The stored logs: the script's stderr as written, then Stepwise's own notes about the step. */
function joinLogs(stderr: string, notes: string[]): string {
  if (!notes.length) return stderr
  return `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}${notes.join('\n')}\n`
}
