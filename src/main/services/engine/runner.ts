// The runner: the runs going on in this process. It starts a run (planned by run-plan, executed by
// run-execution), replays a past step, stops runs, ends their processes at once when it must, and hands
// every run's events (statuses, batched log lines) to whoever listens: the window, the CLI, the test bridge.
import { spawnSync } from 'node:child_process'
import { readdir, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../../../shared/error-messages'
import type { EventChannel, EventChannels } from '../../../shared/ipc-contract'
import { previewValues, textsOf, type TextMap } from '../../../shared/json-text'
import { defaultMaxParallel, type Execution, type ReplayOf, type Step, type Workflow } from '../../../shared/model'
import type { EnvironmentManager } from '../environments'
import type { ProbeCache } from '../python'
import { SparePool } from '../python/spare-pool'
import type { Store } from '../store'
import type { SecretStore } from '../secrets'
import { processStartTimeNow } from './process-identity'
import { windowsTreeKillCommand } from './process-tree'
import { mainSteps, partialPlan, resumePlan, type ReusingRun } from './partial-run'
import { executeRun } from './run-execution'
import { RunInputError, type RunOptions, type StartedRun } from './run-options'
import { planRun, workflowPython } from './run-plan'
import type { StepOutput } from './output'
import { adoptText, adoptTexts } from '../values/value-folder'

function adoptOutputs(dbPath: string, executionId: string, reuse: Map<string, StepOutput | null>): Map<string, StepOutput | null> {
  const out = new Map<string, StepOutput | null>()
  for (const [id, o] of reuse) {
    if (!o || o.text.file === undefined) out.set(id, o)
    else
      out.set(id, { ...o, text: adoptText(dbPath, executionId, o.text), entries: o.entries && adoptTexts(dbPath, executionId, o.entries) })
  }
  return out
}

export type RunnerEvent = { [E in EventChannel]: { channel: E; payload: EventChannels[E] } }[EventChannel]
export type RunnerListener = (event: RunnerEvent) => void

export { RunInputError, type RunOptions, type StartedRun }

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
      /** Where the workflows' secrets are read from; without it a workflow that names a secret does not start. */
      secrets?: SecretStore
      /** Where workflows' packages are installed (virtual environments, reused between runs). */
      environments?: EnvironmentManager
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

  /** The folder prepared environments (and the logs of failed installs) live in; null when packages are off. */
  get environmentsRoot(): string | null {
    return this.options.environments?.root ?? null
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

  /** Prepares the workflow's packages now (`stepwise env prepare`); answers the Python its steps will run with. */
  async prepareEnvironment(workflowId: string, options: Pick<RunOptions, 'python'> = {}): Promise<string> {
    const workflow = this.store.getWorkflow(workflowId)
    const settings = this.store.getSettings()
    return workflowPython(workflow, options, settings, {
      // The folder a run would work in, so its own .venv is the base here too, as it is for the run.
      workingDirectory:
        workflow.working_directory ?? settings.default_working_directory ?? this.options.defaultWorkingDirectory ?? process.cwd(),
      probeCache: this.options.probeCache,
      environments: this.options.environments,
      onEnvironmentLine: (line) => this.emit('env:progress', { workflow_id: workflow.id, line })
    })
  }

  /** A run of the workflow; with fromStep or onlyStep, the other steps reuse the latest successful run's outputs. */
  async start(workflowId: string, options: RunOptions = {}): Promise<StartedRun> {
    const workflow = this.store.getWorkflow(workflowId)
    if (!mainSteps(workflow).length)
      throw new RunInputError(`The workflow "${workflow.name}" has no steps to run.`, errorMessage('noSteps', { workflow: workflow.name }))
    if (options.fromStep && options.onlyStep)
      throw new RunInputError('Choose either a step to run from or a single step to run, not both.', errorMessage('fromAndOnly', {}))
    const partial = options.fromStep ?? options.onlyStep
    if (partial) {
      const plan = partialPlan(this.store, workflow, partial, !!options.onlyStep, options.variables)
      return this.launch(workflow, plan.steps, plan.initialVariables, options, null, plan)
    }
    return this.launch(workflow, mainSteps(workflow), textsOf({ ...workflow.variables, ...(options.variables ?? {}) }), options, null)
  }

  /**
   * A new run of a failed or stopped execution: the steps that succeeded there keep their recorded outputs,
   * the rest run with the current code, from the variables that run started with.
   */
  async resume(executionId: string, options: RunOptions = {}): Promise<StartedRun> {
    const past = this.store.getExecution(executionId)
    const workflow = this.store.getWorkflow(past.workflow_id)
    const plan = resumePlan(this.store, workflow, executionId, options.variables)
    return this.launch(
      workflow,
      plan.steps,
      plan.initialVariables,
      {
        ...options,
        trigger: options.trigger ?? 'resume',
        workingDirectory: options.workingDirectory ?? past.working_directory,
        python: options.python ?? past.python_path
      },
      null,
      plan
    )
  }

  /** Runs one step of a past execution again, from the input variables it was given then, with its current code. */
  async replayStep(executionId: string, stepId: string, options: RunOptions = {}): Promise<StartedRun> {
    const past = this.store.getExecution(executionId)
    const run = past.steps.find((s) => s.step_id === stepId)
    if (!run)
      throw new RunInputError(
        `The execution ${executionId} has no step "${stepId}".`,
        errorMessage('replayNoStep', { id: executionId.slice(0, 8), step: stepId })
      )
    // The recorded texts, not the values shown: a replay hands the step exactly what it was given then.
    const inputs = this.store.stepInputTexts(executionId, stepId)
    if (!inputs)
      throw new RunInputError(
        `Step "${run.name}" never started in that execution, so there are no inputs to replay.`,
        errorMessage('replayNeverStarted', { step: run.name })
      )
    const workflow = this.store.getWorkflow(past.workflow_id)
    const step = workflow.steps.find((s) => s.id === stepId)
    if (!step)
      throw new RunInputError(
        `Step "${run.name}" is no longer part of the workflow "${workflow.name}".`,
        errorMessage('replayStepGone', { step: run.name, workflow: workflow.name })
      )
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
    replayOf: ReplayOf | null,
    reusing: ReusingRun | null = null
  ): Promise<StartedRun> {
    const settings = this.store.getSettings()
    const plan = await planRun(workflow, options, settings, {
      defaultWorkingDirectory: this.options.defaultWorkingDirectory,
      probeCache: this.options.probeCache,
      secrets: this.options.secrets,
      environments: this.options.environments,
      onEnvironmentLine: (line) => this.emit('env:progress', { workflow_id: workflow.id, line }),
      isRunning: [...this.active.values()].some((r) => r.workflowId === workflow.id)
    })
    const executionId = this.store.createExecution({
      workflow,
      steps,
      initialVariables,
      debug: plan.debug,
      workingDirectory: plan.workingDirectory,
      pythonPath: plan.python,
      replayOf,
      runnerStartedAt: processStartTimeNow(process.pid),
      trigger: options.trigger,
      triggerId: options.triggerId,
      resumedFrom: reusing?.resumedFrom ?? null
    })
    // The values this run takes from another run (a replay's inputs, a resume's reused outputs) are read
    // from its own folder: deleting or trimming that run while this one goes on must not take them away.
    if (this.store.path !== ':memory:') {
      initialVariables = adoptTexts(this.store.path, executionId, initialVariables)
      if (reusing) reusing = { ...reusing, reuse: adoptOutputs(this.store.path, executionId, reusing.reuse) }
    }
    const trigger = options.trigger ?? (replayOf ? 'replay' : 'manual')
    const abort = new AbortController()
    this.emit('run:started', {
      execution_id: executionId,
      workflow_id: workflow.id,
      replay_of: replayOf,
      debug: plan.debug,
      started_at: new Date().toISOString(),
      steps: steps.map((s) => ({ id: s.id, name: s.name, order: s.order })),
      trigger,
      resumed_from: reusing?.resumedFrom ?? null,
      variables: previewValues(initialVariables)
    })
    // A replayed step runs alone: the workflow's on-failure steps are for its runs, not for a try of one step.
    const handlers = replayOf ? [] : workflow.steps.filter((s) => workflow.on_failure.includes(s.id))
    const deps = { store: this.store, emit: this.emit.bind(this), tempRoot: this.options.tempRoot, stepPids: this.stepPids }
    const done = executeRun(
      deps,
      executionId,
      workflow,
      { steps, handlers, reuse: reusing?.reuse ?? null, resumedFrom: reusing?.resumedFrom ?? null },
      initialVariables,
      {
        ...plan,
        signal: abort.signal,
        spares: (options.spare ?? settings.spare_interpreters) ? this.spares : null,
        abort: () => abort.abort(),
        maxParallel: options.maxParallel ?? settings.max_parallel ?? defaultMaxParallel(availableParallelism())
      }
    ).finally(() => this.active.delete(executionId))
    this.active.set(executionId, { abort, done, workflowId: workflow.id })
    return { executionId, done }
  }
}
