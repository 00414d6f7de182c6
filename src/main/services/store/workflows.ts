// The workflows table and their steps.
import type Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import type { ExecutionStatus, Step, Workflow, WorkflowSummary } from '../../../shared/model'
import { NotFoundError, json, now, parse, type Row } from './connection'

type Db = Database.Database

/** env and clean_env may be left out (none, off), as by callers that predate them. */
export type WorkflowInput = Omit<Workflow, 'created_at' | 'updated_at' | 'id' | 'env' | 'clean_env'> &
  Partial<Pick<Workflow, 'env' | 'clean_env'>> & { id?: string }

export function listWorkflows(db: Db, query?: string): WorkflowSummary[] {
  const like = query?.trim() ? `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
  const rows = db
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

export function getWorkflow(db: Db, id: string): Workflow {
  const w = db.prepare(`SELECT * FROM workflows WHERE id = ?`).get(id) as Row | undefined
  if (!w) throw new NotFoundError('workflow', id)
  const steps = (db.prepare(`SELECT * FROM steps WHERE workflow_id = ? ORDER BY position`).all(id) as Row[]).map((s): Step => ({
    id: s.id as string,
    order: s.position as number,
    name: s.name as string,
    step_type: s.step_type as Step['step_type'],
    code: s.code as string,
    description: s.description as string,
    input_mapping: parse(s.input_mapping, {}),
    output_mapping: parse(s.output_mapping, {}),
    timeout_seconds: (s.timeout_seconds as number | null) ?? null,
    depends_on: parse<string[] | null>(s.depends_on, null),
    retry: parse<Step['retry']>(s.retry, null),
    continue_on_error: !!s.continue_on_error
  }))
  return {
    id: w.id as string,
    name: w.name as string,
    description: w.description as string,
    variables: parse(w.variables, {}),
    working_directory: (w.working_directory as string | null) ?? null,
    python_path: (w.python_path as string | null) ?? null,
    steps,
    on_failure: parse<string[]>(w.on_failure, []),
    env: parse(w.env, {}),
    clean_env: !!w.clean_env,
    requirements: parse<string[]>(w.requirements, []),
    created_at: w.created_at as string,
    updated_at: w.updated_at as string
  }
}

export function hasWorkflow(db: Db, id: string): boolean {
  return !!db.prepare(`SELECT 1 FROM workflows WHERE id = ?`).get(id)
}

/** Inserts or replaces a workflow with all its steps, atomically. */
export function saveWorkflow(db: Db, input: WorkflowInput): Workflow {
  const id = input.id ?? randomUUID()
  const at = now()
  db.transaction(() => {
    const existing = db.prepare(`SELECT created_at FROM workflows WHERE id = ?`).get(id) as Row | undefined
    // Named columns, one list: a field added to workflows is added here once, for insert and update alike.
    const row: Record<string, unknown> = {
      id,
      name: input.name,
      description: input.description,
      variables: json(input.variables),
      working_directory: input.working_directory,
      python_path: input.python_path,
      on_failure: json(input.on_failure),
      requirements: json(input.requirements),
      env: json(input.env ?? {}),
      clean_env: input.clean_env ? 1 : 0,
      updated_at: at
    }
    const columns = Object.keys(row)
    if (existing) {
      db.prepare(`UPDATE workflows SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(row)
      db.prepare(`DELETE FROM steps WHERE workflow_id = ?`).run(id)
    } else {
      row.created_at = at
      db.prepare(
        `INSERT INTO workflows (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
          .map((c) => `@${c}`)
          .join(', ')})`
      ).run(row)
    }
    const insert = db.prepare(
      `INSERT INTO steps (workflow_id, id, position, name, step_type, code, description, input_mapping, output_mapping, timeout_seconds, depends_on, retry, continue_on_error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
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
        s.depends_on ? json(s.depends_on) : null,
        s.retry ? json(s.retry) : null,
        s.continue_on_error ? 1 : 0
      )
    }
    // Immediate: it reads before it writes, and a deferred transaction that must upgrade its read lock while
    // another process writes fails at once with "database is locked" instead of waiting.
  }).immediate()
  return getWorkflow(db, id)
}

export function getSourceHash(db: Db, id: string): string | null {
  const row = db.prepare(`SELECT source_hash FROM workflows WHERE id = ?`).get(id) as Row | undefined
  return (row?.source_hash as string | null | undefined) ?? null
}

export function setSourceHash(db: Db, id: string, hash: string | null): void {
  db.prepare(`UPDATE workflows SET source_hash = ? WHERE id = ?`).run(hash, id)
}

export function renameWorkflow(db: Db, id: string, name: string): Workflow {
  const r = db.prepare(`UPDATE workflows SET name = ?, updated_at = ? WHERE id = ?`).run(name, now(), id)
  if (!r.changes) throw new NotFoundError('workflow', id)
  return getWorkflow(db, id)
}

export function deleteWorkflow(db: Db, id: string): boolean {
  return db.prepare(`DELETE FROM workflows WHERE id = ?`).run(id).changes > 0
}
