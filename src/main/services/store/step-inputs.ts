// Rebuilding what a run handed its steps from what it stored once: the initial variables, then each finished
// step's output (keyed by step id) and the variables it set, in the order the engine applied them. This is
// the engine's own construction (engine/inputs.ts) replayed, so a rebuilt input equals the variables file.
import type { JsonValue, Variables } from '../../../shared/model'

export interface AppliedStep {
  stepId: string
  /** The order the engine applied this output, from 0. */
  seq: number
  output: JsonValue | null
  /** variable → the output key it was copied from. */
  variablesSet: Record<string, string>
}

export interface RunState {
  variables: Variables
  stepOutputs: Record<string, JsonValue>
}

/** The state after the first `count` applied steps (`applied` sorted by seq). */
export function stateAfter(initial: Variables, applied: AppliedStep[], count = applied.length): RunState {
  const variables: Variables = { ...initial }
  const stepOutputs: Record<string, JsonValue> = {}
  for (let i = 0; i < count && i < applied.length; i++) {
    const a = applied[i]
    stepOutputs[a.stepId] = a.output
    const out = a.output as Record<string, JsonValue>
    for (const [variable, key] of Object.entries(a.variablesSet)) variables[variable] = out[key]
  }
  return { variables, stepOutputs }
}

/** A step's inputs: every variable, every earlier output by step id, then each input_mapping alias. */
export function stepInputs(state: RunState, inputMapping: Record<string, string>): Variables {
  const inputs: Variables = Object.assign({}, state.variables, state.stepOutputs)
  for (const [alias, variable] of Object.entries(inputMapping)) {
    if (Object.prototype.hasOwnProperty.call(state.variables, variable)) inputs[alias] = state.variables[variable]
  }
  return inputs
}
