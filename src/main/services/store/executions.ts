// The executions table and the per-step runs of each execution.
import type Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import type {
  Execution,
  ExecutionStatus,
  ExecutionSummary,
  ExecutionTrigger,
  JsonValue,
  OutputFile,
  OutputFiles,
  ReplayOf,
  Step,
  StepAttempt,
  StepRun,
  StepStatus,
  Variables,
  Workflow
} from '../../../shared/model'
import {
  jsonText,
  objectText,
  parseJsonText,
  scanJson,
  valuesOf,
  type FileText,
  type JsonText,
  type TextMap
} from '../../../shared/json-text'
import { NotFoundError, json, now, parse, type Row } from './connection'
import { stateAfter, stepInputs, type AppliedStep } from './step-inputs'
import { adoptText, referencedText, storedReference } from '../values/value-folder'

type Db = Database.Database

/** The start time of a process as the OS words it, or null when there is none or it cannot be told at once. */
export type StartTimeOf = (pid: number) => string | null

export interface NewExecution {
  workflow: Workflow
  /** The steps that will run, in order; they start PENDING. */
  steps: Step[]
  /** As texts: a replay hands on exactly what the past run recorded. */
  initialVariables: TextMap
  debug: boolean
  workingDirectory: string
  pythonPath: string
  replayOf?: ReplayOf | null
  /** This process's start time, so a later process given the same pid is not taken for the runner. */
  runnerStartedAt?: string | null
  trigger?: ExecutionTrigger
  triggerId?: string | null
  /** The execution whose successful steps' outputs this run reuses. */
  resumedFrom?: string | null
}

export interface StepRunUpdate {
  status: StepStatus
  exit_code?: number | null
  started_at?: string | null
  finished_at?: string | null
  duration_ms?: number | null
  input_variables?: Variables | null
  /** The step's output as the text it wrote. */
  output?: JsonText | null
  logs?: string
  error?: string | null
  script_path?: string | null
  variables_path?: string | null
  /** When the step started: how many outputs the engine had applied, and the input_mapping it ran with. */
  input_seq?: number | null
  input_mapping?: Record<string, string> | null
  /** When it ended, if its output was applied: its place in that order and variable → output key it set. */
  seq?: number | null
  variables_set?: Record<string, string> | null
  /** The running script's process, to end it after a crash only if the pid still names the same process. */
  pid?: number | null
  pid_started_at?: string | null
  attempts?: number
  reused_from?: string | null
}

/** A run found dead at open, with what it left behind: its temp folder and its steps' processes. */
export interface InterruptedRun {
  executionId: string
  debug: boolean
  tempDir: string | null
  /** The steps that were RUNNING, with the process each had started (if recorded). */
  steps: { stepId: string; pid: number | null; pidStartedAt: string | null }[]
}

const INTERRUPTED_STEP_ERROR = 'Interrupted: Stepwise stopped while this step was running.'

/**
 * An execution still RUNNING whose runner process is gone died with it (a crash, a kill, a power cut):
 * mark it INTERRUPTED. Runs of a process that is still alive (the app while the CLI opens the same file)
 * are left alone. Read and written under one write lock, so two processes opening at once agree.
 */
