// The plan of a run: which step waits for which. By default each step depends on the one before it, which
// gives the reference's strict order; a circle or an unknown dependency is refused before anything runs.
import type { Step } from '../../../shared/model'

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
