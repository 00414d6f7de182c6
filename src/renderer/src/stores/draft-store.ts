// The workflow being edited: a draft of the stored workflow with the mapping tables kept as rows (so a
// half-typed row, a renamed key or a blank line survive typing), dirty tracking against what was last
// saved, step add/delete/reorder, and requests to jump the code editor to a line.
import { createStore } from 'zustand/vanilla'
import type { Step, Workflow } from '../../../shared/model'
import { isSecretRef, type WorkflowEnv } from '../../../shared/workflow-env'
import { isGraph } from '../../../shared/run-graph'
import type { WorkflowDraft } from '../../../shared/schemas'
import { STEP_TEMPLATE } from '../../../shared/step-template'
import { call } from '../api'
import { parseVariablesText, variablesToText } from '../lib/json-text'
import { retryFormOf, retryPolicyOf, type RetryForm } from '../lib/retry-form'
import type { MessageKey, MessageParams } from '../i18n'
import { requirementDraftProblems, requirementLines, requirementsTextOf, withRequirement } from './draft-requirements'
import { bypassing, handlersLast, withDependencies, withDependency, withOnFailure, withoutDependency } from './draft-dependencies'
import { runControlDraftProblems } from './draft-run-control-problems'

export interface MappingRow {
  key: string
  value: string
}

export interface DraftStep extends Omit<Step, 'input_mapping' | 'output_mapping' | 'retry'> {
  inputs: MappingRow[]
  outputs: MappingRow[]
  retry: RetryForm | null
}

export interface Draft {
  id: string
  name: string
  description: string
  working_directory: string | null
  python_path: string | null
  variablesText: string
  steps: DraftStep[]
  /** The workflow's environment variables as rows (blank ones ignored), and its clean-environment option. */
  env: EnvRow[]
  clean_env: boolean
  /** Ids of the steps that run only when a run fails; they are kept after the normal steps. */
  on_failure: string[]
  /** The workflow's packages as the editor's text, one per line. */
  requirementsText: string
}

export type StepPatch = Partial<
  Pick<DraftStep, 'name' | 'description' | 'code' | 'timeout_seconds' | 'inputs' | 'outputs' | 'retry' | 'continue_on_error'>
>
export type DraftPatch = Partial<
  Pick<Draft, 'name' | 'description' | 'working_directory' | 'python_path' | 'variablesText' | 'env' | 'clean_env' | 'requirementsText'>
>

export interface EnvRow {
  name: string
  kind: 'text' | 'secret'
  /** The literal text, or the secret's name. */
  value: string
}

export interface DraftProblem {
  key: MessageKey
  params?: MessageParams
  stepId?: string
  /** A workflow setting the problem is in, when it is not in a step. */
  field?: 'requirements'
}

export class DraftInvalidError extends Error {
  constructor(readonly problems: DraftProblem[]) {
    super(problems.map((p) => p.key).join(', '))
    this.name = 'DraftInvalidError'
  }
}

export interface JumpRequest {
  stepId: string
  line: number
  nonce: number
}

export interface DraftState {
  draft: Draft | null
  /** The draft as last loaded or saved, serialized: dirty means the current one differs from it. */
  savedSnapshot: string
  dirty: boolean
  saving: boolean
  selectedStepId: string | null
  jump: JumpRequest | null
  /**
   * Changes with every load, even of the same workflow: editors keyed by it start with an empty undo
   * history instead of undoing into the code of what was open before.
   */
  loadId: number
  load(workflow: Workflow): void
  clear(): void
  update(patch: DraftPatch): void
  updateStep(stepId: string, patch: StepPatch): void
  selectStep(stepId: string | null): void
  addStep(afterStepId?: string | null): string | null
  deleteStep(stepId: string): void
  moveStep(stepId: string, toIndex: number): void
  moveStepBy(stepId: string, delta: number): void
  /** What the step waits for; the first dependency of a workflow that ran in order writes that order out. */
  setDependencies(stepId: string, deps: string[]): void
  addDependency(stepId: string, dep: string): void
  removeDependency(stepId: string, dep: string): void
  setOnFailure(stepId: string, handler: boolean): void
  /** Adds a package line unless one already names that package. */
  addRequirement(line: string): void
  requestJump(stepId: string, line: number): void
  /** The workflow was renamed outside the draft: take the name without marking anything unsaved. */
  applyRename(name: string): void
  save(): Promise<Workflow>
}

