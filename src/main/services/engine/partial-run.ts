// Runs that reuse a past run's work: resume (the steps that succeeded there are not run again), run from a
// step (it and what follows run; the rest comes from the latest successful run) and run only a step (it
// alone, with what it needs from that run). Each becomes an ordinary run whose reused steps are applied
// from the recorded outputs, so the steps that do run get exactly what they would have had.
import { textsOf, type TextMap } from '../../../shared/json-text'
import { errorMessage } from '../../../shared/error-messages'
import type { Step, Variables, Workflow } from '../../../shared/model'
import { ancestorsOf, dependencyGraph, descendantsOf } from '../../../shared/run-graph'
import type { Store } from '../store'
import type { StepOutput } from './output'
import { textEntries } from '../values/file-text'
import { RunInputError } from './run-options'

export interface ReusingRun {
  steps: Step[]
  reuse: Map<string, StepOutput | null>
  initialVariables: TextMap
  resumedFrom: string
}

/** The steps of the normal run: every step but the on-failure ones. */
export function mainSteps(workflow: Workflow): Step[] {
  const handlers = new Set(workflow.on_failure)
  return workflow.steps.filter((s) => !handlers.has(s.id))
}

export function resumePlan(store: Store, workflow: Workflow, executionId: string, overrides: Variables | undefined): ReusingRun {
  const past = store.getExecution(executionId)
  if (past.workflow_id !== workflow.id)
    throw new RunInputError(
      `The execution ${executionId} is not a run of "${workflow.name}".`,
      errorMessage('notRunOfWorkflow', { id: executionId.slice(0, 8), workflow: workflow.name })
    )
  const short = executionId.slice(0, 8)
  if (past.status === 'RUNNING')
    throw new RunInputError(`The execution ${short} is still running; wait for it to end.`, errorMessage('stillRunning', { id: short }))
  if (past.status === 'SUCCESS')
    throw new RunInputError(
      `The execution ${short} succeeded; there is nothing to resume. Run the workflow again instead.`,
      errorMessage('nothingToResume', { id: short })
    )
  if (past.replay_of)
    throw new RunInputError(
      `The execution ${short} replayed one step; resume the run it replayed instead.`,
      errorMessage('replayNotResumable', { id: short })
    )
  const succeeded = new Set(past.steps.filter((s) => s.status === 'SUCCESS' && !s.on_failure).map((s) => s.step_id))
  const steps = mainSteps(workflow)
  return {
    steps,
    reuse: recordedOutputs(
      store,
      executionId,
      steps.filter((s) => succeeded.has(s.id))
    ),
    initialVariables: initialOf(store, executionId, overrides),
    resumedFrom: executionId
  }
}

/** Run from a step (`only` false) or only a step, taking the other steps' outputs from the latest successful run. */
export function partialPlan(store: Store, workflow: Workflow, stepId: string, only: boolean, overrides: Variables | undefined): ReusingRun {
  const steps = mainSteps(workflow)
  const target = steps.find((s) => s.id === stepId || s.name === stepId)
  if (!target) {
    const names = steps.map((s) => `${s.name} (${s.id})`).join(', ')
    throw new RunInputError(
      `"${stepId}" is not a step of "${workflow.name}" (its steps: ${names}).`,
      errorMessage('notAStep', { step: stepId, workflow: workflow.name, steps: names })
    )
  }
  const source = store.latestSuccessfulExecution(workflow.id)
  if (!source)
    throw new RunInputError(
      `"${workflow.name}" has no successful run to take the values of the steps before "${target.name}" from; run the whole workflow once first.`,
      errorMessage('noSuccessfulRun', { workflow: workflow.name, step: target.name })
    )
  const graph = dependencyGraph(steps)
  const upstream = ancestorsOf(graph, target.id)
  const runs = only ? new Set([target.id]) : new Set([target.id, ...descendantsOf(graph, target.id)])
  const included = only ? steps.filter((s) => s.id === target.id || upstream.has(s.id)) : steps
  const recorded = new Set(
    store
      .getExecution(source)
      .steps.filter((s) => s.status === 'SUCCESS')
      .map((s) => s.step_id)
  )
  // A step added since that run has no output there: it runs too.
  const reusable = included.filter((s) => !runs.has(s.id) && recorded.has(s.id))
  return {
    steps: included,
    reuse: recordedOutputs(store, source, reusable),
    initialVariables: initialOf(store, source, overrides),
    resumedFrom: source
  }
}

function recordedOutputs(store: Store, executionId: string, steps: Step[]): Map<string, StepOutput | null> {
  const outputs = store.executionTexts(executionId).outputs
  return new Map(
    steps.map((s) => {
      const text = outputs.get(s.id)
      return [s.id, text ? { text, entries: textEntries(text, new Set(Object.values(s.output_mapping))) } : null]
    })
  )
}

/** The variables that run started with, and this run's own over them. */
function initialOf(store: Store, executionId: string, overrides: Variables | undefined): TextMap {
  const initial = store.initialVariableTexts(executionId)
  if (overrides) for (const [k, v] of textsOf(overrides)) initial.set(k, v)
  return initial
}
