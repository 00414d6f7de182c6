// The one owner of debug sessions: it starts a step under the debugger with the context a run would give
// it (interpreter, environment, working folder, variables: the workflow's, or those a past run recorded
// for the step), relays commands, and ends every session's process tree on stop, close or window close.
import { randomUUID } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../../../shared/error-messages'
import { textsOf, type TextMap } from '../../../shared/json-text'
import type { Breakpoint, DebugEvent, DebugStarted } from '../../../shared/debugger'
import type { Step, Workflow } from '../../../shared/model'
import type { EnvironmentManager } from '../environments'
import { keptStepFileStem } from '../file-names'
import type { ProbeCache } from '../python'
import type { SecretStore } from '../secrets'
import type { Store } from '../store'
import { RunInputError } from '../engine'
import { planRun } from '../engine/run-plan'
import { DebugSession } from './session'

export interface DebugServiceOptions {
  tempRoot?: string
  defaultWorkingDirectory?: string
  probeCache?: ProbeCache
  environments?: EnvironmentManager
  /** The workflows' secrets: a debugged step gets its workflow's environment as a run would. */
  secrets?: SecretStore
  /** Where refused protocol messages are logged besides the session's output. */
  log?: (line: string) => void
}

export interface DebugStartRequest {
  workflowId: string
  stepId: string
  /** Run the step on the variables this execution recorded for it. */
  executionId?: string
  breakpoints: Breakpoint[]
  /** The editor's text, when it differs from the saved step. */
  code?: string
}

export type DebugListener = (event: DebugEvent) => void

export class DebugService {
  private readonly sessions = new Map<string, DebugSession>()
  private readonly listeners = new Set<DebugListener>()

  constructor(
    private readonly store: Store,
    private readonly options: DebugServiceOptions = {}
  ) {}

  on(listener: DebugListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async start(req: DebugStartRequest): Promise<DebugStarted> {
    const workflow = this.store.getWorkflow(req.workflowId)
    const step = workflow.steps.find((s) => s.id === req.stepId)
    if (!step)
      throw new RunInputError(
        `"${workflow.name}" has no step "${req.stepId}".`,
        errorMessage('debugNoStep', { workflow: workflow.name, step: req.stepId })
      )
    const variables = this.inputsFor(workflow, step, req.executionId)
    const plan = await planRun(workflow, { allowConcurrent: true }, this.store.getSettings(), {
      defaultWorkingDirectory: this.options.defaultWorkingDirectory,
      probeCache: this.options.probeCache,
      environments: this.options.environments,
      secrets: this.options.secrets,
      isRunning: false
    })
    const id = randomUUID()
    const tempDir = await mkdtemp(join(this.options.tempRoot ?? tmpdir(), 'stepwise-debug-'))
    const session = new DebugSession({
      id,
      python: plan.python,
      code: req.code ?? step.code,
      variables,
      workingDirectory: plan.workingDirectory,
      env: plan.env,
      redactor: plan.redactor,
      tempDir,
      fileStem: keptStepFileStem(step.order, step.name),
      breakpoints: req.breakpoints,
      emit: (event) => {
        if (event.kind === 'exited') this.sessions.delete(id)
        for (const listener of this.listeners) listener(event)
      },
      log: this.options.log ?? ((line) => console.warn(line))
    })
    this.sessions.set(id, session)
    try {
      const breakpoints = await session.start()
      return { session_id: id, breakpoints, python: plan.python, working_directory: plan.workingDirectory }
    } catch (err) {
      await session.stop()
      throw err
    }
  }

  /** What a run would hand the step now, or what the chosen run handed it. */
  private inputsFor(workflow: Workflow, step: Step, executionId: string | undefined): TextMap {
    if (executionId) {
      const execution = this.store.getExecution(executionId)
      if (execution.workflow_id !== workflow.id)
        throw new RunInputError(`That run is not a run of "${workflow.name}".`, errorMessage('debugNotRunOf', { workflow: workflow.name }))
      const recorded = this.store.stepInputTexts(executionId, step.id)
      if (!recorded)
        throw new RunInputError(
          `Step "${step.name}" did not start in that run, so it has no inputs to debug with.`,
          errorMessage('debugNeverStarted', { step: step.name })
        )
      return recorded
    }
    const variables = textsOf(workflow.variables)
    const inputs: TextMap = new Map(variables)
    for (const [alias, name] of Object.entries(step.input_mapping)) {
      const value = variables.get(name)
      if (value) inputs.set(alias, value)
    }
    return inputs
  }

  session(id: string): DebugSession {
    const session = this.sessions.get(id)
    if (!session) throw new RunInputError('That debug session has ended.', errorMessage('debugSessionEnded', {}))
    return session
  }

  async stop(id: string): Promise<boolean> {
    const session = this.sessions.get(id)
    if (!session) return false
    await session.stop()
    return true
  }

  /** Ends every session (the window closed, the app quits). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.stop()))
  }
}
