// The one typed contract between the renderer and the main process.
// Request channels: name → zod schema of the params → result type. Event channels: main → renderer pushes.
// The Electron binder, the preload, the test bridge and the renderer all derive from this file.
import { z } from 'zod'
import type {
  AppInfo,
  Execution,
  ExecutionStatus,
  ExecutionSummary,
  ExecutionTrigger,
  JsonValue,
  PythonInterpreter,
  ReplayOf,
  Settings,
  StepStatus,
  Variables,
  Workflow,
  WorkflowSummary
} from './model'
import type { ErrorMessageCode } from './error-messages'
import { EXECUTION_TRIGGERS } from './model'
import type { CronPreview, ScheduleRow, TriggerRow } from './schedules'
import {
  breakpointSchema,
  DEBUG_COMMANDS,
  type BreakpointResult,
  type DebugEvaluation,
  type DebugEvent,
  type DebugStarted,
  type DebugVariable
} from './debugger'
import { settingsPatchSchema, variablesSchema, workflowDraftSchema } from './schemas'
import { secretNameSchema, secretValueSchema } from './workflow-env'

interface RequestDef<P extends z.ZodType, R> {
  params: P
  /** Only a type carrier: main is trusted to return what it declares. */
  result?: R
}
function request<R>() {
  return <P extends z.ZodType>(params: P): RequestDef<P, R> => ({ params })
}

const id = z.string().min(1).max(200)
const path = z.string().min(1).max(4096)
const none = z.object({}).strict()

