// Which step waits for which, shared by the engine, the checks on save and import, and the graph view.
// A workflow where no step has `depends_on` runs its steps one after another in order, as the reference
// does; once any step has it, the workflow is a graph and a step without it waits for nothing.
import type { Step } from './model'

type GraphStep = Pick<Step, 'id' | 'name' | 'order' | 'depends_on'>

/** The problems a workflow's dependencies and failure handlers can have, named for messages in any language. */
export type RunControlProblem =
  | { code: 'unknown_dependency'; step: string; field: 'depends_on'; target: string }
  | { code: 'self_dependency'; step: string; field: 'depends_on' }
  | { code: 'cycle'; step: string; field: 'depends_on'; cycle: string[] }
  | { code: 'unknown_handler'; step: string; field: 'on_failure'; target: string }
  | { code: 'depends_on_handler'; step: string; field: 'depends_on'; target: string }
  | { code: 'handler_has_dependencies'; step: string; field: 'depends_on' }

/** `step "Load" → depends_on: ...`, or `on_failure: ...`: where the problem is written, then what it is. */
export function describeRunControlProblem(p: RunControlProblem): string {
  return p.field === 'on_failure' ? `on_failure: ${runControlDetail(p)}` : `step "${p.step}" → ${p.field}: ${runControlDetail(p)}`
}

export function runControlDetail(p: RunControlProblem): string {
  switch (p.code) {
    case 'unknown_dependency':
      return `"${p.target}" is not a step of this workflow`
    case 'self_dependency':
      return 'a step cannot depend on itself'
    case 'cycle':
      return `the steps depend on each other in a circle: ${p.cycle.join(' → ')}`
    case 'unknown_handler':
      return `"${p.target}" is not a step of this workflow`
    case 'depends_on_handler':
      return `"${p.target}" runs only when a run fails (on_failure), so no step can wait for it`
    case 'handler_has_dependencies':
      return 'an on-failure step runs after the failure and cannot wait for other steps; clear its depends_on'
  }
}

/** Whether the steps run as a graph (some step has depends_on) rather than one after another. */
export function isGraph(steps: readonly GraphStep[]): boolean {
  return steps.some((s) => s.depends_on !== null && s.depends_on !== undefined)
}

/** Each step's dependencies: in order (each step the one before it), or as written when the workflow is a graph. */
export function dependencyGraph(steps: readonly GraphStep[]): Map<string, string[]> {
  const problems = graphProblems(steps)
  if (problems.length) throw new Error(problems.map(describeRunControlProblem).join('\n'))
  return edges(steps)
}

function edges(steps: readonly GraphStep[]): Map<string, string[]> {
  const sorted = [...steps].sort((a, b) => a.order - b.order)
  const graph = isGraph(sorted)
  return new Map(sorted.map((s, i) => [s.id, graph ? [...new Set(s.depends_on ?? [])] : i > 0 ? [sorted[i - 1].id] : []]))
}

/** Unknown, self and circular dependencies, each named by the step where it is written. */
export function graphProblems(steps: readonly GraphStep[]): RunControlProblem[] {
  const names = new Map(steps.map((s) => [s.id, s.name]))
  const problems: RunControlProblem[] = []
  for (const s of steps)
    for (const d of s.depends_on ?? []) {
      if (d === s.id) problems.push({ code: 'self_dependency', step: s.name, field: 'depends_on' })
      else if (!names.has(d)) problems.push({ code: 'unknown_dependency', step: s.name, field: 'depends_on', target: d })
    }
  if (problems.length) return problems
  const cycle = findCycle(edges(steps))
  if (cycle) problems.push({ code: 'cycle', step: names.get(cycle[0])!, field: 'depends_on', cycle: cycle.map((id) => names.get(id)!) })
  return problems
}

/** Everything a workflow's dependencies and on_failure can get wrong. */
export function runControlProblems(steps: readonly GraphStep[], onFailure: readonly string[]): RunControlProblem[] {
  const byId = new Map(steps.map((s) => [s.id, s]))
  const handlers = new Set(onFailure)
  const problems: RunControlProblem[] = []
  for (const id of onFailure) if (!byId.has(id)) problems.push({ code: 'unknown_handler', step: id, field: 'on_failure', target: id })
  for (const s of steps) {
    if (handlers.has(s.id) && s.depends_on?.length) problems.push({ code: 'handler_has_dependencies', step: s.name, field: 'depends_on' })
    for (const d of s.depends_on ?? [])
      if (handlers.has(d) && !handlers.has(s.id))
        problems.push({ code: 'depends_on_handler', step: s.name, field: 'depends_on', target: byId.get(d)?.name ?? d })
  }
  if (problems.length) return problems
  return graphProblems(steps.filter((s) => !handlers.has(s.id)))
}

