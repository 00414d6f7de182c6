// The scheduler: runs steps over their dependencies, carrying the reference's state from step to step.
// Steps whose dependencies are all done may run side by side when `maxParallel` allows; a failed step is
// retried as its policy says; a step that may fail (continue_on_error) lets the run go on; a step whose
// output is reused (resume, run from a step) is applied without running. It never spawns anything itself:
// `runStep` does.
import type { TextMap } from '../../../shared/json-text'
import type { Step, StepStatus } from '../../../shared/model'
import { dependencyGraph } from '../../../shared/run-graph'
import { applyOutputMapping, buildStepInputs, type EngineState } from './inputs'
import type { StepOutput } from './output'
import { retryDelayMs, shouldRetry } from './retry'
import type { StepOutcome } from './step-process'

export interface EngineStepResult {
  status: StepOutcome
  output: StepOutput | null
  error: string | null
  /** The script's exit code, when it exited (a retry policy may name the codes worth retrying). */
  exitCode?: number | null
}

/** What a step changed: its place in the order outputs were applied (null: not applied) and what it set. */
export interface StepChange {
  seq: number | null
  /** variable → the output key it was copied from. */
  variablesSet: Record<string, string>
  /** Those variables' new values. */
  variables: TextMap
}

export interface EngineHooks {
  /** The step could not start (a bad input_mapping): it failed without running. */
  onStepRejected?(step: Step, error: string): void
  /** `inputSeq`: how many outputs had been applied when the step's inputs were built. */
  onStepStart?(step: Step, inputVariables: TextMap, inputSeq: number): void
  /** An attempt failed and the step runs again after `delayMs` (`attempt` is the one that failed, from 1). */
  onStepRetry?(step: Step, result: EngineStepResult, attempt: number, delayMs: number): void
  /** Stepwise's own notes about a step (a missing output key), to be shown with its logs. */
  onStepWarning?(step: Step, message: string): void
  /** `attempts`: how many times it ran (0: it reused a recorded output). */
  onStepEnd?(step: Step, result: EngineStepResult, change: StepChange, attempts: number): void
  /** The step did not run: its recorded output was applied as if it had. */
  onStepReused?(step: Step, output: StepOutput | null, inputSeq: number, change: StepChange): void
}

export interface EngineOptions {
  steps: Step[]
  initialVariables: TextMap
  runStep(step: Step, inputVariables: TextMap): Promise<EngineStepResult>
  signal?: AbortSignal
  maxParallel?: number
  hooks?: EngineHooks
  /** Steps that do not run: their recorded outputs are applied in their place. */
  reuse?: Map<string, StepOutput | null>
  /**
   * Where this drive's order of applied outputs starts: the on-failure steps continue the run's numbering, so
   * the record (which rebuilds every step's inputs from that order) never sees two outputs in one place.
   */
  seqBase?: number
}

/** The first step failure that ended (or, with continue_on_error, marked) the run, for the on-failure steps. */
export interface StepFailure {
  stepId: string
  stepName: string
  status: StepStatus
  error: string | null
  exitCode: number | null
}

export interface EngineResult extends EngineState {
  status: 'SUCCESS' | 'COMPLETED_WITH_ERRORS' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED'
  error: string | null
  /** Steps that never started because an earlier one did not succeed. */
  skipped: string[]
  statuses: Record<string, StepStatus>
  failure: StepFailure | null
  /** The next place in the order of applied outputs. */
  nextSeq: number
}

