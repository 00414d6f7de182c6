// The data model shared by main, preload and renderer. Plain types only: no Node, no DOM.
import type { WorkflowEnv } from './workflow-env'

export const STEP_TYPES = ['PYTHON_SCRIPT'] as const
export type StepType = (typeof STEP_TYPES)[number]

/** COMPLETED_WITH_ERRORS: every step ran, but some that may fail (continue_on_error) did. */
export const EXECUTION_STATUSES = [
  'RUNNING',
  'SUCCESS',
  'COMPLETED_WITH_ERRORS',
  'FAILED',
  'TIMED_OUT',
  'CANCELLED',
  'INTERRUPTED'
] as const
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number]

export const STEP_STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED', 'INTERRUPTED'] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

/** Statuses after which a step or an execution will not change again. */
export const FINAL_STEP_STATUSES: readonly StepStatus[] = ['SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED', 'INTERRUPTED']

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type Variables = Record<string, JsonValue>
/** `{alias: variable}` for inputs, `{variable: output_key}` for outputs, as in the reference. */
export type Mapping = Record<string, string>

export interface Step {
  id: string
  order: number
  name: string
  step_type: StepType
  code: string
  description: string
  input_mapping: Mapping
  output_mapping: Mapping
  /** null: the workflow's or the global default. */
  timeout_seconds: number | null
  /**
   * Ids of the steps this one waits for. When no step of the workflow has it, the steps run one after another
   * in order (the reference); once any step has it, the workflow is a graph and a step without it waits for nothing.
   */
  depends_on: string[] | null
  /** Run the step again when it fails or times out; null: once. */
  retry: RetryPolicy | null
  /** A failure of this step is recorded but does not stop the run (which then ends COMPLETED_WITH_ERRORS). */
  continue_on_error: boolean
}

export interface RetryPolicy {
  /** Further attempts after the first. */
  count: number
  /** The wait before the first retry. */
  delay_seconds: number
  /** Each later wait is the one before times this (1: always the same). */
  backoff: number
  /** Retry only when the script exits with one of these; null: on any failure or timeout. */
  exit_codes: number[] | null
}

export interface Workflow {
  id: string
  name: string
  description: string
  /** Initial variables of every run, overridable per run. */
  variables: Variables
  /** Where the steps run and their output files land; null: the default working directory. */
  working_directory: string | null
  /** A Python executable or a virtual environment folder; null: the interpreter from settings. */
  python_path: string | null
  steps: Step[]
  /** Steps that run only when a run fails (to alert or clean up); they are not part of the normal order. */
  on_failure: string[]
  /** Environment variables of every step: literal texts, or secrets named here and kept in the secret store. */
  env: WorkflowEnv
  /** Steps start with only the system's essentials (PATH, TEMP, HOME, LANG...) plus `env`. */
  clean_env: boolean
  /** pip requirement lines; when any, steps run in a virtual environment Stepwise prepares and reuses. */
  requirements: string[]
  created_at: string
  updated_at: string
}

export interface WorkflowSummary {
  id: string
  name: string
  description: string
  step_count: number
  updated_at: string
  last_status: ExecutionStatus | null
  last_run_at: string | null
}

export interface StepRun {
  execution_id: string
  step_id: string
  name: string
  order: number
  status: StepStatus
  exit_code: number | null
  started_at: string | null
  finished_at: string | null
  duration_ms: number | null
  input_variables: Variables | null
  output: JsonValue | null
  /** Everything the script wrote to stderr, plus Stepwise's own warnings (prefixed "[stepwise]"). */
  logs: string
  error: string | null
  /** The code as it ran. */
  code: string
  /** Kept only in debug mode. */
  script_path: string | null
  variables_path: string | null
  /** How many times it ran (1 without retries); the earlier attempts are in previous_attempts. */
  attempts: number
  previous_attempts: StepAttempt[]
  /** The execution whose recorded output this step reused instead of running (resume, run from a step). */
  reused_from: string | null
  /** It ran as the workflow's on-failure handler. */
  on_failure: boolean
}

/** A failed attempt of a step that was then retried. */
export interface StepAttempt {
  attempt: number
  status: StepStatus
  exit_code: number | null
  started_at: string | null
  finished_at: string | null
  duration_ms: number | null
  error: string | null
  logs: string
}

