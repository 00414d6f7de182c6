// The workflow engine: a scheduler over step dependencies that carries the reference's state
// (`variables` + `step_outputs`) from step to step. By default each step depends on the one before it,
// which gives the reference's strict order; steps whose dependencies are all done may run side by side
// when `maxParallel` allows. It never spawns anything itself: `runStep` does.
import type { JsonValue, Step, StepStatus, Variables } from '../../shared/model'
import type { StepOutcome } from './step-executor'

export interface EngineStepResult {
  status: StepOutcome
  output: JsonValue | null
  error: string | null
}

export interface EngineHooks {
  /** The step could not start (a bad input_mapping): it failed without running. */
  onStepRejected?(step: Step, error: string): void
  onStepStart?(step: Step, inputVariables: Variables): void
  /** Stepwise's own notes about a step (a missing output key), to be shown with its logs. */
  onStepWarning?(step: Step, message: string): void
  onStepEnd?(step: Step, result: EngineStepResult, state: EngineState): void
}

export interface EngineState {
  variables: Variables
  stepOutputs: Record<string, JsonValue>
}

export interface EngineOptions {
  steps: Step[]
  initialVariables: Variables
  runStep(step: Step, inputVariables: Variables): Promise<EngineStepResult>
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

/** Each step's dependencies: its own `depends_on`, else the step before it in order. */
export function dependencyGraph(steps: Step[]): Map<string, string[]> {
  const sorted = [...steps].sort((a, b) => a.order - b.order)
  const ids = new Set(sorted.map((s) => s.id))
  const graph = new Map<string, string[]>()
  sorted.forEach((step, i) => {
    const deps = step.depends_on ?? (i > 0 ? [sorted[i - 1].id] : [])
    for (const d of deps) {
      if (!ids.has(d)) throw new Error(`Step "${step.name}" depends on "${d}", which is not a step of this workflow.`)
    }
    graph.set(step.id, deps)
  })
  findCycle(graph, sorted)
  return graph
}

function findCycle(graph: Map<string, string[]>, steps: Step[]): void {
  const state = new Map<string, 'visiting' | 'done'>()
  const names = new Map(steps.map((s) => [s.id, s.name]))
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id].map((s) => names.get(s) ?? s)
      throw new Error(`The steps depend on each other in a circle: ${cycle.join(' → ')}`)
    }
    state.set(id, 'visiting')
    for (const d of graph.get(id) ?? []) visit(d, [...trail, id])
    state.set(id, 'done')
  }
  for (const s of steps) visit(s.id, [])
}

/**
 * The input variables of a step, as the reference builds them: every variable, every earlier step's
 * output keyed by step id, and each input_mapping alias → the variable it names.
 */
export function buildStepInputs(step: Step, state: EngineState): Variables {
  const inputs: Variables = { ...state.variables, ...state.stepOutputs }
  const missing: string[] = []
  for (const [alias, variable] of Object.entries(step.input_mapping)) {
    if (Object.prototype.hasOwnProperty.call(state.variables, variable)) inputs[alias] = state.variables[variable]
    else missing.push(`"${alias}" → "${variable}"`)
  }
  if (missing.length) {
    const defined = Object.keys(state.variables)
    throw new Error(
      `input_mapping of step "${step.name}" names ${missing.length === 1 ? 'a variable that is' : 'variables that are'} not defined: ${missing.join(', ')}. ` +
        (defined.length ? `Defined variables: ${defined.join(', ')}.` : 'No variables are defined at this point.')
    )
  }
  return inputs
}

/** Copies the mapped output keys into the variables; returns a warning for each key the output lacks. */
export function applyOutputMapping(step: Step, output: JsonValue | null, variables: Variables): string[] {
  const warnings: string[] = []
  const isObject = typeof output === 'object' && output !== null && !Array.isArray(output)
  for (const [variable, key] of Object.entries(step.output_mapping)) {
    if (isObject && Object.prototype.hasOwnProperty.call(output, key)) {
      variables[variable] = (output as Record<string, JsonValue>)[key]
    } else {
      const keys = isObject ? Object.keys(output as object) : []
      warnings.push(
        `output_mapping: the output has no key "${key}"${isObject ? ` (its keys: ${keys.join(', ') || 'none'})` : ' (the output is not a JSON object)'}; variable "${variable}" was not set.`
      )
    }
  }
  return warnings
}

export async function runWorkflowSteps(options: EngineOptions): Promise<EngineResult> {
  const steps = [...options.steps].sort((a, b) => a.order - b.order)
  const graph = dependencyGraph(steps)
  const maxParallel = Math.max(1, options.maxParallel ?? 1)
  const hooks = options.hooks ?? {}
  const state: EngineState = { variables: { ...options.initialVariables }, stepOutputs: {} }
  const statuses: Record<string, StepStatus> = Object.fromEntries(steps.map((s) => [s.id, 'PENDING' as StepStatus]))
  let stopped: { status: EngineResult['status']; error: string | null } | null = null
  const running = new Map<string, Promise<void>>()

  const ready = (): Step[] =>
    steps.filter(
      (s) => statuses[s.id] === 'PENDING' && !running.has(s.id) && (graph.get(s.id) ?? []).every((d) => statuses[d] === 'SUCCESS')
    )

  const launch = (step: Step): void => {
    statuses[step.id] = 'RUNNING'
    const task = (async () => {
      let inputs: Variables
      try {
        inputs = buildStepInputs(step, state)
      } catch (err) {
        const message = (err as Error).message
        statuses[step.id] = 'FAILED'
        hooks.onStepRejected?.(step, message)
        stopped ??= { status: 'FAILED', error: `Step "${step.name}" could not start: ${message}` }
        return
      }
      hooks.onStepStart?.(step, inputs)
      const result = await options.runStep(step, inputs)
      statuses[step.id] = result.status
      if (result.status === 'SUCCESS') {
        state.stepOutputs[step.id] = result.output
        for (const warning of applyOutputMapping(step, result.output, state.variables)) hooks.onStepWarning?.(step, warning)
      } else {
        stopped ??= { status: result.status, error: `Step "${step.name}": ${result.error ?? result.status}` }
      }
      hooks.onStepEnd?.(step, result, { variables: { ...state.variables }, stepOutputs: { ...state.stepOutputs } })
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
