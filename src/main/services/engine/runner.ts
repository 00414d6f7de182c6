// Runs a stored workflow end to end: resolves the interpreter and the working folder, records the
// execution in the store, drives the engine with the step executor, and pushes events (statuses, batched
// log lines) to whoever listens: the window, the CLI's progress printer, the test bridge.
import { spawnSync } from 'node:child_process'
import { mkdtemp, mkdir, readdir, rm, stat } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import type { EventChannel, EventChannels } from '../../../shared/ipc-contract'
import { previewValues, textsOf, type TextMap } from '../../../shared/json-text'
import type { Execution, ExecutionStatus, ExecutionTrigger, ReplayOf, Step, Variables, Workflow } from '../../../shared/model'
import { stepFileStem } from '../file-names'
import { resolvePython, type ProbeCache } from '../python'
import { SparePool } from '../python/spare-pool'
import type { Store } from '../store'
import { LogRecorder } from './log-recorder'
import { processStartTimeNow } from './process-identity'
import { windowsTreeKillCommand } from './process-tree'
import { RunRecord } from './record'
import { runWorkflowSteps, type EngineStepResult } from './scheduler'
import { runPythonStep, type StepRunRequest, type StepRunResult } from './step-process'
import { isDiskFull, writeFailureMessage } from './write-failure'

export type RunnerEvent = { [E in EventChannel]: { channel: E; payload: EventChannels[E] } }[EventChannel]
export type RunnerListener = (event: RunnerEvent) => void

export class RunInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RunInputError'
  }
}

export interface RunOptions {
  /** Initial variables for this run, over the workflow's own (the reference's user_input). */
  variables?: Variables
  debug?: boolean
  workingDirectory?: string
  /** The default step timeout for this run; a step's own timeout_seconds still wins. */
  timeoutSeconds?: number
  python?: string
  /** Start steps in spare interpreters (default: the spare_interpreters setting); false: every step cold. */
  spare?: boolean
  /** What started this run (default: manual, or replay for a replayed step), recorded on the execution. */
  trigger?: ExecutionTrigger
  /** The schedule or folder trigger that started it. */
  triggerId?: string | null
  /** Folder triggers start one run per file: several runs of one workflow may then run side by side. */
  allowConcurrent?: boolean
}

export interface StartedRun {
  executionId: string
  /** Settles with the recorded execution once the run has ended, whatever its status. */
  done: Promise<Execution>
}

interface RunContext {
  python: string
  workingDirectory: string
  debug: boolean
  defaultTimeout: number
  signal: AbortSignal
  spares: SparePool | null
  /** Ends the run early (a write of its record failed): the running steps stop, the rest are skipped. */
  abort: () => void
}

export class WorkflowRunner {
  private readonly listeners = new Set<RunnerListener>()
  private readonly active = new Map<string, { abort: AbortController; done: Promise<Execution>; workflowId: string }>()
  /** Pids of the step scripts running now, for an owner that must exit at once (killRunningStepsNow). */
  private readonly stepPids = new Set<number>()
  /** The next step's interpreter, started ahead; shared by the runs of this runner. */
  private readonly spares = new SparePool()

  constructor(
    private readonly store: Store,
    private readonly options: {
      tempRoot?: string
      /** Where steps run when neither the run, the workflow nor the settings name a folder; else the current one. */
      defaultWorkingDirectory?: string
      /** Keeps the probe of a chosen interpreter between runs (and between processes). */
      probeCache?: ProbeCache
    } = {}
  ) {}

  /** Ends the waiting spare interpreters; runs started afterwards start every step cold. */
  dispose(): void {
    this.spares.dispose()
  }

  /** How many steps started in a spare interpreter and how many cold (with spares on). */
  spareStats(): { spare: number; cold: number } {
    return { ...this.spares.started }
  }

