// The executions table and the per-step runs of each execution.
import type Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import type {
  Execution,
  ExecutionStatus,
  ExecutionSummary,
  ExecutionTrigger,
  JsonValue,
  ReplayOf,
  Step,
  StepRun,
  StepStatus,
  Variables,
  Workflow
} from '../../../shared/model'
import { NotFoundError, json, now, parse, type Row } from './connection'

type Db = Database.Database

export interface NewExecution {
  workflow: Workflow
  /** The steps that will run, in order; they start PENDING. */
  steps: Step[]
  initialVariables: Variables
  debug: boolean
  workingDirectory: string
  pythonPath: string
  replayOf?: ReplayOf | null
  trigger?: ExecutionTrigger
  triggerId?: string | null
}

export interface StepRunUpdate {
  status: StepStatus
  exit_code?: number | null
  started_at?: string | null
  finished_at?: string | null
  duration_ms?: number | null
  input_variables?: Variables | null
  output?: JsonValue | null
  logs?: string
  error?: string | null
  script_path?: string | null
  variables_path?: string | null
}

/**
 * An execution still RUNNING whose runner process is gone died with it (a crash, a kill, a power cut):
 * mark it INTERRUPTED. Runs of a process that is still alive (the app while the CLI opens the same file)
 * are left alone.
 */
export function markInterrupted(db: Db): number {
  const running = db.prepare(`SELECT id, runner_pid FROM executions WHERE status = 'RUNNING'`).all() as Row[]
  const dead = running.filter((r) => !isProcessAlive(r.runner_pid as number | null))
  if (!dead.length) return 0
  const at = now()
  db.transaction(() => {
    for (const r of dead) {
      db.prepare(
        `UPDATE executions SET status = 'INTERRUPTED', completed_at = ?, error = 'Stepwise stopped while this run was in progress.' WHERE id = ?`
      ).run(at, r.id)
      db.prepare(
        `UPDATE step_runs SET status = 'INTERRUPTED', finished_at = ?, error = 'Interrupted: Stepwise stopped while this step was running.' WHERE execution_id = ? AND status = 'RUNNING'`
      ).run(at, r.id)
      db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND status = 'PENDING'`).run(r.id)
    }
  })()
  return dead.length
}

export function createExecution(db: Db, input: NewExecution): string {
  const id = randomUUID()
  const at = now()
  db.transaction(() => {
    db.prepare(
      `INSERT INTO executions (id, workflow_id, workflow_name, status, initial_variables, variables, step_outputs, started_at, debug,
         working_directory, python_path, replay_of_execution, replay_of_step, runner_pid)
       VALUES (?, ?, ?, 'RUNNING', ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?)`
    ).run(
      id,
      input.workflow.id,
      input.workflow.name,
      json(input.initialVariables),
      json(input.initialVariables),
      at,
      input.debug ? 1 : 0,
      input.workingDirectory,
      input.pythonPath,
      input.replayOf?.execution_id ?? null,
      input.replayOf?.step_id ?? null,
      process.pid
    )
    const insert = db.prepare(
      `INSERT INTO step_runs (execution_id, step_id, name, position, status, code) VALUES (?, ?, ?, ?, 'PENDING', ?)`
    )
    for (const s of input.steps) insert.run(id, s.id, s.name, s.order, s.code)
    db.prepare(`UPDATE executions SET trigger = ?, trigger_id = ? WHERE id = ?`).run(
      input.trigger ?? (input.replayOf ? 'replay' : 'manual'),
      input.triggerId ?? null,
      id
    )
  })()
  return id
}

export function updateStepRun(db: Db, executionId: string, stepId: string, update: StepRunUpdate): void {
  const sets: string[] = ['status = @status']
  const params: Record<string, unknown> = { execution_id: executionId, step_id: stepId, status: update.status }
  const put = (column: keyof StepRunUpdate, value: unknown): void => {
    sets.push(`${column} = @${column}`)
    params[column] = value
  }
  for (const key of ['exit_code', 'started_at', 'finished_at', 'duration_ms', 'logs', 'error', 'script_path', 'variables_path'] as const) {
    if (update[key] !== undefined) put(key, update[key])
  }
  if (update.input_variables !== undefined) put('input_variables', update.input_variables === null ? null : json(update.input_variables))
  if (update.output !== undefined) put('output', update.output === null ? null : json(update.output))
  db.prepare(`UPDATE step_runs SET ${sets.join(', ')} WHERE execution_id = @execution_id AND step_id = @step_id`).run(params)
}

/** Adds log text of a step that is still running; the full logs replace it when the step ends. */
export function appendStepLogs(db: Db, executionId: string, stepId: string, text: string): void {
  db.prepare(`UPDATE step_runs SET logs = logs || ? WHERE execution_id = ? AND step_id = ?`).run(text, executionId, stepId)
}

/** Records the state after a step: variables and step outputs move together with the step's result. */
export function recordProgress(db: Db, executionId: string, variables: Variables, stepOutputs: Record<string, JsonValue>): void {
  db.prepare(`UPDATE executions SET variables = ?, step_outputs = ? WHERE id = ?`).run(json(variables), json(stepOutputs), executionId)
}

export function finishExecution(
  db: Db,
  executionId: string,
  status: ExecutionStatus,
  state: { variables: Variables; stepOutputs: Record<string, JsonValue>; error: string | null; skipped: string[] }
): string {
  const at = now()
  db.transaction(() => {
    db.prepare(
      `UPDATE executions SET status = ?, completed_at = ?, variables = ?, step_outputs = ?, error = ?, runner_pid = NULL WHERE id = ?`
    ).run(status, at, json(state.variables), json(state.stepOutputs), state.error, executionId)
    const skip = db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND step_id = ?`)
    for (const stepId of state.skipped) skip.run(executionId, stepId)
  })()
  return at
}