export function rowsOf(mapping: Record<string, string>): MappingRow[] {
  return Object.entries(mapping).map(([key, value]) => ({ key, value }))
}

/** Rows with a key become the mapping; blank rows are ignored. Problems are reported by validateDraft. */
export function mappingOf(rows: readonly MappingRow[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of rows) if (r.key.trim()) out[r.key.trim()] = r.value.trim()
  return out
}

export function envRowsOf(env: WorkflowEnv): EnvRow[] {
  return Object.entries(env).map(([name, v]) =>
    isSecretRef(v) ? { name, kind: 'secret', value: v.secret } : { name, kind: 'text', value: v }
  )
}

/** Rows with a name become the env; blank rows are ignored. Names are checked by main on save. */
export function envOf(rows: readonly EnvRow[]): WorkflowEnv {
  const out: WorkflowEnv = {}
  for (const r of rows) if (r.name.trim()) out[r.name.trim()] = r.kind === 'secret' ? { secret: r.value.trim() } : r.value
  return out
}

export function draftOf(workflow: Workflow): Draft {
  const on_failure = [...(workflow.on_failure ?? [])]
  const sorted = [...workflow.steps]
    .sort((a, b) => a.order - b.order)
    .map(({ input_mapping, output_mapping, retry, ...rest }) => ({
      ...rest,
      inputs: rowsOf(input_mapping),
      outputs: rowsOf(output_mapping),
      retry: retryFormOf(retry ?? null),
      continue_on_error: rest.continue_on_error ?? false
    }))
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    working_directory: workflow.working_directory,
    python_path: workflow.python_path,
    variablesText: variablesToText(workflow.variables),
    env: envRowsOf(workflow.env ?? {}),
    clean_env: workflow.clean_env ?? false,
    steps: renumber(handlersLast(sorted, on_failure)),
    on_failure,
    requirementsText: requirementsTextOf(workflow.requirements ?? [])
  }
}

export function stepOf(s: DraftStep): Step {
  const { inputs, outputs, retry, ...rest } = s
  return { ...rest, input_mapping: mappingOf(inputs), output_mapping: mappingOf(outputs), retry: retryPolicyOf(retry) }
}

/** What the draft means once blank rows and formatting are set aside: the basis of dirty tracking. */
export function snapshotOf(draft: Draft): string {
  const vars = parseVariablesText(draft.variablesText)
  return JSON.stringify({
    name: draft.name,
    description: draft.description,
    working_directory: draft.working_directory,
    python_path: draft.python_path,
    variables: vars.ok ? vars.value : draft.variablesText,
    steps: draft.steps.map(stepOf),
    env: envOf(draft.env),
    clean_env: draft.clean_env,
    on_failure: draft.on_failure,
    requirements: requirementLines(draft.requirementsText)
  })
}

export function validateDraft(draft: Draft): DraftProblem[] {
  const problems: DraftProblem[] = []
  if (!draft.name.trim()) problems.push({ key: 'problem.workflowName' })
  const vars = parseVariablesText(draft.variablesText)
  if (!vars.ok) problems.push({ key: 'problem.variablesJson', params: { error: vars.error === 'not-object' ? '{ }' : vars.error } })
  for (const step of draft.steps) {
    const name = step.name.trim() || `#${step.order + 1}`
    if (!step.name.trim()) problems.push({ key: 'problem.stepName', params: { n: step.order + 1 }, stepId: step.id })
    for (const [kind, rows] of [
      ['input', step.inputs],
      ['output', step.outputs]
    ] as const) {
      const seen = new Set<string>()
      rows.forEach((r, i) => {
        const key = r.key.trim()
        const value = r.value.trim()
        if (!key && !value) return
        if (!key || !value) problems.push({ key: `problem.${kind}RowIncomplete`, params: { step: name, row: i + 1 }, stepId: step.id })
        else if (seen.has(key)) problems.push({ key: `problem.${kind}RowDuplicate`, params: { step: name, key }, stepId: step.id })
        seen.add(key)
      })
    }
    if (step.timeout_seconds !== null && !(step.timeout_seconds > 0)) {
      problems.push({ key: 'problem.timeout', params: { step: name }, stepId: step.id })
    }
  }
  const envNames = new Set<string>()
  for (const r of draft.env) {
    const n = r.name.trim()
    if (!n && !r.value) continue
    if (!n || (r.kind === 'secret' && !r.value.trim()))
      problems.push({ key: 'secrets.problem.envRowIncomplete', params: { name: n || '?' } })
    else if (envNames.has(n.toUpperCase())) problems.push({ key: 'secrets.problem.envRowDuplicate', params: { name: n } })
    envNames.add(n.toUpperCase())
  }
  return [...problems, ...runControlDraftProblems(draft), ...requirementDraftProblems(draft.requirementsText)]
}

