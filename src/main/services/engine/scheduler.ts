// The scheduler: runs steps over their dependencies, carrying the reference's state from step to step.
// Steps whose dependencies are all done may run side by side when `maxParallel` allows. It never spawns
// anything itself: `runStep` does.
import type { TextMap } from '../../../shared/json-text'
import type { Step, StepStatus } from '../../../shared/model'
import { applyOutputMapping, buildStepInputs, type EngineState } from './inputs'
import type { StepOutput } from './output'
import { dependencyGraph } from './plan'
import type { StepOutcome } from './step-process'

export interface EngineStepResult {
  status: StepOutcome
  output: StepOutput | null
  error: string | null
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
  /** Stepwise's own notes about a step (a missing output key), to be shown with its logs. */
  onStepWarning?(step: Step, message: string): void
  onStepEnd?(step: Step, result: EngineStepResult, change: StepChange): void
}

export interface EngineOptions {
  steps: Step[]
  initialVariables: TextMap
  runStep(step: Step, inputVariables: TextMap): Promise<EngineStepResult>
  signal?: AbortSignal
  maxParallel?: number
  hooks?: EngineHooks
}

export interface EngineResult extends EngineState {
  status: 'SUCCESS' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED'
  error: string | null
  /** Steps that never started because an earlier one did not succeed. */
  skipped: string[]
  statuses: Record<string, StepStatus>
}

export async function runWorkflowSteps(options: EngineOptions): Promise<EngineResult> {
  const steps = [...options.steps].sort((a, b) => a.order - b.order)
  const graph = dependencyGraph(steps)
  const maxParallel = Math.max(1, options.maxParallel ?? 1)
  const hooks = options.hooks ?? {}
  const state: EngineState = { variables: new Map(options.initialVariables), stepOutputs: new Map() }
  const statuses: Record<string, StepStatus> = Object.fromEntries(steps.map((s) => [s.id, 'PENDING' as StepStatus]))
  let stopped: { status: EngineResult['status']; error: string | null } | null = null
  const running = new Map<string, Promise<void>>()
  let applied = 0

  const ready = (): Step[] =>
    steps.filter(
      (s) => statuses[s.id] === 'PENDING' && !running.has(s.id) && (graph.get(s.id) ?? []).every((d) => statuses[d] === 'SUCCESS')
    )

  const launch = (step: Step): void => {
    statuses[step.id] = 'RUNNING'
    const task = (async () => {
      let inputs: TextMap
      try {
        inputs = buildStepInputs(step, state)
      } catch (err) {
        const message = (err as Error).message
        statuses[step.id] = 'FAILED'
        hooks.onStepRejected?.(step, message)
        stopped ??= { status: 'FAILED', error: `Step "${step.name}" could not start: ${message}` }
        return
      }
      hooks.onStepStart?.(step, inputs, applied)
      const result = await options.runStep(step, inputs)
      statuses[step.id] = result.status
      // Only what this step changed goes out: copying the whole state per step grows with the square of the steps.
      const change: StepChange = { seq: null, variablesSet: {}, variables: new Map() }
      if (result.status === 'SUCCESS') {
        if (result.output) state.stepOutputs.set(step.id, result.output)
        change.seq = applied++
        for (const warning of applyOutputMapping(step, result.output, state.variables, change.variablesSet))
          hooks.onStepWarning?.(step, warning)
        for (const variable of Object.keys(change.variablesSet)) change.variables.set(variable, state.variables.get(variable)!)
      } else {
        stopped ??= { status: result.status, error: `Step "${step.name}": ${result.error ?? result.status}` }
      }
      hooks.onStepEnd?.(step, result, change)
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
  return {
    status: stopped?.status ?? 'SUCCESS',
    error: stopped?.error ?? null,
    skipped,
    statuses,
    variables: state.variables,
    stepOutputs: state.stepOutputs
  }
}
