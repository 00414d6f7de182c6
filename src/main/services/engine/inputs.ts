// The reference's state (`variables` + `step_outputs`) going into a step and coming out of it.
import type { JsonValue, Step, Variables } from '../../../shared/model'

export interface EngineState {
  variables: Variables
  stepOutputs: Record<string, JsonValue>
}

/**
 * The input variables of a step, as the reference builds them: every variable, every earlier step's
 * output keyed by step id, and each input_mapping alias → the variable it names.
 */
export function buildStepInputs(step: Step, state: EngineState): Variables {
  // The protocol hands every step everything so far: this copy is the step's variables file, and the only
  // whole-state copy per step.
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

/**
 * Copies the mapped output keys into the variables; returns a warning for each key the output lacks.
 * `written` collects variable → output key for each variable it set.
 */
export function applyOutputMapping(
  step: Step,
  output: JsonValue | null,
  variables: Variables,
  written: Record<string, string> = {}
): string[] {
  const warnings: string[] = []
  const isObject = typeof output === 'object' && output !== null && !Array.isArray(output)
  for (const [variable, key] of Object.entries(step.output_mapping)) {
    if (isObject && Object.prototype.hasOwnProperty.call(output, key)) {
      variables[variable] = (output as Record<string, JsonValue>)[key]
      written[variable] = key
    } else {
      const keys = isObject ? Object.keys(output as object) : []
      warnings.push(
        `output_mapping: the output has no key "${key}"${isObject ? ` (its keys: ${keys.join(', ') || 'none'})` : ' (the output is not a JSON object)'}; variable "${variable}" was not set.`
      )
    }
  }
  return warnings
}
