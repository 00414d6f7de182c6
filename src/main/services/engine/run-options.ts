// What a caller may ask of a run, and what the runner resolved for it.
import type { Variables, ExecutionTrigger, Execution } from '../../../shared/model'
import type { ErrorMessage } from '../../../shared/error-messages'
import type { SparePool } from '../python/spare-pool'
import type { Redactor } from '../secrets'

export class RunInputError extends Error {
  constructor(
    message: string,
    /** The same refusal as a code the window translates; the message stays for the CLI. */
    readonly explanation?: ErrorMessage
  ) {
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
  /** This step and the steps after it (or depending on it) run; the others reuse the latest successful run's outputs. */
  fromStep?: string
  /** Only this step runs, with the outputs of the steps before it from the latest successful run. */
  onlyStep?: string
  /** How many independent steps of a graph may run at once (default: the max_parallel setting, else the CPUs). */
  maxParallel?: number
}

export interface StartedRun {
  executionId: string
  /** Settles with the recorded execution once the run has ended, whatever its status. */
  done: Promise<Execution>
}

/** The workflow's environment for its steps, secrets resolved; kept in memory only, for this run. */
export interface StepEnvPlan {
  /** Literal variables: part of the spare interpreter's environment (they are no secret). */
  literal: Record<string, string>
  /** Secret variables: handed to each step as it starts, never to a waiting spare. */
  secret: Record<string, string>
  /** Only the system's essentials from Stepwise's own environment. */
  clean: boolean
}

/** Everything a run needs once it is planned: where, with which Python, how long each step may take. */
export interface RunContext {
  env: StepEnvPlan
  /** Replaces the run's secret values by *** in every text a step writes; null when it uses none. */
  redactor: Redactor | null
  python: string
  workingDirectory: string
  debug: boolean
  defaultTimeout: number
  signal: AbortSignal
  spares: SparePool | null
  /** Ends the run early (a write of its record failed): the running steps stop, the rest are skipped. */
  abort: () => void
  /** How many independent steps of a graph run at once. */
  maxParallel: number
  /** Where outputs over 1 MB are kept: the run's folder beside the database. */
  valuesDir?: string
}
