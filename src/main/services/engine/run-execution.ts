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
import { runValuesFolder } from '../values/value-folder'
import { runStep } from './run-step'
import { failureVariables, runFailureHandlers } from './failure-handlers'
import type { StepOutput } from './output'
import { runWorkflowSteps, type EngineResult, type EngineStepResult } from './scheduler'
import { spareKeyFor, type StepRunResult } from './step-process'
import { isDiskFull, writeFailureMessage } from './write-failure'
import { changedFiles, snapshotFolder, type FolderSnapshot } from '../outputs/snapshot'

export interface RunDeps {
  store: Store
  emit<E extends EventChannel>(channel: E, payload: EventChannels[E]): void
  tempRoot?: string
  /** The pids of the steps running now, kept for an owner that must end them at once. */
  stepPids: Set<number>
}

/** What this execution runs: the steps, its on-failure steps, and the outputs it reuses instead of running. */
export interface RunSteps {
  steps: Step[]
  handlers: Step[]
  reuse: Map<string, StepOutput | null> | null
  resumedFrom: string | null
}

export async function executeRun(
  deps: RunDeps,
  executionId: string,
  workflow: Workflow,
  run: RunSteps,
  initialVariables: TextMap,
  ctx: RunContext
): Promise<Execution> {
  const { steps } = run
  // The first step's interpreter starts now, while the run is being recorded, instead of cold after it.
  ctx.spares?.fill(spareKeyFor(ctx))
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
  const note = (step: Step, message: string): void => {
    const kept = notes.get(step.id)
    if (kept) kept.push(message)
    else notes.set(step.id, [message])
    logs.log(step.id, message)
  }

  const drive = (
    stepsDir: string,
    toRun: Step[],
    initial: TextMap,
    signal: AbortSignal,
    reuse: RunSteps['reuse'],
    seqBase = 0
  ): Promise<EngineResult> =>
    runWorkflowSteps({
      seqBase,
      steps: toRun,
      initialVariables: initial,
      signal,
      maxParallel: ctx.maxParallel,
      reuse: reuse ?? undefined,
      runStep: async (step, inputs): Promise<EngineStepResult> => {
        const r = await runStep(
          step,
          inputs,
          stepsDir,
          { ...ctx, signal, valuesDir: deps.store.path === ':memory:' ? undefined : runValuesFolder(deps.store.path, executionId) },
          {
            onLog: (line) => logs.log(step.id, line),
            onProgress: (line) => logs.progress(step.id, line),
            onSpawn: (pid) => record.spawned(step, pid)
          },
          deps.stepPids
        )
        results.set(step.id, r)
        return { status: r.status, output: r.output, error: r.error, exitCode: r.exitCode }
      },
      hooks: {
        onStepRejected: (step, message) => record.rejected(step, message),
        onStepStart: (step, inputs, inputSeq) => record.started(step, inputs, inputSeq),
        onStepWarning: (step, message) => note(step, `[stepwise] warning: ${message}`),
        onStepRetry: (step, engineResult, attempt, delayMs) => {
          const total = (step.retry?.count ?? 0) + 1
          note(
            step,
            `[stepwise] attempt ${attempt} of ${total} ${engineResult.status === 'TIMED_OUT' ? 'timed out' : 'failed'}; trying again in ${formatDelay(delayMs)}.`
          )
          logs.endStep(step.id)
          record.retrying(step, attempt, engineResult, results.get(step.id), notes.get(step.id) ?? [])
          // A failed attempt's output is recorded nowhere: a big one kept in a file would only fill the disk.
          const failedOutput = results.get(step.id)?.output?.text
          if (failedOutput?.file !== undefined) void rm(failedOutput.file, { force: true }).catch(() => undefined)
          results.delete(step.id)
          notes.delete(step.id)
        },
        onStepReused: (step, output, inputSeq, change) => record.reused(step, output, inputSeq, change, run.resumedFrom!),
        onStepEnd: (step, engineResult, change, attempts) => {
          logs.endStep(step.id)
          record.ended(step, engineResult, change, results.get(step.id), notes.get(step.id) ?? [], attempts)
          results.delete(step.id)
          notes.delete(step.id)
        }
      }
    })

  let status: ExecutionStatus = 'FAILED'
  let error: string | null
  let final = { variables: initialVariables, skipped: [] as string[] }
  // Noted before the first step, so what the run wrote can be told from what was there.
  let before: FolderSnapshot | null = null
  try {
    before = await snapshotFolder(ctx.workingDirectory).catch(() => null)
    const stepsDir = await mkdtemp(join(deps.tempRoot ?? tmpdir(), `stepwise-${executionId.slice(0, 8)}-`))
    tempDir = stepsDir
    record.write('the temp folder of the run', () => deps.store.setTempDir(executionId, stepsDir))
    const result = await drive(stepsDir, steps, initialVariables, ctx.signal, run.reuse)
    status = result.status
    error = result.error
    final = { variables: result.variables, skipped: result.skipped }
    if ((status === 'FAILED' || status === 'TIMED_OUT') && run.handlers.length && !writeFailure) {
      // The skipped steps are marked before the handlers run, so the window shows the run as it failed.
      record.write('the skipped steps', () => deps.store.markSkipped(executionId, result.skipped))
      for (const id of result.skipped) {
        const step = steps.find((s) => s.id === id)
        if (step) record.stepEvent(step, { status: 'SKIPPED' })
      }
      final = { ...final, skipped: [] }
      const handlerError = await runFailureHandlers(
        { store: deps.store, emit: deps.emit, record, executionId },
        run.handlers,
        failureVariables(result, executionId, deps.store),
        (toRun, initial) => drive(stepsDir, toRun, initial, ctx.signal, null, result.nextSeq)
      )
      if (handlerError) error = `${error}\n${handlerError}`
    }
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
  if (before) {
    const outputs = changedFiles(before, await snapshotFolder(ctx.workingDirectory))
    record.write('the files the run wrote', () => deps.store.setOutputFiles(executionId, outputs))
  }
  const completedAt = finishRecord(deps.store, executionId, status, { skipped: final.skipped, error: error! })
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
  state: { error: string | null; skipped: string[] }
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

function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`
  return `${Math.round(ms / 6000) / 10} min`
}
