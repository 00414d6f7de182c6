// Running one step of a run: its Python through the executor, with the run's context. Files that cannot be
// written (disk full, a scanner holding the folder) fail the step with the reason instead of leaving it RUNNING.
import type { TextMap } from '../../../shared/json-text'
import type { Step } from '../../../shared/model'
import { keptStepFileStem } from '../file-names'
import type { RunContext } from './run-options'
import { runPythonStep, type StepRunRequest, type StepRunResult } from './step-process'
import { isDiskFull } from './write-failure'

export async function runStep(
  step: Step,
  inputs: TextMap,
  stepsDir: string,
  ctx: RunContext,
  hooks: Pick<StepRunRequest, 'onLog' | 'onProgress' | 'onSpawn'>,
  /** The pids of the steps running now, kept for an owner that must end them at once. */
  stepPids: Set<number>
): Promise<StepRunResult> {
  let pid: number | undefined
  try {
    return await runPythonStep({
      python: ctx.python,
      code: step.code,
      variables: inputs,
      workingDirectory: ctx.workingDirectory,
      tempDir: stepsDir,
      fileStem: keptStepFileStem(step.order, step.name),
      timeoutMs: (step.timeout_seconds ?? ctx.defaultTimeout) * 1000,
      debug: ctx.debug,
      signal: ctx.signal,
      onLog: hooks.onLog,
      onProgress: hooks.onProgress,
      spares: ctx.spares,
      env: ctx.env,
      redactor: ctx.redactor,
      valuesDir: ctx.valuesDir,
      outputKeys: Object.values(step.output_mapping),
      onSpawn: (spawned) => {
        stepPids.add((pid = spawned))
        hooks.onSpawn?.(spawned)
      }
    })
  } catch (err) {
    // The step's files could not be written (disk full, a scanner holding the folder...).
    const at = new Date().toISOString()
    const why = isDiskFull(err) ? `the disk is full (${(err as Error).message})` : (err as Error).message
    return {
      status: 'FAILED',
      exitCode: null,
      output: null,
      stdout: '',
      stderr: '',
      notes: [],
      error: `Stepwise could not prepare the step's files in "${stepsDir}": ${why}`,
      startedAt: at,
      finishedAt: at,
      durationMs: 0,
      scriptPath: null,
      variablesPath: null
    }
  } finally {
    if (pid !== undefined) stepPids.delete(pid)
  }
}