export const requestChannels = {
  'app:info': request<AppInfo>()(none),
  /** Workflow files the OS opened with the app (double-click), imported; each is handed out once. */
  'app:takeOpenedFiles': request<OpenedFile[]>()(none),
  /** The version of a downloaded update waiting for a restart; null: none (or updates are off). */
  'app:updateStatus': request<{ ready: string | null }>()(none),
  /** Restarts into the downloaded update; refused while a run is going. */
  'app:restartToUpdate': request<{ restarting: boolean }>()(none),

  'workflows:list': request<WorkflowSummary[]>()(z.object({ query: z.string().max(200).optional() }).strict()),
  'workflows:get': request<Workflow>()(z.object({ id }).strict()),
  'workflows:create': request<Workflow>()(z.object({ name: z.string().trim().min(1).max(200) }).strict()),
  'workflows:save': request<Workflow>()(z.object({ workflow: workflowDraftSchema }).strict()),
  'workflows:rename': request<Workflow>()(z.object({ id, name: z.string().trim().min(1).max(200) }).strict()),
  'workflows:duplicate': request<Workflow>()(z.object({ id }).strict()),
  'workflows:delete': request<{ deleted: boolean }>()(z.object({ id }).strict()),
  /** Asks for a file in a dialog; null when the person cancels. */
  'workflows:import': request<Workflow | null>()(none),
  /** The example workflow (fetch, process, save), imported as a new workflow for the first screen's "Open example". */
  'workflows:openExample': request<Workflow>()(none),
  'workflows:export': request<{ path: string } | null>()(z.object({ id }).strict()),
  'workflows:exportScripts': request<{ folder: string; files: string[] } | null>()(z.object({ id }).strict()),

  /**
   * from_step: that step and every step after it (or depending on it) run; the others reuse their outputs
   * from the workflow's latest successful run. only_step: that step alone, with what it needs from that run.
   */
  'runs:start': request<{ execution_id: string }>()(
    z
      .object({
        workflow_id: id,
        variables: variablesSchema.optional(),
        debug: z.boolean().optional(),
        from_step: id.optional(),
        only_step: id.optional()
      })
      .strict()
      .refine((p) => !(p.from_step && p.only_step), { message: 'from_step and only_step cannot be used together', path: ['only_step'] })
  ),
  /** A new run of a failed or stopped execution: its successful steps' outputs are reused, the rest run with the current code. */
  'runs:resume': request<{ execution_id: string }>()(z.object({ execution_id: id, debug: z.boolean().optional() }).strict()),
  'runs:stop': request<{ stopped: boolean }>()(z.object({ execution_id: id }).strict()),
  'runs:replayStep': request<{ execution_id: string }>()(
    z.object({ execution_id: id, step_id: id, debug: z.boolean().optional() }).strict()
  ),
  'runs:active': request<string[]>()(none),

  'executions:list': request<ExecutionSummary[]>()(
    z
      .object({
        workflow_id: id.optional(),
        limit: z.number().int().min(1).max(10000).optional(),
        trigger: z.enum(EXECUTION_TRIGGERS).optional()
      })
      .strict()
  ),
  'executions:get': request<Execution>()(z.object({ id }).strict()),
  'executions:delete': request<{ deleted: number }>()(z.object({ ids: z.array(id).min(1).max(10000) }).strict()),
  /** A step's output, exactly as the step wrote it (any size), to a file the user picks; null when cancelled. */
  'executions:saveOutput': request<{ path: string } | null>()(z.object({ id, step_id: id }).strict()),
  /** Which of the run's recorded output files no longer exist, so the window shows them as gone. */
  'executions:missingOutputs': request<{ missing: string[] }>()(z.object({ id }).strict()),

  /**
   * Only paths the app created or recorded itself, and never a script or executable type: the OS open verb
   * runs those (a .py on Windows). Folders and data files only; anything else is refused.
   */
  'shell:openPath': request<{ opened: boolean }>()(z.object({ path }).strict()),
  'shell:showInFolder': request<{ shown: boolean }>()(z.object({ path }).strict()),
  /** A file a run kept (or an export wrote), read for the in-app viewer; long files come back truncated. */
  'shell:readKeptFile': request<KeptFileText>()(z.object({ path }).strict()),
  /** The same files, in a text editor found on this machine; answers which one. */
  'shell:openInEditor': request<{ editor: string }>()(
    z.object({ path, line: z.number().int().min(1).max(100_000_000).optional() }).strict()
  ),
  'dialogs:pickFolder': request<string | null>()(z.object({ default_path: path.optional() }).strict()),

  'settings:get': request<Settings>()(none),
  'settings:update': request<Settings>()(z.object({ patch: settingsPatchSchema }).strict()),

  'python:list': request<PythonInterpreter[]>()(z.object({ refresh: z.boolean().optional() }).strict()),
  'python:browse': request<PythonInterpreter | null>()(none),
  /** The working folder's own .venv / venv, which runs its workflows unless one names an interpreter; null: none. */
  'python:project': request<PythonInterpreter | null>()(z.object({ working_directory: path }).strict()),

  // Unattended runs (issue 11): schedules and folder triggers, fired by the lease holder (app or daemon).
  'schedules:list': request<{ schedules: ScheduleRow[]; triggers: TriggerRow[] }>()(
    z.object({ language: z.enum(['en', 'ko']).optional() }).strict()
  ),
  'schedules:preview': request<CronPreview>()(
    z.object({ cron: z.string().max(200), tz: z.string().max(100).optional(), language: z.enum(['en', 'ko']).optional() }).strict()
  ),
  'schedules:add': request<ScheduleRow>()(
    z
      .object({
        workflow_id: id,
        cron: z.string().min(1).max(200),
        tz: z.string().max(100).optional(),
        catch_up: z.enum(['none', 'once', 'all']).optional(),
        overlap: z.enum(['skip', 'queue', 'allow']).optional()
      })
      .strict()
  ),
  'schedules:setEnabled': request<{ enabled: boolean }>()(z.object({ id, enabled: z.boolean() }).strict()),
  'schedules:remove': request<{ removed: boolean }>()(z.object({ id }).strict()),
  'triggers:add': request<{ trigger: TriggerRow; warning: string | null }>()(
    z
      .object({
        workflow_id: id,
        folder: path,
        pattern: z.string().min(1).max(200).optional(),
        events: z
          .array(z.enum(['add', 'change']))
          .min(1)
          .max(2)
          .optional(),
        process_existing: z.boolean().optional(),
        move_to: path.optional(),
        poll: z.boolean().optional()
      })
      .strict()
  ),
  'triggers:remove': request<{ removed: boolean }>()(z.object({ id }).strict()),

  // The step debugger (issue 13): a step run under the debugger, with the workflow's variables or those an
  // execution recorded for it; its stops, output and end come as debug:event.
  'debug:start': request<DebugStarted>()(
    z
      .object({
        workflow_id: id,
        step_id: id,
        execution_id: id.optional(),
        breakpoints: z.array(breakpointSchema).max(1000),
        code: z.string().max(10_000_000).optional()
      })
      .strict()
  ),
  'debug:command': request<{ sent: boolean }>()(z.object({ session_id: id, command: z.enum(DEBUG_COMMANDS) }).strict()),
  'debug:setBreakpoints': request<{ breakpoints: BreakpointResult[] }>()(
    z.object({ session_id: id, breakpoints: z.array(breakpointSchema).max(1000) }).strict()
  ),
  /** Without ref: the frame's scopes; with ref: a page of that variable's children. */
  'debug:variables': request<{ variables: DebugVariable[]; total: number }>()(
    z
      .object({
        session_id: id,
        frame_id: z.number().int().min(0).max(100_000).optional(),
        ref: z.number().int().min(1).max(1_000_000_000).optional(),
        start: z.number().int().min(0).max(1_000_000_000).optional(),
        count: z.number().int().min(1).max(500).optional()
      })
      .strict()
  ),
  'debug:evaluate': request<DebugEvaluation>()(
    z.object({ session_id: id, frame_id: z.number().int().min(0).max(100_000), expression: z.string().min(1).max(10_000) }).strict()
  ),
  'debug:stop': request<{ stopped: boolean }>()(z.object({ session_id: id }).strict()),
  /** A step's kept script in a text editor (VS Code at the line), with a launch.json that runs it as the run did. */
  'debug:openInVsCode': request<{ editor: string; launch_path: string }>()(
    z.object({ execution_id: id, step_id: id, line: z.number().int().min(1).max(100_000_000).optional() }).strict()
  ),

  // Secrets (issue 12 §4): names come back, values only ever go in.
  'secrets:list': request<SecretsInfo>()(none),
  'secrets:set': request<{ names: string[] }>()(z.object({ name: secretNameSchema, value: secretValueSchema }).strict()),
  'secrets:delete': request<{ deleted: boolean; names: string[] }>()(z.object({ name: secretNameSchema }).strict()),

  /**
   * The whole output of a failed package install, for the in-app viewer. Only a `.log` file inside the
   * environments folder is read; any other path is FORBIDDEN.
   */
  'env:readLog': request<KeptFileText>()(z.object({ path }).strict())
} as const