/** A circle of step ids (first = last), or null. Iterative: a chain of a thousand steps must not overflow. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>()
  for (const start of graph.keys()) {
    if (state.has(start)) continue
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }]
    state.set(start, 'visiting')
    while (stack.length) {
      const top = stack[stack.length - 1]
      const deps = graph.get(top.id) ?? []
      if (top.next >= deps.length) {
        state.set(top.id, 'done')
        stack.pop()
        continue
      }
      const d = deps[top.next++]
      if (state.get(d) === 'visiting') {
        const ids = stack.map((f) => f.id)
        return [...ids.slice(ids.indexOf(d)), d]
      }
      if (!state.has(d) && graph.has(d)) {
        state.set(d, 'visiting')
        stack.push({ id: d, next: 0 })
      }
    }
  }
  return null
}

/** The steps a step waits for, directly or through others. */
export function ancestorsOf(graph: Map<string, string[]>, id: string): Set<string> {
  return reachable(graph, id)
}

/** The steps that wait for a step, directly or through others. */
export function descendantsOf(graph: Map<string, string[]>, id: string): Set<string> {
  const children = new Map<string, string[]>()
  for (const [s, deps] of graph)
    for (const d of deps) {
      const list = children.get(d)
      if (list) list.push(s)
      else children.set(d, [s])
    }
  return reachable(children, id)
}

/** Every node reached from `id` along `edges`, `id` itself left out unless a circle leads back. */
function reachable(edges: Map<string, string[]>, id: string): Set<string> {
  const seen = new Set<string>()
  const todo = [...(edges.get(id) ?? [])]
  while (todo.length) {
    const next = todo.pop()!
    if (seen.has(next)) continue
    seen.add(next)
    for (const n of edges.get(next) ?? []) todo.push(n)
  }
  return seen
}

/**
 * Variables that two steps which may run at the same time both set. The rule: the step later in order wins
 * (its value is kept whichever finishes first); the editor warns about each of these.
 */
export function parallelWriteConflicts(
  steps: readonly (GraphStep & Pick<Step, 'output_mapping'>)[]
): { variable: string; steps: string[] }[] {
  if (!isGraph(steps) || graphProblems(steps).length) return []
  const graph = edges(steps)
  const ancestors = new Map(steps.map((s) => [s.id, ancestorsOf(graph, s.id)]))
  const writers = new Map<string, (typeof steps)[number][]>()
  for (const s of [...steps].sort((a, b) => a.order - b.order))
    for (const v of Object.keys(s.output_mapping)) writers.set(v, [...(writers.get(v) ?? []), s])
  const conflicts: { variable: string; steps: string[] }[] = []
  for (const [variable, ws] of writers) {
    const clashing = ws.filter((a) => ws.some((b) => a !== b && !ancestors.get(a.id)!.has(b.id) && !ancestors.get(b.id)!.has(a.id)))
    if (clashing.length) conflicts.push({ variable, steps: clashing.map((s) => s.name) })
  }
  return conflicts
}

/**
 * Edges that a step's code implies without depends_on: it reads `variables['x']` or `variables.get('x')`
 * and another step sets x. Drawn dashed in the graph, as a hint to add the dependency.
 */
export function impliedEdges(steps: readonly (GraphStep & Pick<Step, 'code' | 'output_mapping' | 'input_mapping'>)[]): {
  from: string
  to: string
  variable: string
}[] {
  const writers = new Map<string, string[]>()
  for (const s of steps) for (const v of Object.keys(s.output_mapping)) writers.set(v, [...(writers.get(v) ?? []), s.id])
  const found: { from: string; to: string; variable: string }[] = []
  const read = /variables\s*(?:\[\s*|\.get\(\s*)(['"])([^'"\\\n]{1,200})\1/g
  for (const s of steps) {
    const names = new Set<string>()
    for (const m of s.code.matchAll(read)) names.add(s.input_mapping[m[2]] ?? m[2])
    for (const v of Object.values(s.input_mapping)) names.add(v)
    for (const v of names)
      for (const w of writers.get(v) ?? [])
        if (w !== s.id && !found.some((e) => e.from === w && e.to === s.id)) found.push({ from: w, to: s.id, variable: v })
  }
  return found
}