export function workflowDraftOf(draft: Draft): WorkflowDraft {
  const vars = parseVariablesText(draft.variablesText)
  return {
    id: draft.id,
    name: draft.name.trim(),
    description: draft.description,
    variables: vars.ok ? vars.value : {},
    working_directory: draft.working_directory,
    python_path: draft.python_path,
    env: envOf(draft.env),
    clean_env: draft.clean_env,
    steps: draft.steps.map((s, i) => {
      const step = stepOf(s)
      return {
        id: step.id,
        order: i,
        name: step.name.trim(),
        step_type: step.step_type,
        code: step.code,
        description: step.description,
        input_mapping: step.input_mapping,
        output_mapping: step.output_mapping,
        timeout_seconds: step.timeout_seconds,
        depends_on: step.depends_on,
        retry: step.retry,
        continue_on_error: step.continue_on_error
      }
    }),
    on_failure: draft.on_failure,
    requirements: requirementLines(draft.requirementsText)
  }
}

function newStepId(taken: Set<string>): string {
  for (;;) {
    const id = `step-${Math.random().toString(36).slice(2, 8)}`
    if (!taken.has(id)) return id
  }
}

function newStepName(steps: readonly DraftStep[]): string {
  const names = new Set(steps.map((s) => s.name))
  let n = steps.length + 1
  while (names.has(`Step_${n}`)) n++
  return `Step_${n}`
}

function renumber(steps: DraftStep[]): DraftStep[] {
  return steps.map((s, i) => (s.order === i ? s : { ...s, order: i }))
}

let jumpNonce = 0
let loadCount = 0