/** The secret names, and where they are kept; or why no secret can be kept on this machine. */
export type SecretsInfo =
  | { available: true; kind: 'os' | 'file'; where: string; names: string[] }
  | {
      available: false
      message: string
      /** The reason as a code for the window (see IpcError). */
      key?: ErrorMessageCode
      params?: Record<string, string>
      detail?: string
    }

export interface KeptFileText {
  path: string
  text: string
  /** The file's size on disk, in bytes. */
  size: number
  /** Set when only the first MAX_VIEWED_FILE_BYTES were read. */
  truncated: boolean
}
export const MAX_VIEWED_FILE_BYTES = 5 * 1024 * 1024

export type RequestChannels = typeof requestChannels
export type RequestChannel = keyof RequestChannels
export type RequestParams<C extends RequestChannel> = z.input<RequestChannels[C]['params']>
export type ParsedParams<C extends RequestChannel> = z.output<RequestChannels[C]['params']>
export type RequestResult<C extends RequestChannel> = Exclude<RequestChannels[C]['result'], undefined>

export interface StepEvent {
  execution_id: string
  step_id: string
  status: StepStatus
  started_at: string | null
  finished_at: string | null
  exit_code: number | null
  duration_ms: number | null
  error: string | null
  input_variables: Variables | null
  output: JsonValue | null
  /**
   * The workflow variables this step set (only those: resending them all per step grows with the square of
   * the steps); the run's variables after it are the earlier ones with these over them.
   */
  variables: Variables | null
  script_path: string | null
  variables_path: string | null
  /** Which attempt this is (1 unless the step is being retried). */
  attempt: number
  /** Set when the step did not run but reused the output recorded in that execution. */
  reused_from: string | null
}

