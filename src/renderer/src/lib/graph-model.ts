// What the graph view draws, worked out without React: each step's column (how many steps wait before it),
// the dependency arrows as the engine will follow them, labelled with the variables they carry, and the
// variable reads no arrow covers (dashed: a hint to add the dependency).
import type { Step, Variables } from '../../../shared/model'
import { impliedEdges, parallelWriteConflicts } from '../../../shared/run-graph'
import { effectiveDependencies } from '../stores/draft-dependencies'
import { variableFlows } from './mapping-suggestions'

export interface GraphStepPlace {
  step: Step
  handler: boolean
  column: number
  row: number
}

export interface GraphModel {
  places: GraphStepPlace[]
  /** from runs before to; labels: the variables to reads that from sets. */
  dependencies: { from: string; to: string; labels: string[] }[]
  implied: { from: string; to: string; variable: string }[]
  /** Initial variables read by each step. */
  initial: { to: string; labels: string[] }[]
  conflicts: { variable: string; steps: string[]; winner: string }[]
}

/** Longest chain of waits before each step; a circle (refused on save) stops growing after n rounds. */
function columns(order: string[], deps: Map<string, string[]>): Map<string, number> {
  const col = new Map(order.map((id) => [id, 0]))
  for (let round = 0; round < order.length; round++) {
    let changed = false
    for (const id of order)
      for (const d of deps.get(id) ?? []) {
        const c = (col.get(d) ?? 0) + 1
        if (c > col.get(id)! && c < order.length) {
          col.set(id, c)
          changed = true
        }
      }
    if (!changed) break
  }
  return col
}

/** "sales → numbers" when the step reads the variable under another name, as its input mapping says. */
function labelOf(step: Step, variable: string): string {
  const alias = Object.entries(step.input_mapping).find(([a, v]) => v === variable && a !== variable)?.[0]
  return alias ? `${variable} → ${alias}` : variable
}

export function graphModel(steps: readonly Step[], onFailure: readonly string[], initialVariables: Variables): GraphModel {
  const handlers = new Set(onFailure)
  const normal = steps.filter((s) => !handlers.has(s.id))
  const deps = effectiveDependencies(normal, [])
  const col = columns(
    normal.map((s) => s.id),
    deps
  )
  const rows = new Map<number, number>()
  const places: GraphStepPlace[] = normal.map((step) => {
    const column = col.get(step.id)!
    const row = rows.get(column) ?? 0
    rows.set(column, row + 1)
    return { step, handler: false, column, row }
  })
  const lowest = Math.max(0, ...rows.values())
  steps.filter((s) => handlers.has(s.id)).forEach((step, i) => places.push({ step, handler: true, column: i, row: lowest + 0.5 }))

  const reads = impliedEdges(normal)
  const dependencies = normal.flatMap((s) =>
    (deps.get(s.id) ?? []).map((from) => ({
      from,
      to: s.id,
      labels: reads.filter((r) => r.from === from && r.to === s.id).map((r) => labelOf(s, r.variable))
    }))
  )
  const implied = reads.filter((r) => !(deps.get(r.to) ?? []).includes(r.from))
  const initial = new Map<string, string[]>()
  for (const f of variableFlows(normal, initialVariables))
    if (f.from === null)
      initial.set(f.to, [...(initial.get(f.to) ?? []), f.variable === f.alias ? f.variable : `${f.variable} → ${f.alias}`])
  const conflicts = parallelWriteConflicts(normal).map((c) => ({ ...c, winner: c.steps[c.steps.length - 1] }))
  return { places, dependencies, implied, initial: [...initial].map(([to, labels]) => ({ to, labels })), conflicts }
}
