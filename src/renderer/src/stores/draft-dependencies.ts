// Edits of which step waits for which, kept so that what the editor shows is what will run. A workflow
// without any depends_on runs in order; the moment one step gets a dependency it becomes a graph, where a
// step without depends_on waits for nothing. So the first edit writes the order out as dependencies
// (each step waits for the one before it) before changing anything: nothing starts running side by side
// that the person did not ask for.
import { isGraph } from '../../../shared/run-graph'

interface DepStep {
  id: string
  name: string
  order: number
  depends_on: string[] | null
}

/** What each normal step (not an on-failure one) waits for, as the engine will read it; the steps are in order. */
export function effectiveDependencies(steps: readonly DepStep[], onFailure: readonly string[]): Map<string, string[]> {
  const handlers = new Set(onFailure)
  const normal = steps.filter((s) => !handlers.has(s.id))
  const known = new Set(normal.map((s) => s.id))
  const graph = isGraph(normal)
  return new Map(
    normal.map((s, i) => [s.id, graph ? [...new Set(s.depends_on ?? [])].filter((d) => known.has(d)) : i > 0 ? [normal[i - 1].id] : []])
  )
}

/** The same steps with the order written out as dependencies, unless they are a graph already. */
function asGraph<S extends DepStep>(steps: readonly S[], onFailure: readonly string[]): S[] {
  const handlers = new Set(onFailure)
  if (isGraph(steps.filter((s) => !handlers.has(s.id)))) return [...steps]
  const deps = effectiveDependencies(steps, onFailure)
  return steps.map((s) => (handlers.has(s.id) ? { ...s, depends_on: null } : { ...s, depends_on: deps.get(s.id) ?? [] }))
}

export function withDependencies<S extends DepStep>(
  steps: readonly S[],
  onFailure: readonly string[],
  stepId: string,
  deps: string[]
): S[] {
  return asGraph(steps, onFailure).map((s) => (s.id === stepId ? { ...s, depends_on: [...new Set(deps)] } : s))
}

export function withDependency<S extends DepStep>(steps: readonly S[], onFailure: readonly string[], stepId: string, dep: string): S[] {
  if (stepId === dep) return [...steps]
  const current = effectiveDependencies(steps, onFailure).get(stepId) ?? []
  return current.includes(dep) ? [...steps] : withDependencies(steps, onFailure, stepId, [...current, dep])
}

export function withoutDependency<S extends DepStep>(steps: readonly S[], onFailure: readonly string[], stepId: string, dep: string): S[] {
  const current = effectiveDependencies(steps, onFailure).get(stepId) ?? []
  return current.includes(dep)
    ? withDependencies(
        steps,
        onFailure,
        stepId,
        current.filter((d) => d !== dep)
      )
    : [...steps]
}

/**
 * The steps once `removedId` no longer takes part in the normal run (deleted, or made an on-failure step):
 * those that waited for it wait for what it waited for instead, so A → B → C without B is still A → C.
 */
export function bypassing<S extends DepStep>(steps: readonly S[], removedId: string, onFailure: readonly string[]): S[] {
  const handlers = new Set([...onFailure, removedId])
  const graph = isGraph(steps.filter((s) => !handlers.has(s.id)))
  const inherited = steps.find((s) => s.id === removedId)?.depends_on ?? []
  return steps.map((s) => {
    if (s.depends_on?.includes(removedId))
      return { ...s, depends_on: [...new Set(s.depends_on.flatMap((d) => (d === removedId ? inherited : [d])))].filter((d) => d !== s.id) }
    // Were the last dependency gone, the steps would fall back to running in order: keep them a graph.
    if (!graph && s.depends_on === null && !handlers.has(s.id)) return { ...s, depends_on: [] }
    return s
  })
}

/** Make a step an on-failure step or a normal one again; on-failure steps wait for nothing and come last. */
export function withOnFailure<S extends DepStep>(
  steps: readonly S[],
  onFailure: readonly string[],
  stepId: string,
  handler: boolean
): { steps: S[]; on_failure: string[] } {
  if (handler === onFailure.includes(stepId)) return { steps: [...steps], on_failure: [...onFailure] }
  if (!handler) {
    const on_failure = onFailure.filter((id) => id !== stepId)
    const graph = isGraph(steps.filter((s) => !onFailure.includes(s.id)))
    // Back among the normal steps at the end: in a graph it waits for nothing until the person says.
    const back = steps.map((s) => (s.id === stepId ? { ...s, depends_on: graph ? [] : null } : s))
    return { steps: handlersLast(back, on_failure), on_failure }
  }
  const graph = isGraph(steps.filter((s) => !onFailure.includes(s.id)))
  const on_failure = [...onFailure, stepId]
  const next = (graph ? bypassing(steps, stepId, onFailure) : [...steps]).map((s) => (s.id === stepId ? { ...s, depends_on: null } : s))
  return { steps: handlersLast(next, on_failure), on_failure }
}

/** Normal steps first in their order, then the on-failure steps in theirs. */
export function handlersLast<S extends DepStep>(steps: readonly S[], onFailure: readonly string[]): S[] {
  const handlers = new Set(onFailure)
  return [...steps.filter((s) => !handlers.has(s.id)), ...steps.filter((s) => handlers.has(s.id))]
}