export interface ExecutionSummary {
  id: string
  workflow_id: string
  workflow_name: string
  status: ExecutionStatus
  started_at: string
  completed_at: string | null
  duration_ms: number | null
  debug: boolean
  replay_of: ReplayOf | null
  error: string | null
  /** What started the run; trigger_id names the schedule or folder trigger when it was one. */
  trigger: ExecutionTrigger
  trigger_id: string | null
  /** The execution whose successful steps' outputs this one reused (resume, run from or only a step). */
  resumed_from: string | null
}

export const EXECUTION_TRIGGERS = ['manual', 'cli', 'replay', 'resume', 'schedule', 'folder'] as const
export type ExecutionTrigger = (typeof EXECUTION_TRIGGERS)[number]

export interface ReplayOf {
  execution_id: string
  step_id: string
}

/** A file a run created or changed in its working folder (issue 14 item 4). */
export interface OutputFile {
  /** Absolute, as the run's machine spells it. */
  path: string
  size: number
  modified_at: string
  change: 'created' | 'changed'
}

export interface OutputFiles {
  files: OutputFile[]
  /** The folder had more entries than were compared. */
  truncated: boolean
}

export interface Execution extends ExecutionSummary {
  initial_variables: Variables
  variables: Variables
  step_outputs: Record<string, JsonValue>
  working_directory: string
  python_path: string
  steps: StepRun[]
  /** null: not known (a run still going, one from before Stepwise noted them, or the folder could not be read). */
  output_files: OutputFiles | null
}

export type Language = 'en' | 'ko'
export type Theme = 'system' | 'light' | 'dark'

export interface Settings {
  python_path: string | null
  default_timeout_seconds: number
  debug_mode: boolean
  default_working_directory: string | null
  /** null: follow the OS locale. */
  language: Language | null
  theme: Theme
  /** Start the next step's Python ahead of time (a spare interpreter); off: every step starts cold. */
  spare_interpreters: boolean
  /** Closing the window hides it to the tray while schedules or folder triggers exist, so they keep firing. */
  keep_running_in_background: boolean
  /** The app is a login item of the OS (Windows/macOS) and starts with the person's session. */
  start_at_login: boolean
  /** How many independent steps of a graph workflow may run at once; null: automatic (defaultMaxParallel). */
  max_parallel: number | null
  /** Where workflow packages come from: an index other than PyPI (a company mirror), null: pip's default. */
  package_index_url: string | null
  package_extra_index_url: string | null
  /** A folder of wheels (pip --find-links): used when the index cannot be reached, or alone when offline. */
  package_find_links: string | null
  /** Never reach for an index: install only from the wheel folder. */
  package_offline: boolean
  package_proxy: string | null
  /** A certificate bundle for a company proxy that inspects HTTPS. */
  package_ca_bundle: string | null
  /** Runs older than this many days are deleted (with their kept files); null: history is kept for ever. */
  history_keep_days: number | null
}

export const DEFAULT_SETTINGS: Settings = {
  python_path: null,
  default_timeout_seconds: 300,
  debug_mode: false,
  default_working_directory: null,
  language: null,
  theme: 'system',
  spare_interpreters: true,
  keep_running_in_background: true,
  start_at_login: false,
  max_parallel: null,
  package_index_url: null,
  package_extra_index_url: null,
  package_find_links: null,
  package_offline: false,
  package_proxy: null,
  package_ca_bundle: null,
  history_keep_days: null
}

/**
 * The automatic limit of steps side by side: the number of CPUs, but at least 8. A step is its own process
 * and office steps mostly wait (on a share, a web API, Excel), so a two-core laptop still runs eight at once
 * well; the floor keeps such branches from queueing behind the core count.
 */
export function defaultMaxParallel(cpus: number): number {
  return Math.max(8, cpus)
}

export interface PythonInterpreter {
  /** The real executable (sys.executable), never a shim or launcher. */
  path: string
  version: string
  /** e.g. "64bit" */
  architecture: string
  /** Where it was found: "PATH", "pyenv", "py launcher", "registry", "conda", "homebrew", "settings", ... */
  source: string
}

export interface AppInfo {
  version: string
  platform: string
  locale: string
  database_path: string
}
