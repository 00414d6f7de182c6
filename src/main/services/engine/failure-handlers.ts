// The workflow's on-failure steps: when a run fails they run, one after another, with the run's variables
// and a description of the failure (the step, its error, exit code and log tail), where people send their
// own alert or clean up. Each runs even if one before it failed; their failure is added to the run's error,
// and the run stays FAILED either way.
import type { EventChannel, EventChannels } from '../../../shared/ipc-contract'
import { textsOf, type TextMap } from '../../../shared/json-text'
import type { Step } from '../../../shared/model'
import type { Store } from '../store'
import type { RunRecord } from './record'
import type { EngineResult } from './scheduler'

const LOG_TAIL_CHARS = 4000

export interface HandlerDeps {
  store: Store
  emit<E extends EventChannel>(channel: E, payload: EventChannels[E]): void
  record: RunRecord
  executionId: string
}

/** The variables the on-failure steps get: the run's, with the failure's description over them. */
export function failureVariables(result: EngineResult, executionId: string, store: Store): TextMap {
  const failure = result.failure
  let logTail = ''
  if (failure) {
    try {
      const logs = store.getExecution(executionId).steps.find((s) => s.step_id === failure.stepId)?.logs ?? ''
      logTail = logs.length > LOG_TAIL_CHARS ? logs.slice(-LOG_TAIL_CHARS) : logs
    } catch {
      // the record could not be read back: the handler still learns which step failed and why
    }
  }
  const variables = new Map(result.variables)
  const described = textsOf({
    execution_id: executionId,
    failed_step: failure?.stepName ?? null,
    failed_step_id: failure?.stepId ?? null,
    failed_status: failure?.status ?? result.status,
    error: failure?.error ?? result.error,
    exit_code: failure?.exitCode ?? null,
    log_tail: logTail
  })
  for (const [k, v] of described) variables.set(k, v)
  return variables
}

/** Runs the handlers; returns what to add to the run's error when one of them failed too, else null. */
export async function runFailureHandlers(
  deps: HandlerDeps,
  handlers: Step[],
  variables: TextMap,
  drive: (steps: Step[], initial: TextMap) => Promise<EngineResult>
): Promise<string | null> {
  const steps = [...handlers].sort((a, b) => a.order - b.order).map((s): Step => ({ ...s, depends_on: null, continue_on_error: true }))
  if (!deps.record.write('the on-failure steps', () => deps.store.addHandlerStepRuns(deps.executionId, steps))) return null
  deps.emit('run:stepsAdded', {
    execution_id: deps.executionId,
    steps: steps.map((s) => ({ id: s.id, name: s.name, order: s.order, on_failure: true }))
  })
  const result = await drive(steps, variables)
  deps.record.write('the skipped steps', () => deps.store.markSkipped(deps.executionId, result.skipped))
  for (const id of result.skipped) {
    const step = steps.find((s) => s.id === id)
    if (step) deps.record.stepEvent(step, { status: 'SKIPPED' })
  }
  const failed = steps.filter((s) => result.statuses[s.id] !== 'SUCCESS' && result.statuses[s.id] !== 'SKIPPED')
  if (!failed.length) return null
  return `The on-failure step${failed.length > 1 ? 's' : ''} ${failed.map((s) => `"${s.name}"`).join(', ')} failed too.`
}
