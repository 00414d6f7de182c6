// Which variables exist when a step starts, so the mapping tables can suggest them and warn about a
// name no earlier step defines (the engine would refuse to start that step).
import type { Step, Variables } from '../../../shared/model'

export interface VariableSource {
  name: string
  /** The step whose output_mapping defines it; null: an initial variable of the workflow. */
  stepId: string | null
  stepName: string | null
}

/** Variables defined before `stepIndex` (in order), the latest definition winning. */
export function variablesBefore(steps: readonly Step[], stepIndex: number, initial: Variables): VariableSource[] {
  const byName = new Map<string, VariableSource>()
  for (const name of Object.keys(initial)) byName.set(name, { name, stepId: null, stepName: null })
  const sorted = [...steps].sort((a, b) => a.order - b.order)
  for (const step of sorted.slice(0, Math.max(0, stepIndex))) {
    for (const variable of Object.keys(step.output_mapping)) {
      if (variable) byName.set(variable, { name: variable, stepId: step.id, stepName: step.name })
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** input_mapping values naming no variable defined before the step. */
export function undefinedInputs(steps: readonly Step[], stepIndex: number, initial: Variables): string[] {
  const step = [...steps].sort((a, b) => a.order - b.order)[stepIndex]
  if (!step) return []
  const known = new Set(variablesBefore(steps, stepIndex, initial).map((v) => v.name))
  return Object.values(step.input_mapping).filter((v) => v && !known.has(v))
}

export interface VariableFlow {
  from: string | null
  to: string
  variable: string
  alias: string
}

/** Each input mapping linked to the step (or the initial variables) it reads from: the graph's edges. */
export function variableFlows(steps: readonly Step[], initial: Variables): VariableFlow[] {
  const sorted = [...steps].sort((a, b) => a.order - b.order)
  const flows: VariableFlow[] = []
  sorted.forEach((step, i) => {
    const sources = new Map(variablesBefore(sorted, i, initial).map((v) => [v.name, v]))
    for (const [alias, variable] of Object.entries(step.input_mapping)) {
      const src = sources.get(variable)
      if (src) flows.push({ from: src.stepId, to: step.id, variable, alias })
    }
  })
  return flows
}