export interface EventChannels {
  'run:started': {
    execution_id: string
    workflow_id: string
    replay_of: ReplayOf | null
    debug: boolean
    started_at: string
    steps: { id: string; name: string; order: number }[]
    trigger: ExecutionTrigger
    resumed_from: string | null
    /** The run's initial variables (the workflow's, or this run's own): the live Variables pane starts from them. */
    variables?: Variables
  }
  /** The run failed and its on-failure steps join it now. */
  'run:stepsAdded': { execution_id: string; steps: { id: string; name: string; order: number; on_failure: boolean }[] }
  'run:step': StepEvent
  /**
   * Log lines arrive batched: a script writing 10,000 lines a second sends a few dozen events. `progress`
   * is the step's unfinished line being redrawn with `\r` (a progress bar), shown after `lines` in place
   * of the one before; absent, there is none now (its final text came as a line).
   */
  'run:log': { execution_id: string; step_id: string; lines: string[]; progress?: string }
  'run:finished': {
    execution_id: string
    workflow_id: string
    status: ExecutionStatus
    completed_at: string
    error: string | null
    variables: Variables
  }
  /** Preparing a workflow's packages (before its run starts): pip's or uv's lines as they come. */
  'env:progress': { workflow_id: string; line: string }
  /** A run a schedule or folder trigger started has failed: the window shows it as a badge until seen. */
  'unattended:failed': { execution_id: string; workflow_id: string; workflow_name: string }
  /** The person clicked the notification of that failure: the window opens the run. */
  'unattended:open': { execution_id: string; workflow_id: string }
  /** A workflow file the OS opened with the app was imported (or refused): the window takes it with app:takeOpenedFiles. */
  'app:fileOpened': Record<string, never>
  /** An update was downloaded: the window offers to restart into it. */
  'app:updateReady': { version: string }
  /** A debug session stopped, went on, wrote output or ended. */
  'debug:event': DebugEvent
}
export type EventChannel = keyof EventChannels
/** The live events of runs, which the window batches; the others are rare and handled as they come. */
export type RunEventChannel = Extract<EventChannel, `run:${string}`>
export const runEventChannels: readonly RunEventChannel[] = ['run:started', 'run:step', 'run:stepsAdded', 'run:log', 'run:finished']
export const eventChannels: readonly EventChannel[] = [
  ...runEventChannels,
  'env:progress',
  'unattended:failed',
  'unattended:open',
  'app:fileOpened',
  'app:updateReady',
  'debug:event'
]

/** ENVIRONMENT: a workflow's packages could not be prepared; `environment` says why and where pip's output is. */
export type ErrorCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'NO_PYTHON' | 'ENVIRONMENT' | 'INTERNAL'
export type EnvironmentProblemKind = 'no-network' | 'not-found' | 'no-wheel' | 'hash-mismatch' | 'build-failed' | 'other'
export interface IpcError {
  code: ErrorCode
  /** In English: the CLI prints it, and the window shows it when it has no translation. */
  message: string
  /** The translatable form (an ErrorMessageCode), for the window to say in the person's language. */
  key?: ErrorMessageCode
  params?: Record<string, string>
  /** Untranslated lines that go with the translated sentence (a workflow file's problems). */
  detail?: string
  environment?: { problem: EnvironmentProblemKind; log_path: string | null }
}
/** A workflow file the OS opened with the app: imported as a workflow, or refused with why. */
export type OpenedFile = { path: string; workflow_id: string; name: string } | { path: string; error: IpcError }
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }

/** What the preload puts on `window.stepwise`, and what the test bridge's client imitates. */
export interface StepwiseApi {
  invoke<C extends RequestChannel>(channel: C, params: RequestParams<C>): Promise<IpcResult<RequestResult<C>>>
  on<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void): () => void
}

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestChannels, name)
}
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (eventChannels as readonly string[]).includes(name)
}
