// Opening the SQLite file: pragmas and schema migrations by `user_version`.
// WAL journal, and every multi-row change elsewhere runs in one transaction, so that a crash leaves either
// the old or the new state.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { errorMessage, type ErrorMessage } from '../../../shared/error-messages'

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
  `ALTER TABLE workflows ADD COLUMN source_hash TEXT;`,
  // Inputs by reference: a step's inputs were every variable and every earlier output, so storing them whole
  // grew with the square of the step count. A run of this schema stores each output once (step_runs.output)
  // and, per step, where it stood: `seq` (the order the engine applied its output), `input_seq` (how many
  // outputs it saw), `variables_set` (variable → output key it wrote) and its input_mapping; its inputs and
  // the run's variables and step_outputs are rebuilt from those on read. Older runs keep their full JSON.
  // `pid`/`pid_started_at` identify a running step's process, so the next start can end it after a crash;
  // `temp_dir` is the run's own temp folder, so a crashed run's files are removed wherever its TMPDIR was;
  // `runner_started_at` tells the runner from a later process that was given its pid.
  `ALTER TABLE executions ADD COLUMN inputs_by_reference INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE executions ADD COLUMN temp_dir TEXT;
   ALTER TABLE executions ADD COLUMN runner_started_at TEXT;
   ALTER TABLE step_runs ADD COLUMN seq INTEGER;
   ALTER TABLE step_runs ADD COLUMN input_seq INTEGER;
   ALTER TABLE step_runs ADD COLUMN variables_set TEXT;
   ALTER TABLE step_runs ADD COLUMN input_mapping TEXT;
   ALTER TABLE step_runs ADD COLUMN pid INTEGER;
   ALTER TABLE step_runs ADD COLUMN pid_started_at TEXT;`,
  // History newest first over all workflows walks this index backwards and stops after the page instead of
  // sorting the whole table (163 ms at 100,000 executions); per workflow, executions_by_workflow does it.
  `CREATE INDEX executions_by_started ON executions(started_at);`,
  // Unattended runs (issue 11): schedules, folder triggers, the one-runner lease, and what started each
  // execution. Runs recorded before this were started by hand or replayed.
  `
  CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    cron TEXT NOT NULL,
    tz TEXT NOT NULL,
    catch_up TEXT NOT NULL DEFAULT 'once',
    overlap TEXT NOT NULL DEFAULT 'skip',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    last_fire_at TEXT NOT NULL,
    last_run_at TEXT,
    last_result TEXT
  );
  CREATE TABLE triggers (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    folder TEXT NOT NULL,
    pattern TEXT NOT NULL DEFAULT '*',
    events TEXT NOT NULL DEFAULT '["add"]',
    process_existing INTEGER NOT NULL DEFAULT 0,
    move_to TEXT,
    poll INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    paused_reason TEXT,
    created_at TEXT NOT NULL,
    last_run_at TEXT,
    last_result TEXT
  );
  CREATE TABLE lease (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    pid INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  ALTER TABLE executions ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual';
  ALTER TABLE executions ADD COLUMN trigger_id TEXT;
  UPDATE executions SET trigger = 'replay' WHERE replay_of_execution IS NOT NULL;
  `,
  // Run control (issue 10): retries and continue-on-error per step, on-failure steps per workflow; per run,
  // the execution whose outputs it reused (resume, run from a step); per step run, how many attempts it
  // took, the failed attempts before the last (each with its own logs), and whether it ran as a handler.
  `
  ALTER TABLE steps ADD COLUMN retry TEXT;
  ALTER TABLE steps ADD COLUMN continue_on_error INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE workflows ADD COLUMN on_failure TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE executions ADD COLUMN resumed_from TEXT;
  ALTER TABLE step_runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE step_runs ADD COLUMN reused_from TEXT;
  ALTER TABLE step_runs ADD COLUMN on_failure INTEGER NOT NULL DEFAULT 0;
  UPDATE step_runs SET attempts = 1 WHERE started_at IS NOT NULL;
  CREATE TABLE step_attempts (
    execution_id TEXT NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
    step_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    exit_code INTEGER,
    started_at TEXT,
    finished_at TEXT,
    duration_ms INTEGER,
    error TEXT,
    logs TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (execution_id, step_id, attempt)
  );
  `,
  // Packages per workflow (issue 12): pip requirement lines; the prepared environments live in files.
  `ALTER TABLE workflows ADD COLUMN requirements TEXT NOT NULL DEFAULT '[]';`,
  // Issue 12 §4: a workflow's environment variables (literals and secret names, never secret values).
  `
  ALTER TABLE workflows ADD COLUMN env TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE workflows ADD COLUMN clean_env INTEGER NOT NULL DEFAULT 0;
  `,
  // Issue 14 item 4: the files each run created or changed in its working folder, one row each, so that
  // "open this output" can check a path against them; outputs_noted 0: the run did not compare its folder.
  `
  ALTER TABLE executions ADD COLUMN outputs_noted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE executions ADD COLUMN outputs_truncated INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE execution_outputs (
    execution_id TEXT NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    modified_at TEXT NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (execution_id, path)
  );
  CREATE INDEX execution_outputs_path ON execution_outputs(path);
  `,
  // Issue 9 §4: an output over 1 MB is kept in a file beside the database (stepwise-values/<execution>/); the row
  // records which bytes of which file, and \`output\` stays NULL.
  // Initial variables kept in files (a replay of a step handed such a value): [name, reference] pairs.
  `
  ALTER TABLE step_runs ADD COLUMN output_file TEXT;
  ALTER TABLE executions ADD COLUMN initial_files TEXT;
  `
]

/** The schema this Stepwise writes: a database's user_version after it opened here. */
export const SCHEMA_VERSION = MIGRATIONS.length

export type Row = Record<string, unknown>

export const json = (v: unknown): string => JSON.stringify(v)
export const parse = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : fallback)
export const now = (): string => new Date().toISOString()

export class NotFoundError extends Error {
  readonly explanation?: ErrorMessage
  constructor(what: string, id: string) {
    super(`No ${what} with id "${id}"`)
    this.name = 'NotFoundError'
    if (what === 'workflow') this.explanation = errorMessage('workflowNotFound', { id })
    else if (what === 'execution') this.explanation = errorMessage('executionNotFound', { id })
  }
}

/** Opens (creating its folder) and migrates the database; `afterMigrate` runs before the file is handed out. */
export function openDatabase(path: string, afterMigrate: (db: Database.Database) => void): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  // First, so that opening a file another process is opening too waits instead of failing. Long: fifty CLI
  // runs started at once on one file queue for the write lock, each holding it only for a few statements.
  db.pragma('busy_timeout = 60000')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  try {
    migrate(db, path)
    afterMigrate(db)
  } catch (err) {
    // A refused file must not stay open: on Windows that would lock it against the newer Stepwise.
    db.close()
    throw err
  }
  return db
}

function migrate(db: Database.Database, path: string): void {
  // The version is read under the write lock (BEGIN IMMEDIATE): two processes opening a new file at once
  // (the app and the CLI, two CLI runs) would otherwise both see version 0 and the second would fail
  // with "table workflows already exists".
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > MIGRATIONS.length) {
      throw new Error(
        `The database ${path} was written by a newer Stepwise (schema ${version}, this one knows ${MIGRATIONS.length}). Update Stepwise to open it.`
      )
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v])
      db.pragma(`user_version = ${v + 1}`)
    }
  }).immediate()
}