  /**
   * For a process that is about to exit without waiting (a second Ctrl+C, a closing terminal): ends every
   * running step's process group at once, since detached groups would outlive it. The runs themselves are
   * then marked INTERRUPTED by the next store that opens.
   */
  killRunningStepsNow(): void {
    for (const pid of this.stepPids) {
      try {
        if (process.platform === 'win32') {
          const { command, args } = windowsTreeKillCommand(pid)
          spawnSync(command, args, { windowsHide: true })
        } else process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }

  on(listener: RunnerListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit<E extends EventChannel>(channel: E, payload: EventChannels[E]): void {
    for (const l of this.listeners) {
      try {
        l({ channel, payload } as RunnerEvent)
      } catch {
        // a listener's failure (a closed window) must not break the run
      }
    }
  }

  /**
   * Removes the temp folders of runs that ended without cleaning up (the process was killed): those of
   * finished, non-debug executions of this database. Debug runs keep theirs; folders of runs this store
   * does not know (another database's) are left alone.
   */
  async sweepTempFolders(): Promise<number> {
    const root = this.options.tempRoot ?? tmpdir()
    const names = await readdir(root).catch(() => [] as string[])
    let removed = 0
    for (const name of names) {
      const m = /^stepwise-([0-9a-f]{8})-/.exec(name)
      if (!m) continue
      const owners = this.store.executionsByIdPrefix(m[1])
      if (owners.length !== 1 || owners[0].status === 'RUNNING' || owners[0].debug || this.active.has(owners[0].id)) continue
      await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined)
      removed++
    }
    return removed
  }

  activeExecutions(): string[] {
    return [...this.active.keys()]
  }

  /** Stops a running execution: the running step's process tree is killed, the rest are skipped. */
  stop(executionId: string): boolean {
    const run = this.active.get(executionId)
    if (!run) return false
    run.abort.abort()
    return true
  }

  async stopAll(): Promise<void> {
    const runs = [...this.active.values()]
    for (const r of runs) r.abort.abort()
    await Promise.allSettled(runs.map((r) => r.done))
  }

  async start(workflowId: string, options: RunOptions = {}): Promise<StartedRun> {
    const workflow = this.store.getWorkflow(workflowId)
    if (!workflow.steps.length) throw new RunInputError(`The workflow "${workflow.name}" has no steps to run.`)
    return this.launch(workflow, workflow.steps, textsOf({ ...workflow.variables, ...(options.variables ?? {}) }), options, null)
  }

  /** Runs one step of a past execution again, from the input variables it was given then, with its current code. */
  async replayStep(executionId: string, stepId: string, options: RunOptions = {}): Promise<StartedRun> {
    const past = this.store.getExecution(executionId)
    const run = past.steps.find((s) => s.step_id === stepId)
    if (!run) throw new RunInputError(`The execution ${executionId} has no step "${stepId}".`)
    // The recorded texts, not the values shown: a replay hands the step exactly what it was given then.
    const inputs = this.store.stepInputTexts(executionId, stepId)
    if (!inputs) throw new RunInputError(`Step "${run.name}" never started in that execution, so there are no inputs to replay.`)
    const workflow = this.store.getWorkflow(past.workflow_id)
    const step = workflow.steps.find((s) => s.id === stepId)
    if (!step) throw new RunInputError(`Step "${run.name}" is no longer part of the workflow "${workflow.name}".`)
    return this.launch(
      workflow,
      [{ ...step, depends_on: [] }],
      inputs,
      { ...options, workingDirectory: options.workingDirectory ?? past.working_directory, python: options.python ?? past.python_path },
      { execution_id: executionId, step_id: stepId }
    )
  }

  private async launch(
    workflow: Workflow,
    steps: Step[],
    initialVariables: TextMap,
    options: RunOptions,
    replayOf: ReplayOf | null
  ): Promise<StartedRun> {
    const settings = this.store.getSettings()
    const fallback = this.options.defaultWorkingDirectory
    const workingDirectory =
      options.workingDirectory ?? workflow.working_directory ?? settings.default_working_directory ?? fallback ?? process.cwd()
    if (workingDirectory === fallback) await mkdir(fallback, { recursive: true })
    if (!isAbsolute(workingDirectory))
      throw new RunInputError(
        `The working folder "${workingDirectory}" is not a full path; choose a folder such as ${join(homedir(), 'Documents')}.`
      )
    const running = !options.allowConcurrent && [...this.active.values()].find((r) => r.workflowId === workflow.id)
    if (running)
      throw new RunInputError(`"${workflow.name}" is already running; stop that run or wait for it to end before starting another.`)
    const isFolder = await stat(workingDirectory).then(
      (s) => s.isDirectory(),
      () => false
    )
    if (!isFolder) throw new RunInputError(`The working folder "${workingDirectory}" does not exist. Create it or choose another one.`)
    const python = await resolvePython([options.python, workflow.python_path, settings.python_path], {
      probeCache: this.options.probeCache
    })
    const debug = options.debug ?? settings.debug_mode
    const defaultTimeout = options.timeoutSeconds ?? settings.default_timeout_seconds

    const executionId = this.store.createExecution({
      workflow,
      steps,
      initialVariables,
      debug,
      workingDirectory,
      pythonPath: python.path,
      replayOf,
      runnerStartedAt: processStartTimeNow(process.pid),
      trigger: options.trigger,
      triggerId: options.triggerId
    })
    const abort = new AbortController()
    const startedAt = new Date().toISOString()
    this.emit('run:started', {
      execution_id: executionId,
      workflow_id: workflow.id,
      replay_of: replayOf,
      debug,
      started_at: startedAt,
      steps: steps.map((s) => ({ id: s.id, name: s.name, order: s.order }))
    })

    const done = this.execute(executionId, workflow, steps, initialVariables, {
      python: python.path,
      workingDirectory,
      debug,
      defaultTimeout,
      signal: abort.signal,
      spares: (options.spare ?? settings.spare_interpreters) ? this.spares : null,
      abort: () => abort.abort()
    }).finally(() => this.active.delete(executionId))
    this.active.set(executionId, { abort, done, workflowId: workflow.id })
    return { executionId, done }
  }

  private async execute(
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
      this.store,
      executionId,
      (stepId, lines, progress) =>
        this.emit('run:log', { execution_id: executionId, step_id: stepId, lines, ...(progress !== null && { progress }) }),
      onWriteFailure
    )
    const record = new RunRecord(this.store, executionId, (event) => this.emit('run:step', event), onWriteFailure)
    const results = new Map<string, StepRunResult>()

    let status: ExecutionStatus = 'FAILED'
    let error: string | null
    let final = { variables: initialVariables, skipped: [] as string[] }
    try {
      const stepsDir = await mkdtemp(join(this.options.tempRoot ?? tmpdir(), `stepwise-${executionId.slice(0, 8)}-`))
      tempDir = stepsDir
      record.write('the temp folder of the run', () => this.store.setTempDir(executionId, stepsDir))
      const result = await runWorkflowSteps({
        steps,
        initialVariables,
        signal: ctx.signal,
        runStep: async (step, inputs): Promise<EngineStepResult> => {
          const r = await this.runStep(step, inputs, stepsDir, ctx, {
            onLog: (line) => logs.log(step.id, line),
            onProgress: (line) => logs.progress(step.id, line),
            onSpawn: (pid) => record.spawned(step, pid)
          })
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
        untouched = this.store
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
    const completedAt = this.finishRecord(executionId, status, { ...final, error: error! })
    for (const id of final.skipped) {
      const step = steps.find((s) => s.id === id)
      if (step) record.stepEvent(step, { status: 'SKIPPED' })
    }
    this.emit('run:finished', {
      execution_id: executionId,
      workflow_id: workflow.id,
      status,
      completed_at: completedAt,
      error,
      variables: previewValues(final.variables)
    })
    try {
      return this.store.getExecution(executionId)
    } catch (err) {
      throw new Error(`${error ?? 'The run ended'}; reading its record back failed too: ${(err as Error).message}`, { cause: err })
    }
  }

  /**
   * Ends the run's record; if that cannot be written (disk full), a last, smallest write still marks it
   * FAILED, so that this process never leaves a run RUNNING that it no longer runs.
   */
  private finishRecord(
    executionId: string,
    status: ExecutionStatus,
    state: { variables: TextMap; error: string | null; skipped: string[] }
  ): string {
    try {
      return this.store.finishExecution(executionId, status, state)
    } catch (err) {
      const message = `${writeFailureMessage(err, 'the end of the run')}${state.error ? ` Before that: ${state.error}` : ''}`
      try {
        this.store.markExecutionFailed(executionId, message)
      } catch {
        // Nothing more can be written; the next start marks the run INTERRUPTED once this process is gone.
      }
      return new Date().toISOString()
    }
  }

  /** One step's process; files that cannot be written fail the step with the reason instead of leaving it RUNNING. */
  private async runStep(
    step: Step,
    inputs: TextMap,
    stepsDir: string,
    ctx: RunContext,
    hooks: Pick<StepRunRequest, 'onLog' | 'onProgress' | 'onSpawn'>
  ): Promise<StepRunResult> {
    let pid: number | undefined
    try {
      return await runPythonStep({
        python: ctx.python,
        code: step.code,
        variables: inputs,
        workingDirectory: ctx.workingDirectory,
        tempDir: stepsDir,
        fileStem: stepFileStem(step.order, step.name),
        timeoutMs: (step.timeout_seconds ?? ctx.defaultTimeout) * 1000,
        debug: ctx.debug,
        signal: ctx.signal,
        onLog: hooks.onLog,
        onProgress: hooks.onProgress,
        spares: ctx.spares,
        onSpawn: (spawned) => {
          this.stepPids.add((pid = spawned))
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
      if (pid !== undefined) this.stepPids.delete(pid)
    }
  }
}