export function listExecutions(db: Db, workflowId?: string, limit = 500): ExecutionSummary[] {
  const rows = db
    .prepare(
      `SELECT id, workflow_id, workflow_name, status, started_at, completed_at, debug, replay_of_execution, replay_of_step, error, trigger, trigger_id
       FROM executions ${workflowId ? 'WHERE workflow_id = @workflowId' : ''} ORDER BY started_at DESC, rowid DESC LIMIT @limit`
    )
    .all({ workflowId, limit }) as Row[]
  return rows.map(toSummary)
}

export function executionsByIdPrefix(db: Db, prefix: string): { id: string; status: ExecutionStatus; debug: boolean }[] {
  const rows = db.prepare(`SELECT id, status, debug FROM executions WHERE substr(id, 1, ?) = ?`).all(prefix.length, prefix) as Row[]
  return rows.map((r) => ({ id: r.id as string, status: r.status as ExecutionStatus, debug: !!r.debug }))
}

export function getExecution(db: Db, id: string): Execution {
  const r = db.prepare(`SELECT * FROM executions WHERE id = ?`).get(id) as Row | undefined
  if (!r) throw new NotFoundError('execution', id)
  const steps = (db.prepare(`SELECT * FROM step_runs WHERE execution_id = ? ORDER BY position`).all(id) as Row[]).map((s): StepRun => ({
    execution_id: id,
    step_id: s.step_id as string,
    name: s.name as string,
    order: s.position as number,
    status: s.status as StepStatus,
    exit_code: (s.exit_code as number | null) ?? null,
    started_at: (s.started_at as string | null) ?? null,
    finished_at: (s.finished_at as string | null) ?? null,
    duration_ms: (s.duration_ms as number | null) ?? null,
    input_variables: parse<Variables | null>(s.input_variables, null),
    output: parse<JsonValue | null>(s.output, null),
    logs: s.logs as string,
    error: (s.error as string | null) ?? null,
    code: s.code as string,
    script_path: (s.script_path as string | null) ?? null,
    variables_path: (s.variables_path as string | null) ?? null
  }))
  return {
    ...toSummary(r),
    initial_variables: parse(r.initial_variables, {}),
    variables: parse(r.variables, {}),
    step_outputs: parse(r.step_outputs, {}),
    working_directory: r.working_directory as string,
    python_path: r.python_path as string,
    steps
  }
}

export function deleteExecutions(db: Db, ids: string[]): number {
  const del = db.prepare(`DELETE FROM executions WHERE id = ? AND status != 'RUNNING'`)
  return db.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0))()
}

/**
 * Whether the app itself recorded this path: as a file a run KEPT (a debug run's script or variables
 * file), or as the folder a past run worked in. Only kept files may be read or opened; a run folder may
 * only be shown or opened as a folder, never trusted for the files under it. A workflow's own
 * working_directory is neither: the page may set that to any text.
 */
export function isRecordedPath(db: Db, path: string, as: 'kept-file' | 'run-folder'): boolean {
  const sql =
    as === 'kept-file'
      ? `SELECT 1 FROM step_runs WHERE script_path = @p OR variables_path = @p LIMIT 1`
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
    trigger_id: (r.trigger_id as string | null) ?? null
  }
}

function isProcessAlive(pid: number | null): boolean {
  if (!pid) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
