// The SQLite store: workflows, their steps, executions, per-step runs and settings.
// WAL journal, schema migrations by `user_version`, every multi-row change in one transaction so that a
// crash leaves either the old or the new state.
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  DEFAULT_SETTINGS,
  type Execution,
  type ExecutionStatus,
  type ExecutionSummary,
  type JsonValue,
  type ReplayOf,
  type Settings,
  type Step,
  type StepRun,
  type StepStatus,
  type Variables,
  type Workflow,
  type WorkflowSummary
} from '../../shared/model'

const MIGRATIONS: string[] = [
  `
  CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    variables TEXT NOT NULL DEFAULT '{}',
    working_directory TEXT,
    python_path TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE steps (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    step_type TEXT NOT NULL,
    code TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    input_mapping TEXT NOT NULL DEFAULT '{}',
    output_mapping TEXT NOT NULL DEFAULT '{}',
    timeout_seconds REAL,
    depends_on TEXT,
    PRIMARY KEY (workflow_id, id)
  );
  CREATE TABLE executions (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    workflow_name TEXT NOT NULL,
    status TEXT NOT NULL,
    initial_variables TEXT NOT NULL,
    variables TEXT NOT NULL,
    step_outputs TEXT NOT NULL DEFAULT '{}',
    started_at TEXT NOT NULL,
    completed_at TEXT,
    error TEXT,
    debug INTEGER NOT NULL DEFAULT 0,
    working_directory TEXT NOT NULL,
    python_path TEXT NOT NULL,
    replay_of_execution TEXT,
    replay_of_step TEXT,
    runner_pid INTEGER
  );
  CREATE INDEX executions_by_workflow ON executions(workflow_id, started_at);
  CREATE INDEX executions_by_status ON executions(status);
  CREATE TABLE step_runs (
    execution_id TEXT NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
    step_id TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    exit_code INTEGER,
    started_at TEXT,
    finished_at TEXT,
    duration_ms INTEGER,
    input_variables TEXT,
    output TEXT,
    logs TEXT NOT NULL DEFAULT '',
    error TEXT,
    code TEXT NOT NULL DEFAULT '',
    script_path TEXT,
    variables_path TEXT,
    PRIMARY KEY (execution_id, step_id)
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // The content a workflow file had when `stepwise run <file>` last stored it, to tell whether the stored
  // workflow was edited since (in the app) before a run of the file replaces it.
  `ALTER TABLE workflows ADD COLUMN source_hash TEXT;`
]

export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`No ${what} with id "${id}"`)
    this.name = 'NotFoundError'
  }
}

export interface NewExecution {
  workflow: Workflow
  /** The steps that will run, in order; they start PENDING. */
  steps: Step[]
  initialVariables: Variables
  debug: boolean
  workingDirectory: string
  pythonPath: string
  replayOf?: ReplayOf | null
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

type Row = Record<string, unknown>

const json = (v: unknown): string => JSON.stringify(v)
const parse = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : fallback)
const now = (): string => new Date().toISOString()

export class Store {
  readonly db: Database.Database

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    this.db = new Database(path)
    // First, so that opening a file another process is opening too waits instead of failing.
    this.db.pragma('busy_timeout = 5000')
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    try {
      this.migrate()
      this.markInterrupted()
    } catch (err) {
      // A refused file must not stay open: on Windows that would lock it against the newer Stepwise.
      this.db.close()
      throw err
    }
  }

  close(): void {
    this.db.close()
  }

  private migrate(): void {
    // The version is read under the write lock (BEGIN IMMEDIATE): two processes opening a new file at once
    // (the app and the CLI, two CLI runs) would otherwise both see version 0 and the second would fail
    // with "table workflows already exists".
    this.db
      .transaction(() => {
        const version = this.db.pragma('user_version', { simple: true }) as number
        if (version > MIGRATIONS.length) {
          throw new Error(
            `The database ${this.path} was written by a newer Stepwise (schema ${version}, this one knows ${MIGRATIONS.length}). Update Stepwise to open it.`
          )
        }
        for (let v = version; v < MIGRATIONS.length; v++) {
          this.db.exec(MIGRATIONS[v])
          this.db.pragma(`user_version = ${v + 1}`)
        }
      })
      .immediate()
  }

  /**
   * An execution still RUNNING whose runner process is gone died with it (a crash, a kill, a power cut):
   * mark it INTERRUPTED. Runs of a process that is still alive (the app while the CLI opens the same file)
   * are left alone.
   */
  markInterrupted(): number {
    const running = this.db.prepare(`SELECT id, runner_pid FROM executions WHERE status = 'RUNNING'`).all() as Row[]
    const dead = running.filter((r) => !isProcessAlive(r.runner_pid as number | null))
    if (!dead.length) return 0
    const at = now()
    this.db.transaction(() => {
      for (const r of dead) {
        this.db
          .prepare(
            `UPDATE executions SET status = 'INTERRUPTED', completed_at = ?, error = 'Stepwise stopped while this run was in progress.' WHERE id = ?`
          )
          .run(at, r.id)
        this.db
          .prepare(
            `UPDATE step_runs SET status = 'INTERRUPTED', finished_at = ?, error = 'Interrupted: Stepwise stopped while this step was running.' WHERE execution_id = ? AND status = 'RUNNING'`
          )
          .run(at, r.id)
        this.db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND status = 'PENDING'`).run(r.id)
      }
    })()
    return dead.length
  }

  // ── workflows ────────────────────────────────────────────────────────────

  listWorkflows(query?: string): WorkflowSummary[] {
    const like = query?.trim() ? `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
    const rows = this.db
      .prepare(
        `SELECT w.id, w.name, w.description, w.updated_at,
           (SELECT COUNT(*) FROM steps s WHERE s.workflow_id = w.id) AS step_count,
           (SELECT e.status FROM executions e WHERE e.workflow_id = w.id ORDER BY e.started_at DESC LIMIT 1) AS last_status,
           (SELECT e.started_at FROM executions e WHERE e.workflow_id = w.id ORDER BY e.started_at DESC LIMIT 1) AS last_run_at
         FROM workflows w
         ${like ? `WHERE w.name LIKE @like ESCAPE '\\' OR w.description LIKE @like ESCAPE '\\'` : ''}
         ORDER BY w.updated_at DESC, w.name`
      )
      .all(like ? { like } : {}) as Row[]
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      description: r.description as string,
      step_count: r.step_count as number,
      updated_at: r.updated_at as string,
      last_status: (r.last_status as ExecutionStatus | null) ?? null,
      last_run_at: (r.last_run_at as string | null) ?? null
    }))
  }

  getWorkflow(id: string): Workflow {
    const w = this.db.prepare(`SELECT * FROM workflows WHERE id = ?`).get(id) as Row | undefined
    if (!w) throw new NotFoundError('workflow', id)
    const steps = (this.db.prepare(`SELECT * FROM steps WHERE workflow_id = ? ORDER BY position`).all(id) as Row[]).map((s): Step => ({
      id: s.id as string,
      order: s.position as number,
      name: s.name as string,
      step_type: s.step_type as Step['step_type'],
      code: s.code as string,
      description: s.description as string,
      input_mapping: parse(s.input_mapping, {}),
      output_mapping: parse(s.output_mapping, {}),
      timeout_seconds: (s.timeout_seconds as number | null) ?? null,
      depends_on: parse<string[] | null>(s.depends_on, null)
    }))
    return {
      id: w.id as string,
      name: w.name as string,
      description: w.description as string,
      variables: parse(w.variables, {}),
      working_directory: (w.working_directory as string | null) ?? null,
      python_path: (w.python_path as string | null) ?? null,
      steps,
      created_at: w.created_at as string,
      updated_at: w.updated_at as string
    }
  }

  hasWorkflow(id: string): boolean {
    return !!this.db.prepare(`SELECT 1 FROM workflows WHERE id = ?`).get(id)
  }

  /** Inserts or replaces a workflow with all its steps, atomically. */
  saveWorkflow(input: Omit<Workflow, 'created_at' | 'updated_at' | 'id'> & { id?: string }): Workflow {
    const id = input.id ?? randomUUID()
    const at = now()
    this.db.transaction(() => {
      const existing = this.db.prepare(`SELECT created_at FROM workflows WHERE id = ?`).get(id) as Row | undefined
      if (existing) {
        this.db
          .prepare(
            `UPDATE workflows SET name = ?, description = ?, variables = ?, working_directory = ?, python_path = ?, updated_at = ? WHERE id = ?`
          )
          .run(input.name, input.description, json(input.variables), input.working_directory, input.python_path, at, id)
        this.db.prepare(`DELETE FROM steps WHERE workflow_id = ?`).run(id)
      } else {
        this.db
          .prepare(
            `INSERT INTO workflows (id, name, description, variables, working_directory, python_path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
          )
          .run(id, input.name, input.description, json(input.variables), input.working_directory, input.python_path, at, at)
      }
      const insert = this.db.prepare(
        `INSERT INTO steps (workflow_id, id, position, name, step_type, code, description, input_mapping, output_mapping, timeout_seconds, depends_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      for (const s of input.steps) {
        insert.run(
          id,
          s.id,
          s.order,
          s.name,
          s.step_type,
          s.code,
          s.description,
          json(s.input_mapping),
          json(s.output_mapping),
          s.timeout_seconds,
          s.depends_on ? json(s.depends_on) : null
        )
      }
    })()
    return this.getWorkflow(id)
  }

  getSourceHash(id: string): string | null {
    const row = this.db.prepare(`SELECT source_hash FROM workflows WHERE id = ?`).get(id) as Row | undefined
    return (row?.source_hash as string | null | undefined) ?? null
  }

  setSourceHash(id: string, hash: string | null): void {
    this.db.prepare(`UPDATE workflows SET source_hash = ? WHERE id = ?`).run(hash, id)
  }

  renameWorkflow(id: string, name: string): Workflow {
    const r = this.db.prepare(`UPDATE workflows SET name = ?, updated_at = ? WHERE id = ?`).run(name, now(), id)
    if (!r.changes) throw new NotFoundError('workflow', id)
    return this.getWorkflow(id)
  }

  deleteWorkflow(id: string): boolean {
    return this.db.prepare(`DELETE FROM workflows WHERE id = ?`).run(id).changes > 0
  }

  // ── executions ───────────────────────────────────────────────────────────

  createExecution(input: NewExecution): string {
    const id = randomUUID()
    const at = now()
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO executions (id, workflow_id, workflow_name, status, initial_variables, variables, step_outputs, started_at, debug,
             working_directory, python_path, replay_of_execution, replay_of_step, runner_pid)
           VALUES (?, ?, ?, 'RUNNING', ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
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
      const insert = this.db.prepare(
        `INSERT INTO step_runs (execution_id, step_id, name, position, status, code) VALUES (?, ?, ?, ?, 'PENDING', ?)`
      )
      for (const s of input.steps) insert.run(id, s.id, s.name, s.order, s.code)
    })()
    return id
  }

  updateStepRun(executionId: string, stepId: string, update: StepRunUpdate): void {
    const sets: string[] = ['status = @status']
    const params: Record<string, unknown> = { execution_id: executionId, step_id: stepId, status: update.status }
    const put = (column: keyof StepRunUpdate, value: unknown): void => {
      sets.push(`${column} = @${column}`)
      params[column] = value
    }
    for (const key of [
      'exit_code',
      'started_at',
      'finished_at',
      'duration_ms',
      'logs',
      'error',
      'script_path',
      'variables_path'
    ] as const) {
      if (update[key] !== undefined) put(key, update[key])
    }
    if (update.input_variables !== undefined) put('input_variables', update.input_variables === null ? null : json(update.input_variables))
    if (update.output !== undefined) put('output', update.output === null ? null : json(update.output))
    this.db.prepare(`UPDATE step_runs SET ${sets.join(', ')} WHERE execution_id = @execution_id AND step_id = @step_id`).run(params)
  }

  /** Adds log text of a step that is still running; the full logs replace it when the step ends. */
  appendStepLogs(executionId: string, stepId: string, text: string): void {
    this.db.prepare(`UPDATE step_runs SET logs = logs || ? WHERE execution_id = ? AND step_id = ?`).run(text, executionId, stepId)
  }

  /** Records the state after a step: variables and step outputs move together with the step's result. */
  recordProgress(executionId: string, variables: Variables, stepOutputs: Record<string, JsonValue>): void {
    this.db
      .prepare(`UPDATE executions SET variables = ?, step_outputs = ? WHERE id = ?`)
      .run(json(variables), json(stepOutputs), executionId)
  }

  finishExecution(
    executionId: string,
    status: ExecutionStatus,
    state: { variables: Variables; stepOutputs: Record<string, JsonValue>; error: string | null; skipped: string[] }
  ): string {
    const at = now()
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE executions SET status = ?, completed_at = ?, variables = ?, step_outputs = ?, error = ?, runner_pid = NULL WHERE id = ?`
        )
        .run(status, at, json(state.variables), json(state.stepOutputs), state.error, executionId)
      const skip = this.db.prepare(`UPDATE step_runs SET status = 'SKIPPED' WHERE execution_id = ? AND step_id = ?`)
      for (const stepId of state.skipped) skip.run(executionId, stepId)
    })()
    return at
  }

  listExecutions(workflowId?: string, limit = 500): ExecutionSummary[] {
    const rows = this.db
      .prepare(
        `SELECT id, workflow_id, workflow_name, status, started_at, completed_at, debug, replay_of_execution, replay_of_step, error
         FROM executions ${workflowId ? 'WHERE workflow_id = @workflowId' : ''} ORDER BY started_at DESC, rowid DESC LIMIT @limit`
      )
      .all({ workflowId, limit }) as Row[]
    return rows.map(toSummary)
  }

  executionsByIdPrefix(prefix: string): { id: string; status: ExecutionStatus; debug: boolean }[] {
    const rows = this.db.prepare(`SELECT id, status, debug FROM executions WHERE substr(id, 1, ?) = ?`).all(prefix.length, prefix) as Row[]
    return rows.map((r) => ({ id: r.id as string, status: r.status as ExecutionStatus, debug: !!r.debug }))
  }

  getExecution(id: string): Execution {
    const r = this.db.prepare(`SELECT * FROM executions WHERE id = ?`).get(id) as Row | undefined
    if (!r) throw new NotFoundError('execution', id)
    const steps = (this.db.prepare(`SELECT * FROM step_runs WHERE execution_id = ? ORDER BY position`).all(id) as Row[]).map(
      (s): StepRun => ({
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
      })
    )
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

  deleteExecutions(ids: string[]): number {
    const del = this.db.prepare(`DELETE FROM executions WHERE id = ? AND status != 'RUNNING'`)
    return this.db.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0))()
  }

  /**
   * Whether the app itself recorded this path: as a file a run KEPT (a debug run's script or variables
   * file), or as the folder a past run worked in. Only kept files may be read or opened; a run folder may
   * only be shown or opened as a folder, never trusted for the files under it. A workflow's own
   * working_directory is neither: the page may set that to any text.
   */
  isRecordedPath(path: string, as: 'kept-file' | 'run-folder'): boolean {
    const sql =
      as === 'kept-file'
        ? `SELECT 1 FROM step_runs WHERE script_path = @p OR variables_path = @p LIMIT 1`
        : `SELECT 1 FROM executions WHERE working_directory = @p LIMIT 1`
    return !!this.db.prepare(sql).get({ p: path })
  }

  // ── settings ─────────────────────────────────────────────────────────────

  getSettings(): Settings {
    const rows = this.db.prepare(`SELECT key, value FROM settings`).all() as { key: string; value: string }[]
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]))
    const settings = { ...DEFAULT_SETTINGS }
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      if (key in stored) (settings as Record<string, unknown>)[key] = stored[key]
    }
    return settings
  }

  updateSettings(patch: Partial<Settings>): Settings {
    const put = this.db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) if (value !== undefined) put.run(key, json(value))
    })()
    return this.getSettings()
  }
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
    error: (r.error as string | null) ?? null
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
