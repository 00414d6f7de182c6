// One execution from its first step to its record's end: the temp folder, the scheduler driving each step
// through runStep, the live logs, the record of each step and of the run, and the events for whoever
// listens. A write of the record that fails (disk full) ends the run FAILED instead of leaving it RUNNING.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventChannel, EventChannels } from '../../../shared/ipc-contract'
import { previewValues, type TextMap } from '../../../shared/json-text'
import type { Execution, ExecutionStatus, Step, Workflow } from '../../../shared/model'
import type { Store } from '../store'
import { LogRecorder } from './log-recorder'
import { RunRecord } from './record'
import type { RunContext } from './run-options'
import { runStep } from './run-step'
import { runWorkflowSteps, type EngineStepResult } from './scheduler'
import type { StepRunResult } from './step-process'
import { isDiskFull, writeFailureMessage } from './write-failure'

export interface RunDeps {
  store: Store
  emit<E extends EventChannel>(channel: E, payload: EventChannels[E]): void
  tempRoot?: string
  /** The pids of the steps running now, kept for an owner that must end them at once. */
  stepPids: Set<number>
}

export async function executeRun(
  deps: RunDeps,
  executionId: string,
  workflow: Workflow,
  steps: Step[],
  initialVariables: TextMap,
  ctx: RunContext
): Promise<Execution> {
  // Created inside the try below: a temp folder that cannot be made must end the run FAILED, not leave it RUNNING.
  let tempDir: string | null = null
  const notes = new Map<string, string[]>()
  // The first write that failed ends the run: it cannot go on being recorded.
  let writeFailure: string | null = null
  const onWriteFailure = (err: unknown, what: string): void => {
    if (writeFailure) return
    writeFailure = writeFailureMessage(err, what)
    ctx.abort()
  }
  const logs = new LogRecorder(
    deps.store,
    executionId,
    (stepId, lines, progress) =>
      deps.emit('run:log', { execution_id: executionId, step_id: stepId, lines, ...(progress !== null && { progress }) }),
    onWriteFailure
  )
  const record = new RunRecord(deps.store, executionId, (event) => deps.emit('run:step', event), onWriteFailure)
  const results = new Map<string, StepRunResult>()

  let status: ExecutionStatus = 'FAILED'
  let error: string | null
  let final = { variables: initialVariables, skipped: [] as string[] }
  try {
    const stepsDir = await mkdtemp(join(deps.tempRoot ?? tmpdir(), `stepwise-${executionId.slice(0, 8)}-`))
    tempDir = stepsDir
    record.write('the temp folder of the run', () => deps.store.setTempDir(executionId, stepsDir))
    const result = await runWorkflowSteps({
      steps,
      initialVariables,
      signal: ctx.signal,
      runStep: async (step, inputs): Promise<EngineStepResult> => {
        const r = await runStep(
          step,
          inputs,
          stepsDir,
          ctx,
          {
            onLog: (line) => logs.log(step.id, line),
            onProgress: (line) => logs.progress(step.id, line),
            onSpawn: (pid) => record.spawned(step, pid)
          },
          deps.stepPids
        )
        results.set(step.id, r)
        return { status: r.status, output: r.output, error: r.error }
      },
      hooks: {
        onStepRejected: (step, message) => record.rejected(step, message),
        onStepStart: (step, inputs, inputSeq) => record.started(step, inputs, inputSeq),
        onStepWarning: (step, message) => {
          const note = `[stepwise] warning: ${message}`
          const kept = notes.get(step.id)
          if (kept) kept.push(note)
          else notes.set(step.id, [note])
          logs.log(step.id, note)
        },
        onStepEnd: (step, engineResult, change) => {
          logs.endStep(step.id)
          record.ended(step, engineResult, change, results.get(step.id), notes.get(step.id) ?? [])
          results.delete(step.id)
          notes.delete(step.id)
        }
      }
    })
    status = result.status
    error = result.error
    final = { variables: result.variables, skipped: result.skipped }
  } catch (err) {
    error = isDiskFull(err) ? writeFailureMessage(err, 'the run') : `Stepwise could not run this workflow: ${(err as Error).message}`
    let untouched: string[]
    try {
      untouched = deps.store
        .getExecution(executionId)
        .steps.filter((s) => s.status === 'PENDING')
        .map((s) => s.step_id)
    } catch {
      untouched = steps.map((s) => s.id)
    }
    final = { ...final, skipped: untouched }
  } finally {
    logs.close()
    if (!ctx.debug && tempDir) await rm(tempDir, { recursive: true, force: true }).catch(() => undefined)
  }
  if (writeFailure) {
    status = 'FAILED'
    error = writeFailure
  }
  const completedAt = finishRecord(deps.store, executionId, status, { ...final, error: error! })
  for (const id of final.skipped) {
    const step = steps.find((s) => s.id === id)
    if (step) record.stepEvent(step, { status: 'SKIPPED' })
  }
  deps.emit('run:finished', {
    execution_id: executionId,
    workflow_id: workflow.id,
    status,
    completed_at: completedAt,
    error,
    variables: previewValues(final.variables)
  })
  try {
    return deps.store.getExecution(executionId)
  } catch (err) {
    throw new Error(`${error ?? 'The run ended'}; reading its record back failed too: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Ends the run's record; if that cannot be written (disk full), a last, smallest write still marks it
 * FAILED, so that this process never leaves a run RUNNING that it no longer runs.
 */
function finishRecord(
  store: Store,
  executionId: string,
  status: ExecutionStatus,
  state: { variables: TextMap; error: string | null; skipped: string[] }
): string {
  try {
    return store.finishExecution(executionId, status, state)
  } catch (err) {
    const message = `${writeFailureMessage(err, 'the end of the run')}${state.error ? ` Before that: ${state.error}` : ''}`
    try {
      store.markExecutionFailed(executionId, message)
    } catch {
      // Nothing more can be written; the next start marks the run INTERRUPTED once this process is gone.
    }
    return new Date().toISOString()
  }
}
