// What the run control of a draft can get wrong, as messages in the person's language that name the step
// and the field: dependencies and on-failure steps by the shared check's codes, retries by RETRY_LIMITS.
import { runControlProblems, type RunControlProblem } from '../../../shared/run-graph'
import { RETRY_LIMITS } from '../../../shared/schemas'
import type { MessageKey } from '../i18n'
import { retryProblems, type RetryProblem } from '../lib/retry-form'
import type { Draft, DraftProblem } from './draft-store'

/** How many on-failure steps a workflow may name (workflowFileSchema). */
export const MAX_ON_FAILURE = 5

const GRAPH_KEYS: Record<RunControlProblem['code'], MessageKey> = {
  cycle: 'runControl.edit.problem.cycle',
  unknown_dependency: 'runControl.edit.problem.unknownDependency',
  self_dependency: 'runControl.edit.problem.selfDependency',
  unknown_handler: 'runControl.edit.problem.unknownHandler',
  depends_on_handler: 'runControl.edit.problem.dependsOnHandler',
  handler_has_dependencies: 'runControl.edit.problem.handlerHasDependencies'
}

function retryKey(p: RetryProblem): MessageKey {
  switch (p.field) {
    case 'count':
      return 'runControl.edit.problem.retryCount'
    case 'delay_seconds':
      return 'runControl.edit.problem.retryDelay'
    case 'backoff':
      return 'runControl.edit.problem.retryBackoff'
    case 'exit_codes':
      return p.limit === 'whole' ? 'runControl.edit.problem.retryExitCode' : 'runControl.edit.problem.retryExitCodesTooMany'
  }
}

export function runControlDraftProblems(draft: Draft): DraftProblem[] {
  const problems: DraftProblem[] = []
  const label = (s: Draft['steps'][number]): string => s.name.trim() || `#${s.order + 1}`
  for (const step of draft.steps) {
    if (!step.retry) continue
    for (const p of retryProblems(step.retry))
      problems.push({
        key: retryKey(p),
        params: {
          step: label(step),
          value: p.value || '—',
          count: RETRY_LIMITS.count,
          delay: RETRY_LIMITS.delaySeconds,
          backoff: RETRY_LIMITS.backoff,
          codes: RETRY_LIMITS.exitCodes
        },
        stepId: step.id
      })
  }
  if (draft.on_failure.length > MAX_ON_FAILURE)
    problems.push({ key: 'runControl.edit.problem.tooManyHandlers', params: { max: MAX_ON_FAILURE, count: draft.on_failure.length } })
  return [...problems, ...runControlGraphProblems(draft)]
}

/** Dependency and on-failure problems only: what the graph view warns about. */
export function runControlGraphProblems(draft: Draft): DraftProblem[] {
  const byName = new Map(draft.steps.map((s) => [s.name, s.id]))
  return runControlProblems(draft.steps, draft.on_failure).map((p) => ({
    key: GRAPH_KEYS[p.code],
    params: { step: p.step, target: 'target' in p ? p.target : '', cycle: p.code === 'cycle' ? p.cycle.join(' → ') : '' },
    stepId: p.field === 'on_failure' ? undefined : byName.get(p.step)
  }))
}