export async function runWorkflowSteps(options: EngineOptions): Promise<EngineResult> {
  const steps = [...options.steps].sort((a, b) => a.order - b.order)
  const graph = dependencyGraph(steps)
  const maxParallel = Math.max(1, options.maxParallel ?? 1)
  const hooks = options.hooks ?? {}
  const state: EngineState = { variables: new Map(options.initialVariables), stepOutputs: new Map() }
  const statuses: Record<string, StepStatus> = Object.fromEntries(steps.map((s) => [s.id, 'PENDING' as StepStatus]))
  const byId = new Map(steps.map((s) => [s.id, s]))
  let stopped: { status: EngineResult['status']; error: string | null } | null = null
  let failure: StepFailure | null = null
  let tolerated = 0
  const running = new Map<string, Promise<void>>()
  // Which step's value each variable holds: when two steps that may run at once set the same variable, the
  // one later in order wins whichever finishes first, so the result does not depend on timing.
  const writerOrder = new Map<string, number>()
  let applied = options.seqBase ?? 0

  // A dependency is met when it succeeded, or failed with continue_on_error (its outputs then stay unset).
  const met = (id: string): boolean =>
    statuses[id] === 'SUCCESS' || (byId.get(id)!.continue_on_error && (statuses[id] === 'FAILED' || statuses[id] === 'TIMED_OUT'))
  const ready = (): Step[] => steps.filter((s) => statuses[s.id] === 'PENDING' && !running.has(s.id) && graph.get(s.id)!.every(met))

  const apply = (step: Step, output: StepOutput | null): StepChange => {
    if (output) state.stepOutputs.set(step.id, output)
    const change: StepChange = { seq: applied++, variablesSet: {}, variables: new Map() }
    const kept = new Map<string, number>()
    for (const variable of Object.keys(step.output_mapping)) {
      const order = writerOrder.get(variable)
      if (order !== undefined && order > step.order) kept.set(variable, order)
    }
    const mapping = kept.size ? { ...step, output_mapping: omit(step.output_mapping, kept) } : step
    for (const warning of applyOutputMapping(mapping, output, state.variables, change.variablesSet)) hooks.onStepWarning?.(step, warning)
    for (const variable of kept.keys())
      hooks.onStepWarning?.(
        step,
        `variable "${variable}" keeps the value of step "${steps.find((s) => s.order === kept.get(variable))?.name}", which ran at the same time and comes later in order.`
      )
    for (const variable of Object.keys(change.variablesSet)) {
      change.variables.set(variable, state.variables.get(variable)!)
      writerOrder.set(variable, step.order)
    }
    return change
  }

  const fail = (step: Step, result: EngineStepResult, runError = `Step "${step.name}": ${result.error ?? result.status}`): void => {
    failure ??= { stepId: step.id, stepName: step.name, status: result.status, error: result.error, exitCode: result.exitCode ?? null }
    if (step.continue_on_error && result.status !== 'CANCELLED') tolerated++
    else stopped ??= { status: result.status as EngineResult['status'], error: runError }
  }

  const launch = (step: Step): void => {
    statuses[step.id] = 'RUNNING'
    const task = (async () => {
      if (options.reuse?.has(step.id)) {
        const inputSeq = applied
        const output = options.reuse.get(step.id) ?? null
        statuses[step.id] = 'SUCCESS'
        hooks.onStepReused?.(step, output, inputSeq, apply(step, output))
        return
      }
      let inputs: TextMap
      try {
        inputs = buildStepInputs(step, state)
      } catch (err) {
        const message = (err as Error).message
        statuses[step.id] = 'FAILED'
        hooks.onStepRejected?.(step, message)
        fail(step, { status: 'FAILED', output: null, error: message }, `Step "${step.name}" could not start: ${message}`)
        return
      }
      hooks.onStepStart?.(step, inputs, applied)
      let result: EngineStepResult
      let attempt = 1
      for (;;) {
        result = await options.runStep(step, inputs)
        if (!shouldRetry(step.retry, result, attempt) || options.signal?.aborted) break
        const delayMs = retryDelayMs(step.retry!, attempt)
        hooks.onStepRetry?.(step, result, attempt, delayMs)
        // Stop ends the wait at once: the step is then stopped, with why its last attempt failed.
        if (!(await sleep(delayMs, options.signal))) {
          result = {
            ...result,
            status: 'CANCELLED',
            error: `Stopped while waiting to retry; attempt ${attempt} had failed: ${result.error}`
          }
          break
        }
        attempt++
      }
      statuses[step.id] = result.status
      // Only what this step changed goes out: copying the whole state per step grows with the square of the steps.
      let change: StepChange = { seq: null, variablesSet: {}, variables: new Map() }
      if (result.status === 'SUCCESS') change = apply(step, result.output)
      else fail(step, result)
      hooks.onStepEnd?.(step, result, change, attempt)
    })().finally(() => running.delete(step.id))
    running.set(step.id, task)
  }

  for (;;) {
    if (options.signal?.aborted && !stopped) stopped = { status: 'CANCELLED', error: 'Stopped by the user.' }
    if (!stopped) {
      for (const step of ready()) {
        if (running.size >= maxParallel) break
        launch(step)
      }
    }
    if (running.size === 0) break
    await Promise.race(running.values())
  }

  const skipped = steps.filter((s) => statuses[s.id] === 'PENDING').map((s) => s.id)
  for (const id of skipped) statuses[id] = 'SKIPPED'
  const status = stopped?.status ?? (tolerated ? 'COMPLETED_WITH_ERRORS' : 'SUCCESS')
  return {
    status,
    error:
      stopped?.error ?? (tolerated ? `${tolerated} step${tolerated > 1 ? 's' : ''} failed and the run went on (continue on error).` : null),
    skipped,
    statuses,
    failure,
    nextSeq: applied,
    variables: state.variables,
    stepOutputs: state.stepOutputs
  }
}

function omit(mapping: Record<string, string>, keys: Map<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).filter(([k]) => !keys.has(k)))
}

/** Resolves true after `ms`, or false at once when the run is stopped. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      resolve(ok)
    }
    const onAbort = (): void => done(false)
    const timer = setTimeout(() => done(true), ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
