// The reference's state (`variables` + `step_outputs`) going into a step and coming out of it, as the
// texts the steps wrote: copying a text hands the next step exactly what Python would have.
import type { JsonText, TextMap } from '../../../shared/json-text'
import type { Step } from '../../../shared/model'
import type { StepOutput } from './output'

export interface EngineState {
  /** In the order Python's dict would hold them: a name set again keeps its first place. */
  variables: TextMap
  stepOutputs: Map<string, StepOutput>
}

/**
 * The input variables of a step, as the reference builds them: every variable, every earlier step's
 * output keyed by step id (dict.update: a step id that is also a variable's name keeps its place), and
 * each input_mapping alias → the variable it names.
 */
export function buildStepInputs(step: Step, state: EngineState): TextMap {
  // The protocol hands every step everything so far; the copy holds references to the texts, not the texts.
  const inputs: TextMap = new Map(state.variables)
  for (const [id, output] of state.stepOutputs) inputs.set(id, output.text)
  const missing: string[] = []
  for (const [alias, variable] of Object.entries(step.input_mapping)) {
    const value = state.variables.get(variable)
    if (value) inputs.set(alias, value)
    else missing.push(`"${alias}" → "${variable}"`)
  }
  if (missing.length) {
    const defined = [...state.variables.keys()]
    throw new Error(
      `input_mapping of step "${step.name}" names ${missing.length === 1 ? 'a variable that is' : 'variables that are'} not defined: ${missing.join(', ')}. ` +
        (defined.length ? `Defined variables: ${defined.join(', ')}.` : 'No variables are defined at this point.')
    )
  }
  return inputs
}

/**
 * Copies the mapped output keys' texts into the variables; returns a warning for each key the output lacks.
 * `written` collects variable → output key for each variable it set.
 */
export function applyOutputMapping(
  step: Step,
  output: StepOutput | null,
  variables: TextMap,
  written: Record<string, string> = {}
): string[] {
  const warnings: string[] = []
  const entries = output?.entries ?? null
  for (const [variable, key] of Object.entries(step.output_mapping)) {
    const value: JsonText | undefined = entries?.get(key)
    if (value) {
      variables.set(variable, value)
      written[variable] = key
    } else {
      const keys = output?.keys ? output.keys.sample : entries ? [...entries.keys()] : []
      const more = output?.keys && output.keys.count > keys.length ? `, … ${output.keys.count} in all` : ''
      warnings.push(
        `output_mapping: the output has no key "${key}"${entries ? ` (its keys: ${keys.join(', ') || 'none'}${more})` : ' (the output is not a JSON object)'}; variable "${variable}" was not set.`
      )
    }
  }
  return warnings
}
