// Rebuilding what a run handed its steps from what it stored once: the initial variables, then each finished
// step's output (keyed by step id) and the variables it set, in the order the engine applied them. This is
// the engine's own construction (engine/inputs.ts) replayed on the same texts, so a rebuilt input equals the
// variables file byte for byte in its values.
import type { JsonText, TextMap } from '../../../shared/json-text'
import { textEntries } from '../values/file-text'

export interface AppliedStep {
  stepId: string
  /** The order the engine applied this output, from 0. */
  seq: number
  output: JsonText
  /** variable → the output key it was copied from. */
  variablesSet: Record<string, string>
  /** The output's top-level entries, scanned once when first needed. */
  entries?: TextMap | null
  /** It ran as an on-failure step: on a copy of the variables, so it does not change the run's own. */
  onFailure?: boolean
}

export interface RunState {
  variables: TextMap
  stepOutputs: TextMap
}

/** The state after the first `count` applied steps (`applied` sorted by seq). */
export function stateAfter(initial: TextMap, applied: AppliedStep[], count = applied.length): RunState {
  const variables: TextMap = new Map(initial)
  const stepOutputs: TextMap = new Map()
  for (let i = 0; i < count && i < applied.length; i++) {
    const a = applied[i]
    stepOutputs.set(a.stepId, a.output)
    const set = Object.entries(a.variablesSet)
    if (!set.length) continue
    // Only the keys it set are read back: a big output of millions of keys is not split out whole.
    a.entries ??= textEntries(a.output, new Set(set.map(([, key]) => key)))
    for (const [variable, key] of set) {
      const value = a.entries?.get(key)
      if (value) variables.set(variable, value)
    }
  }
  return { variables, stepOutputs }
}

/** A step's inputs: every variable, every earlier output by step id, then each input_mapping alias. */
export function stepInputs(state: RunState, inputMapping: Record<string, string>): TextMap {
  const inputs: TextMap = new Map(state.variables)
  for (const [id, output] of state.stepOutputs) inputs.set(id, output)
  for (const [alias, variable] of Object.entries(inputMapping)) {
    const value = state.variables.get(variable)
    if (value) inputs.set(alias, value)
  }
  return inputs
}