export function markInterrupted(db: Db, startTimeOf: StartTimeOf = () => null): InterruptedRun[] {
  return db
    .transaction(() => {
      const running = db
        .prepare(`SELECT id, runner_pid, runner_started_at, debug, temp_dir FROM executions WHERE status = 'RUNNING'`)
        .all() as Row[]
      const dead = running.filter((r) => !isRunnerAlive(r.runner_pid as number | null, r.runner_started_at as string | null, startTimeOf))
      const at = now()
      const runningSteps = db.prepare(`SELECT step_id, pid, pid_started_at FROM step_runs WHERE execution_id = ? AND status = 'RUNNING'`)
      return dead.map((r): InterruptedRun => {
        const steps = (runningSteps.all(r.id) as Row[]).map((s) => ({
          stepId: s.step_id as string,
          pid: (s.pid as number | null) ?? null,
          pidStartedAt: (s.pid_started_at as string | null) ?? null
        }))
        db.prepare(
          `UPDATE executions SET status = 'INTERRUPTED', completed_at = ?, error = 'Stepwise stopped while this run was in progress.' WHERE id = ?`
        ).run(at, r.id)
        db.prepare(
          `UPDATE step_runs SET status = 'INTERRUPTED', finished_at = ?, error = ? WHERE execution_id = ? AND status = 'RUNNING'`
        ).run(at, INTERRUPTED_STEP_ERROR, r.id)
        db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND status = 'PENDING'`).run(r.id)
        return { executionId: r.id as string, debug: !!r.debug, tempDir: (r.temp_dir as string | null) ?? null, steps }
      })
    })
    .immediate()
}

/** Adds to an interrupted step's error what became of the process it had left running. */
export function noteStepProcessEnded(db: Db, executionId: string, stepId: string, note: string): void {
  db.prepare(`UPDATE step_runs SET error = coalesce(error, '') || ? WHERE execution_id = ? AND step_id = ?`).run(
    ` ${note}`,
    executionId,
    stepId
  )
}

/** The running step's process, recorded apart from its status so that a late answer never changes that. */
export function recordStepProcess(db: Db, executionId: string, stepId: string, pid: number, startedAt: string | null): void {
  db.prepare(`UPDATE step_runs SET pid = ?, pid_started_at = ? WHERE execution_id = ? AND step_id = ?`).run(
    pid,
    startedAt,
    executionId,
    stepId
  )
}

export function setTempDir(db: Db, executionId: string, tempDir: string): void {
  db.prepare(`UPDATE executions SET temp_dir = ? WHERE id = ?`).run(tempDir, executionId)
}

export function createExecution(db: Db, input: NewExecution): string {
  const id = randomUUID()
  const at = now()
  // A value kept in a file (a replay of a step handed 50 MB) is recorded by reference, in its place.
  const inline: TextMap = new Map()
  const kept: [string, FileText][] = []
  for (const [name, text] of input.initialVariables) {
    if (text.file === undefined) inline.set(name, text)
    else {
      inline.set(name, jsonText('null'))
      kept.push([name, text])
    }
  }
  db.transaction(() => {
    db.prepare(
      `INSERT INTO executions (id, workflow_id, workflow_name, status, initial_variables, variables, step_outputs, started_at, debug,
         working_directory, python_path, replay_of_execution, replay_of_step, runner_pid, runner_started_at, inputs_by_reference)
       VALUES (?, ?, ?, 'RUNNING', ?, '', '{}', ?, ?, ?, ?, ?, ?, ?, ?, 1)`
    ).run(
      id,
      input.workflow.id,
      input.workflow.name,
      objectText(inline).json,
      at,
      input.debug ? 1 : 0,
      input.workingDirectory,
      input.pythonPath,
      input.replayOf?.execution_id ?? null,
      input.replayOf?.step_id ?? null,
      process.pid,
      input.runnerStartedAt ?? null
    )
    const insert = db.prepare(
      `INSERT INTO step_runs (execution_id, step_id, name, position, status, code) VALUES (?, ?, ?, ?, 'PENDING', ?)`
    )
    for (const s of input.steps) insert.run(id, s.id, s.name, s.order, s.code)
    db.prepare(`UPDATE executions SET trigger = ?, trigger_id = ?, resumed_from = ? WHERE id = ?`).run(
      input.trigger ?? (input.replayOf ? 'replay' : 'manual'),
      input.triggerId ?? null,
      input.resumedFrom ?? null,
      id
    )
  }).immediate()
  // Linked into the run's folder only once the run is recorded: a trim in another process (the app while
  // the CLI runs) removes the folders of runs it cannot find, and must find this one.
  if (kept.length) {
    const files = kept.map(([name, text]) => [name, storedReference(db.name, adoptText(db.name, id, text))])
    db.prepare(`UPDATE executions SET initial_files = ? WHERE id = ?`).run(json(files), id)
  }
  return id
}

export function updateStepRun(db: Db, executionId: string, stepId: string, update: StepRunUpdate): void {
  const sets: string[] = ['status = @status']
  const params: Record<string, unknown> = { execution_id: executionId, step_id: stepId, status: update.status }
  const put = (column: keyof StepRunUpdate | 'output_file', value: unknown): void => {
    sets.push(`${column} = @${column}`)
    params[column] = value
  }
  const plain = [
    'exit_code',
    'started_at',
    'finished_at',
    'duration_ms',
    'logs',
    'error',
    'script_path',
    'variables_path',
    'input_seq',
    'seq',
    'pid',
    'pid_started_at',
    'attempts',
    'reused_from'
  ] as const
  for (const key of plain) if (update[key] !== undefined) put(key, update[key])
  if (update.output !== undefined) {
    // A value too big for a row is in a file beside the database: the row keeps where.
    const text = update.output
    put('output', text === null || text.file !== undefined ? null : text.json)
    put('output_file', text?.file !== undefined ? storedReference(db.name, adoptText(db.name, executionId, text)) : null)
  }
  for (const key of ['input_variables', 'input_mapping', 'variables_set'] as const) {
    if (update[key] !== undefined) put(key, update[key] === null ? null : json(update[key]))
  }
  db.prepare(`UPDATE step_runs SET ${sets.join(', ')} WHERE execution_id = @execution_id AND step_id = @step_id`).run(params)
}

/** The on-failure steps join the run's record only when the run fails and they start. */
export function addHandlerStepRuns(db: Db, executionId: string, steps: Step[]): void {
  const insert = db.prepare(
    `INSERT INTO step_runs (execution_id, step_id, name, position, status, code, on_failure) VALUES (?, ?, ?, ?, 'PENDING', ?, 1)`
  )
  db.transaction(() => {
    for (const s of steps) insert.run(executionId, s.id, s.name, s.order, s.code)
  }).immediate()
}

/** A failed attempt that will be retried: kept with its own logs, and the step's row starts the next one afresh. */
export function recordAttempt(db: Db, executionId: string, stepId: string, a: StepAttempt): void {
  db.transaction(() => {
    db.prepare(
      `INSERT OR REPLACE INTO step_attempts (execution_id, step_id, attempt, status, exit_code, started_at, finished_at, duration_ms, error, logs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ).run(executionId, stepId, a.attempt, a.status, a.exit_code, a.started_at, a.finished_at, a.duration_ms, a.error, a.logs)
    db.prepare(`UPDATE step_runs SET logs = '', attempts = ? WHERE execution_id = ? AND step_id = ?`).run(
      a.attempt + 1,
      executionId,
      stepId
    )
  }).immediate()
}

function previousAttempts(db: Db, executionId: string, stepId: string): StepAttempt[] {
  return (
    db.prepare(`SELECT * FROM step_attempts WHERE execution_id = ? AND step_id = ? ORDER BY attempt`).all(executionId, stepId) as Row[]
  ).map((a) => ({
    attempt: a.attempt as number,
    status: a.status as StepStatus,
    exit_code: (a.exit_code as number | null) ?? null,
    started_at: (a.started_at as string | null) ?? null,
    finished_at: (a.finished_at as string | null) ?? null,
    duration_ms: (a.duration_ms as number | null) ?? null,
    error: (a.error as string | null) ?? null,
    logs: a.logs as string
  }))
}

/**
 * The latest run of a workflow that ended SUCCESS (run from / only a step takes the steps before it from
 * there); null when it never succeeded. A replay of one step is not such a run: it holds no other step.
 */
export function latestSuccessfulExecution(db: Db, workflowId: string): string | null {
  return (
    (db
      .prepare(
        `SELECT id FROM executions WHERE workflow_id = ? AND status = 'SUCCESS' AND replay_of_execution IS NULL ORDER BY started_at DESC, rowid DESC LIMIT 1`
      )
      .pluck()
      .get(workflowId) as string | undefined) ?? null
  )
}

/** Adds log text of a step that is still running; the full logs replace it when the step ends. */
export function appendStepLogs(db: Db, executionId: string, stepId: string, text: string): void {
  db.prepare(`UPDATE step_runs SET logs = logs || ? WHERE execution_id = ? AND step_id = ?`).run(text, executionId, stepId)
}

export function finishExecution(
  db: Db,
  executionId: string,
  status: ExecutionStatus,
  state: { error: string | null; skipped: string[] }
): string {
  const at = now()
  // The final variables and step_outputs are not written: they are rebuilt from the step runs on read, since
  // writing them would store every mapped value a second time (100 MB more for two 50 MB variables).
  db.transaction(() => {
    db.prepare(`UPDATE executions SET status = ?, completed_at = ?, error = ?, runner_pid = NULL WHERE id = ?`).run(
      status,
      at,
      state.error,
      executionId
    )
    // A step whose end could not be written (disk full) is not left looking as if it still ran.
    db.prepare(
      `UPDATE step_runs SET status = 'FAILED', finished_at = ?, error = 'Stepwise could not record how this step ended; see the run error.'
       WHERE execution_id = ? AND status = 'RUNNING'`
    ).run(at, executionId)
    const skip = db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND step_id = ?`)
    for (const stepId of state.skipped) skip.run(executionId, stepId)
  }).immediate()
  return at
}

/** Steps that will not run (an earlier one failed), marked before the on-failure steps run. */
export function markSkipped(db: Db, executionId: string, stepIds: string[]): void {
  const skip = db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND step_id = ? AND status = 'PENDING'`)
  db.transaction(() => {
    for (const id of stepIds) skip.run(executionId, id)
  }).immediate()
}

/**
 * The last resort when finishing a run could not be written (disk full): the smallest write that still ends
 * it FAILED, so that no run stays RUNNING in a process that is alive and no longer running it.
 */
export function markExecutionFailed(db: Db, executionId: string, error: string): void {
  const at = now()
  db.transaction(() => {
    db.prepare(
      `UPDATE executions SET status = 'FAILED', completed_at = ?, error = ?, runner_pid = NULL WHERE id = ? AND status = 'RUNNING'`
    ).run(at, error, executionId)
    db.prepare(`UPDATE step_runs SET status = 'FAILED', finished_at = ? WHERE execution_id = ? AND status = 'RUNNING'`).run(at, executionId)
    db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND status = 'PENDING'`).run(executionId)
  }).immediate()
}

/** Newest first; `trigger` keeps only the runs one kind of starter began (the history's "started by" filter). */
export function listExecutions(db: Db, workflowId?: string, limit = 500, trigger?: ExecutionTrigger): ExecutionSummary[] {
  const where = [workflowId ? 'workflow_id = @workflowId' : '', trigger ? 'trigger = @trigger' : ''].filter(Boolean)
  const rows = db
    .prepare(
      `SELECT id, workflow_id, workflow_name, status, started_at, completed_at, debug, replay_of_execution, replay_of_step, error, trigger, trigger_id,
         resumed_from
       FROM executions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT @limit`
    )
    .all({ workflowId, limit, trigger }) as Row[]
  return rows.map(toSummary)
}

export function executionsByIdPrefix(db: Db, prefix: string): { id: string; status: ExecutionStatus; debug: boolean }[] {
  // A range on the primary key's index (ids from the prefix up to its successor) instead of substr() over
  // every row: the temp-folder sweep asks this for each folder it finds.
  const upper = prefixSuccessor(prefix)
  const rows = (
    upper === null
      ? db.prepare(`SELECT id, status, debug FROM executions WHERE id >= ?`).all(prefix)
      : db.prepare(`SELECT id, status, debug FROM executions WHERE id >= ? AND id < ?`).all(prefix, upper)
  ) as Row[]
  return rows.map((r) => ({ id: r.id as string, status: r.status as ExecutionStatus, debug: !!r.debug }))
}

/**
 * The smallest string above every string that starts with `prefix` in SQLite's binary text order: its last
 * character raised by one (ids are ASCII, where that order is the code order); null for an empty prefix.
 */
export function prefixSuccessor(prefix: string): string | null {
  let end = prefix.length
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end--
  if (end === 0) return null
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1)
}

/** What a run recorded, as texts: the ground a shown execution, a replay and `--json` are built on. */
interface RecordedTexts {
  row: Row
  rows: Row[]
  initial: TextMap
  /** Runs of the by-reference schema: the outputs applied, in order; null for older runs (inputs stored whole). */
  applied: AppliedStep[] | null
}

/**
 * Values over 1 MB (outputs, stored inputs, final variables and outputs) are not selected with their row:
 * each is read from the database when first asked for, so reading a run holds none of its 50 MB values
 * until someone looks. Smaller ones come with the row, so a usual run reads as plain data even after the
 * store is closed.
 */
const EAGER_MAX_BYTES = 1_000_000
const BIG_EXECUTION_COLUMNS = ['variables', 'step_outputs']
const BIG_STEP_COLUMNS = ['output', 'input_variables']

function selectColumns(db: Db, table: string, big: string[]): string {
  const names = (db.prepare(`PRAGMA table_info(${table})`).all() as Row[]).map((c) => c.name as string)
  return names
    .map((n) =>
      big.includes(n) ? `CASE WHEN length(CAST(${n} AS BLOB)) <= ${EAGER_MAX_BYTES} THEN ${n} END AS ${n}, ${n} IS NOT NULL AS has_${n}` : n
    )
    .join(', ')
}

/** Reads a big column left out of `row` when first asked for. */
function readLater(row: Row, column: string, read: () => unknown): void {
  if (row[column] === null && row[`has_${column}`]) lazy(row, column, read)
}

function recordedTexts(db: Db, id: string): RecordedTexts {
  const row = db.prepare(`SELECT ${selectColumns(db, 'executions', BIG_EXECUTION_COLUMNS)} FROM executions WHERE id = ?`).get(id) as
    Row | undefined
  if (!row) throw new NotFoundError('execution', id)
  for (const column of BIG_EXECUTION_COLUMNS)
    readLater(row, column, () => db.prepare(`SELECT ${column} FROM executions WHERE id = ?`).pluck().get(id))
  const rows = db
    .prepare(`SELECT ${selectColumns(db, 'step_runs', BIG_STEP_COLUMNS)} FROM step_runs WHERE execution_id = ? ORDER BY position`)
    .all(id) as Row[]
  for (const s of rows) {
    for (const column of BIG_STEP_COLUMNS)
      readLater(s, column, () =>
        db.prepare(`SELECT ${column} FROM step_runs WHERE execution_id = ? AND step_id = ?`).pluck().get(id, s.step_id)
      )
  }
  const initial = initialTexts(db, row)
  if (!row.inputs_by_reference) return { row, rows, initial, applied: null }
  const applied: AppliedStep[] = []
  for (const s of rows) {
    if (s.seq === null || s.seq === undefined) continue
    const a = {
      stepId: s.step_id as string,
      seq: s.seq as number,
      variablesSet: parse(s.variables_set, {}),
      onFailure: !!s.on_failure
    } as AppliedStep
    lazy(a, 'output', () => outputText(db, s) ?? jsonText('null'))
    applied.push(a)
  }
  applied.sort((a, b) => a.seq - b.seq)
  return { row, rows, initial, applied }
}

/**
 * A run's variables as they stand: runs recorded by reference keep none (an empty text), so they are rebuilt
 * from the outputs applied, leaving out the on-failure steps' (which ran on a copy); older runs wrote them.
 */
function variableTexts(rec: RecordedTexts): TextMap {
  const text = rec.row.variables
  const ended = rec.row.status !== 'RUNNING' && rec.row.status !== 'INTERRUPTED'
  if (!rec.applied || (ended && typeof text === 'string' && text !== '')) return entriesOf(text)
  return stateAfter(
    rec.initial,
    rec.applied.filter((a) => !a.onFailure)
  ).variables
}

/** The initial variables, those kept in files put back in their places. */
function initialTexts(db: Db, row: Row): TextMap {
  const texts = entriesOf(row.initial_variables)
  for (const [name, ref] of parse<[string, string][]>(row.initial_files, [])) texts.set(name, referencedText(db.name, ref))
  return texts
}

/** A step's recorded output: in its row, or in a file beside the database. */
function outputText(db: Db, s: Row): JsonText | null {
  if (typeof s.output_file === 'string') return referencedText(db.name, s.output_file)
  return typeof s.output === 'string' ? jsonText(s.output) : null
}

/** A stored object's entries as texts (older rows were written by JSON.stringify: strict JSON, read the same way). */
function entriesOf(text: unknown): TextMap {
  return (typeof text === 'string' ? scanJson(text)?.entries : null) ?? new Map()
}

const shown = <T>(text: unknown, fallback: T): JsonValue | T => (typeof text === 'string' ? parseJsonText(text) : fallback)

export function getExecution(db: Db, id: string): Execution {
  const { row: r, rows, initial, applied } = recordedTexts(db, id)
  const steps = rows.map((s): StepRun => {
    const run = {
      execution_id: id,
      step_id: s.step_id as string,
      name: s.name as string,
      order: s.position as number,
      status: s.status as StepStatus,
      exit_code: (s.exit_code as number | null) ?? null,
      started_at: (s.started_at as string | null) ?? null,
      finished_at: (s.finished_at as string | null) ?? null,
      duration_ms: (s.duration_ms as number | null) ?? null,
      input_variables: null,
      output: null,
      logs: s.logs as string,
      error: (s.error as string | null) ?? null,
      code: s.code as string,
      script_path: (s.script_path as string | null) ?? null,
      variables_path: (s.variables_path as string | null) ?? null,
      attempts: (s.attempts as number | undefined) ?? (s.started_at ? 1 : 0),
      previous_attempts: [],
      reused_from: (s.reused_from as string | null) ?? null,
      on_failure: !!s.on_failure
    } as StepRun
    lazy(run, 'output', () => {
      const text = outputText(db, s)
      return text ? parseJsonText(text) : null
    })
    if (run.attempts > 1) lazy(run, 'previous_attempts', () => previousAttempts(db, id, run.step_id))
    if (!applied) lazy(run, 'input_variables', () => shown(s.input_variables, null) as Variables | null)
    else if (s.input_seq !== null && s.input_seq !== undefined) {
      // A long run's inputs together grow with the square of its steps, and most readers never look at them.
      const count = s.input_seq as number
      const mapping = parse<Record<string, string>>(s.input_mapping, {})
      lazy(run, 'input_variables', () => valuesOf(stepInputs(stateAfter(initial, applied, count), mapping)))
    }
    return run
  })
  const execution = {
    ...toSummary(r),
    initial_variables: {},
    variables: {},
    step_outputs: {},
    working_directory: r.working_directory as string,
    python_path: r.python_path as string,
    steps,
    // Read now, not when first asked: a run's record stays readable after its store is closed, and the list
    // is bounded (2,000 entries at most).
    output_files: outputFilesOf(db, id, r)
  } as Execution
  lazy(execution, 'initial_variables', () => valuesOf(initial))
  lazy(execution, 'variables', () => valuesOf(variableTexts({ row: r, rows, initial, applied })))
  lazy(execution, 'step_outputs', () => {
    if (!applied) return shown(r.step_outputs, {}) as Record<string, JsonValue>
    const byId = new Map(steps.map((s) => [s.step_id, s]))
    const out: Record<string, JsonValue> = {}
    for (const a of applied) out[a.stepId] = byId.get(a.stepId)?.output ?? null
    return out
  })
  return execution
}

/**
 * A field parsed from its recorded text when first read: `show`, the history list and the end of a CLI run
 * read few of a run's values, and a 50 MB output parsed for nobody is 50 MB and more held for nothing.
 */
function lazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  let value: { v: T[K] } | null = null
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => (value ??= { v: compute() }).v,
    set: (v: T[K]) => {
      value = { v }
    }
  })
}

/** The texts a step was handed, exactly as recorded (for a replay); null when it never started. */
export function stepInputTexts(db: Db, executionId: string, stepId: string): TextMap | null {
  const { rows, initial, applied } = recordedTexts(db, executionId)
  const s = rows.find((row) => row.step_id === stepId)
  if (!s) return null
  if (!applied) return typeof s.input_variables === 'string' ? entriesOf(s.input_variables) : null
  if (s.input_seq === null || s.input_seq === undefined) return null
  return stepInputs(stateAfter(initial, applied, s.input_seq as number), parse(s.input_mapping, {}))
}

/** A run's final variables, step outputs and each step's output as the recorded texts, for `--json`. */
export interface ExecutionTexts {
  variables: TextMap
  stepOutputs: TextMap
  outputs: Map<string, JsonText | null>
}

export function executionTexts(db: Db, id: string): ExecutionTexts {
  const { row: r, rows, initial, applied } = recordedTexts(db, id)
  const outputs = new Map<string, JsonText | null>(rows.map((s) => [s.step_id as string, outputText(db, s)]))
  if (!applied) return { variables: entriesOf(r.variables), stepOutputs: entriesOf(r.step_outputs), outputs }
  return { variables: variableTexts({ row: r, rows, initial, applied }), stepOutputs: stateAfter(initial, applied).stepOutputs, outputs }
}

/** The variables a run started with, as recorded. */
export function initialVariableTexts(db: Db, id: string): TextMap {
  const row = db.prepare(`SELECT initial_variables, initial_files FROM executions WHERE id = ?`).get(id) as Row | undefined
  if (row === undefined) throw new NotFoundError('execution', id)
  return initialTexts(db, row)
}

/** The temp folders recorded for these finished runs (a debug run keeps its scripts and variables there). */
export function tempFoldersOf(db: Db, ids: string[]): { id: string; tempDir: string }[] {
  const get = db.prepare(`SELECT id, temp_dir FROM executions WHERE id = ? AND status != 'RUNNING' AND temp_dir IS NOT NULL`)
  return ids.flatMap((id) => {
    const r = get.get(id) as { id: string; temp_dir: string } | undefined
    return r ? [{ id: r.id, tempDir: r.temp_dir }] : []
  })
}

/** Finished runs that started before the cutoff (ISO time), oldest first. */
export function executionsStartedBefore(db: Db, cutoff: string): string[] {
  const rows = db.prepare(`SELECT id FROM executions WHERE started_at < ? AND status != 'RUNNING' ORDER BY started_at`).all(cutoff)
  return (rows as { id: string }[]).map((r) => r.id)
}

/** Of these ids, those with no execution (deleted, or never recorded). */
export function missingExecutions(db: Db, ids: string[]): string[] {
  const get = db.prepare(`SELECT 1 FROM executions WHERE id = ?`)
  return ids.filter((id) => !get.get(id))
}

export function deleteExecutions(db: Db, ids: string[]): number {
  const del = db.prepare(`DELETE FROM executions WHERE id = ? AND status != 'RUNNING'`)
  return db.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0)).immediate()
}

/**
 * Whether the app itself recorded this path: as a file a run KEPT (a debug run's script or variables
 * file), or as the folder a past run worked in. Only kept files may be read or opened; a run folder may
 * only be shown or opened as a folder, never trusted for the files under it. A workflow's own
 * working_directory is neither: the page may set that to any text.
 */
export function isRecordedPath(db: Db, path: string, as: 'kept-file' | 'run-folder' | 'output-file'): boolean {
  const sql =
    as === 'kept-file'
      ? `SELECT 1 FROM step_runs WHERE script_path = @p OR variables_path = @p LIMIT 1`
      : as === 'output-file'
        ? `SELECT 1 FROM execution_outputs WHERE path = @p LIMIT 1`
        : `SELECT 1 FROM executions WHERE working_directory = @p LIMIT 1`
  return !!db.prepare(sql).get({ p: path })
}

function toSummary(r: Row): ExecutionSummary {
  const started = r.started_at as string
  const completed = (r.completed_at as string | null) ?? null
  return {
    id: r.id as string,
    workflow_id: r.workflow_id as string,
    workflow_name: r.workflow_name as string,
    status: r.status as ExecutionStatus,
    started_at: started,
    completed_at: completed,
    duration_ms: completed ? Date.parse(completed) - Date.parse(started) : null,
    debug: !!r.debug,
    replay_of: r.replay_of_execution ? { execution_id: r.replay_of_execution as string, step_id: r.replay_of_step as string } : null,
    error: (r.error as string | null) ?? null,
    trigger: ((r.trigger as ExecutionTrigger | undefined) ?? 'manual') as ExecutionTrigger,
    trigger_id: (r.trigger_id as string | null) ?? null,
    resumed_from: (r.resumed_from as string | null) ?? null
  }
}

function isRunnerAlive(pid: number | null, startedAt: string | null, startTimeOf: StartTimeOf): boolean {
  if (!pid) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  // The pid lives; it is the runner unless its start time, where both are known, says it is a later process.
  const now = startedAt ? startTimeOf(pid) : null
  return !now || now === startedAt
}

/** Notes the files a run created or changed in its working folder. */
export function setOutputFiles(db: Db, executionId: string, outputs: OutputFiles): void {
  db.transaction(() => {
    db.prepare(`UPDATE executions SET outputs_noted = 1, outputs_truncated = ? WHERE id = ?`).run(outputs.truncated ? 1 : 0, executionId)
    db.prepare(`DELETE FROM execution_outputs WHERE execution_id = ?`).run(executionId)
    const add = db.prepare(`INSERT INTO execution_outputs (execution_id, path, size, modified_at, change) VALUES (?, ?, ?, ?, ?)`)
    for (const f of outputs.files) add.run(executionId, f.path, f.size, f.modified_at, f.change)
  }).immediate()
}

function outputFilesOf(db: Db, executionId: string, r: Row): OutputFiles | null {
  if (!r.outputs_noted) return null
  const files = db
    .prepare(`SELECT path, size, modified_at, change FROM execution_outputs WHERE execution_id = ? ORDER BY modified_at DESC, path`)
    .all(executionId) as OutputFile[]
  return { files, truncated: !!r.outputs_truncated }
}