export const draftStore = createStore<DraftState>()((set, get) => {
  const change = (draft: Draft, extra: Partial<DraftState> = {}): void => {
    set({ draft, dirty: snapshotOf(draft) !== get().savedSnapshot, ...extra })
  }
  return {
    draft: null,
    savedSnapshot: '',
    dirty: false,
    saving: false,
    selectedStepId: null,
    jump: null,
    loadId: 0,
    load(workflow) {
      const draft = draftOf(workflow)
      const keep = get().draft?.id === workflow.id ? get().selectedStepId : null
      const selected = draft.steps.some((s) => s.id === keep) ? keep : (draft.steps[0]?.id ?? null)
      set({ draft, savedSnapshot: snapshotOf(draft), dirty: false, selectedStepId: selected, jump: null, loadId: ++loadCount })
    },
    clear() {
      set({ draft: null, savedSnapshot: '', dirty: false, selectedStepId: null, jump: null, loadId: ++loadCount })
    },
    update(patch) {
      const d = get().draft
      if (d) change({ ...d, ...patch })
    },
    updateStep(stepId, patch) {
      const d = get().draft
      if (!d) return
      change({ ...d, steps: d.steps.map((s) => (s.id === stepId ? { ...s, ...patch } : s)) })
    },
    selectStep(stepId) {
      set({ selectedStepId: stepId })
    },
    addStep(afterStepId) {
      const d = get().draft
      if (!d) return null
      const id = newStepId(new Set(d.steps.map((s) => s.id)))
      const handlers = new Set(d.on_failure)
      // In a graph a new step would wait for nothing; after the selected step it waits for that one.
      const graph = isGraph(d.steps.filter((s) => !handlers.has(s.id)))
      const after = afterStepId && !handlers.has(afterStepId) && d.steps.some((s) => s.id === afterStepId) ? afterStepId : null
      const step: DraftStep = {
        id,
        order: 0,
        name: newStepName(d.steps),
        step_type: 'PYTHON_SCRIPT',
        code: STEP_TEMPLATE,
        description: '',
        inputs: [],
        outputs: [],
        timeout_seconds: null,
        depends_on: graph ? (after ? [after] : []) : null,
        retry: null,
        continue_on_error: false
      }
      // New steps join the normal ones, never the on-failure steps kept at the end.
      const normalCount = d.steps.length - d.on_failure.filter((h) => d.steps.some((s) => s.id === h)).length
      const at = after ? d.steps.findIndex((s) => s.id === after) + 1 : normalCount
      const steps = [...d.steps]
      steps.splice(at, 0, step)
      change({ ...d, steps: renumber(steps) }, { selectedStepId: id })
      return id
    },
    deleteStep(stepId) {
      const d = get().draft
      if (!d) return
      const index = d.steps.findIndex((s) => s.id === stepId)
      if (index < 0) return
      // Explicit dependencies on the removed step would make the workflow unrunnable; those that waited for
      // it wait for what it waited for.
      const handlers = new Set(d.on_failure)
      const graph = isGraph(d.steps.filter((s) => !handlers.has(s.id)))
      const steps = renumber((graph ? bypassing(d.steps, stepId, d.on_failure) : d.steps).filter((s) => s.id !== stepId))
      const selected = get().selectedStepId === stepId ? (steps[Math.min(index, steps.length - 1)]?.id ?? null) : get().selectedStepId
      change({ ...d, steps, on_failure: d.on_failure.filter((id) => id !== stepId) }, { selectedStepId: selected })
    },
    moveStep(stepId, toIndex) {
      const d = get().draft
      if (!d) return
      const from = d.steps.findIndex((s) => s.id === stepId)
      // A step moves among its own kind: the normal steps, or the on-failure steps after them.
      const handlers = new Set(d.on_failure)
      const normalCount = d.steps.filter((s) => !handlers.has(s.id)).length
      const [lo, hi] = handlers.has(stepId) ? [normalCount, d.steps.length - 1] : [0, normalCount - 1]
      const to = Math.max(lo, Math.min(hi, toIndex))
      if (from < 0 || from === to) return
      const steps = [...d.steps]
      const [moved] = steps.splice(from, 1)
      steps.splice(to, 0, moved)
      change({ ...d, steps: renumber(steps) })
    },
    moveStepBy(stepId, delta) {
      const d = get().draft
      const from = d?.steps.findIndex((s) => s.id === stepId) ?? -1
      if (from >= 0) get().moveStep(stepId, from + delta)
    },
    setDependencies(stepId, deps) {
      const d = get().draft
      if (d) change({ ...d, steps: withDependencies(d.steps, d.on_failure, stepId, deps) })
    },
    addDependency(stepId, dep) {
      const d = get().draft
      if (d) change({ ...d, steps: withDependency(d.steps, d.on_failure, stepId, dep) })
    },
    removeDependency(stepId, dep) {
      const d = get().draft
      if (d) change({ ...d, steps: withoutDependency(d.steps, d.on_failure, stepId, dep) })
    },
    setOnFailure(stepId, handler) {
      const d = get().draft
      if (!d) return
      const next = withOnFailure(d.steps, d.on_failure, stepId, handler)
      change({ ...d, steps: renumber(next.steps), on_failure: next.on_failure })
    },
    addRequirement(line) {
      const d = get().draft
      if (d) change({ ...d, requirementsText: withRequirement(d.requirementsText, line) })
    },
    requestJump(stepId, line) {
      set({ selectedStepId: stepId, jump: { stepId, line, nonce: ++jumpNonce } })
    },
    applyRename(name) {
      const d = get().draft
      if (!d) return
      const saved = get().savedSnapshot ? (JSON.parse(get().savedSnapshot) as Record<string, unknown>) : {}
      const savedSnapshot = JSON.stringify({ ...saved, name })
      const draft = { ...d, name }
      set({ draft, savedSnapshot, dirty: snapshotOf(draft) !== savedSnapshot })
    },
    async save() {
      const d = get().draft
      if (!d) throw new Error('Nothing to save.')
      const problems = validateDraft(d)
      if (problems.length) throw new DraftInvalidError(problems)
      set({ saving: true })
      try {
        const saved = await call('workflows:save', { workflow: workflowDraftOf(d) })
        // Edits typed while the save was in flight stay; only the baseline moves.
        const current = get().draft
        const savedDraft = draftOf(saved)
        if (current && current.id === saved.id) {
          const savedSnapshot = snapshotOf(savedDraft)
          set({ savedSnapshot, dirty: snapshotOf(current) !== savedSnapshot })
        }
        return saved
      } finally {
        set({ saving: false })
      }
    }
  }
})

/** The draft's steps as the engine sees them, for suggestions and the graph. */
export function draftSteps(draft: Draft | null): Step[] {
  return draft ? draft.steps.map(stepOf) : []
}
