// The schedules and triggers tables. Kept beside the schedule room rather than in the Store class: only
// the unattended runner, the CLI and the request handlers read them, always through this file.
import { errorMessage } from '../../../shared/error-messages'
import type Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { checkCron, checkTimeZone, localTimeZone, ScheduleInputError, type CatchUp, type Overlap, CATCH_UPS, OVERLAPS } from './cron'

type Db = Database.Database
type Row = Record<string, unknown>

export interface Schedule {
  id: string
  workflow_id: string
  cron: string
  tz: string
  catch_up: CatchUp
  overlap: Overlap
  enabled: boolean
  created_at: string
  /** The last run time handled (started, skipped or dropped): nothing at or before it fires again. */
  last_fire_at: string
  last_run_at: string | null
  last_result: string | null
}

export type TriggerEvent = 'add' | 'change'

export interface FolderTrigger {
  id: string
  workflow_id: string
  folder: string
  pattern: string
  events: TriggerEvent[]
  process_existing: boolean
  move_to: string | null
  poll: boolean
  enabled: boolean
  /** Set while the folder is missing or unreadable: why the trigger waits. */
  paused_reason: string | null
  created_at: string
  last_run_at: string | null
  last_result: string | null
}

export interface NewSchedule {
  workflowId: string
  cron: string
  tz?: string
  catchUp?: string
  overlap?: string
}

function assertWorkflow(db: Db, id: string): void {
  if (!db.prepare(`SELECT 1 FROM workflows WHERE id = ?`).get(id))
    throw new ScheduleInputError(`No workflow with id "${id}" (see: stepwise list).`, errorMessage('workflowNotFound', { id }))
}

export function addSchedule(db: Db, input: NewSchedule, now: Date): Schedule {
  assertWorkflow(db, input.workflowId)
  const tz = checkTimeZone(input.tz ?? localTimeZone())
  checkCron(input.cron, tz)
  const catchUp = (input.catchUp ?? 'once') as CatchUp
  if (!CATCH_UPS.includes(catchUp))
    throw new ScheduleInputError(
      `--catch-up must be none, once or all, got "${input.catchUp}".`,
      errorMessage('scheduleOptionInvalid', { option: 'catch-up', value: String(input.catchUp), allowed: CATCH_UPS.join(', ') })
    )
  const overlap = (input.overlap ?? 'skip') as Overlap
  if (!OVERLAPS.includes(overlap))
    throw new ScheduleInputError(
      `--overlap must be skip, queue or allow, got "${input.overlap}".`,
      errorMessage('scheduleOptionInvalid', { option: 'overlap', value: String(input.overlap), allowed: OVERLAPS.join(', ') })
    )
  const id = randomUUID()
  const at = now.toISOString()
  db.prepare(
    `INSERT INTO schedules (id, workflow_id, cron, tz, catch_up, overlap, enabled, created_at, last_fire_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`
  ).run(id, input.workflowId, input.cron.trim(), tz, catchUp, overlap, at, at)
  return getSchedule(db, id)
}

function toSchedule(r: Row): Schedule {
  return {
    id: r.id as string,
    workflow_id: r.workflow_id as string,
    cron: r.cron as string,
    tz: r.tz as string,
    catch_up: r.catch_up as CatchUp,
    overlap: r.overlap as Overlap,
    enabled: !!r.enabled,
    created_at: r.created_at as string,
    last_fire_at: r.last_fire_at as string,
    last_run_at: (r.last_run_at as string | null) ?? null,
    last_result: (r.last_result as string | null) ?? null
  }
}

export function getSchedule(db: Db, id: string): Schedule {
  const r = db.prepare(`SELECT * FROM schedules WHERE id = ?`).get(id) as Row | undefined
  if (!r)
    throw new ScheduleInputError(`No schedule with id "${id}" (see: stepwise schedule list).`, errorMessage('scheduleNotFound', { id }))
  return toSchedule(r)
}

export function listSchedules(db: Db): Schedule[] {
  return (db.prepare(`SELECT * FROM schedules ORDER BY created_at, rowid`).all() as Row[]).map(toSchedule)
}

export function removeSchedule(db: Db, id: string): void {
  if (!db.prepare(`DELETE FROM schedules WHERE id = ?`).run(id).changes)
    throw new ScheduleInputError(`No schedule with id "${id}" (see: stepwise schedule list).`, errorMessage('scheduleNotFound', { id }))
}

/** Enabling again starts from now: the runs that fell in the disabled time are not caught up. */
export function setScheduleEnabled(db: Db, id: string, enabled: boolean, now: Date): Schedule {
  const s = getSchedule(db, id)
  if (s.enabled !== enabled)
    db.prepare(`UPDATE schedules SET enabled = ?, last_fire_at = ? WHERE id = ?`).run(enabled ? 1 : 0, now.toISOString(), id)
  return getSchedule(db, id)
}

/**
 * Moves a schedule past a run time, only if nobody did it first: two schedulers that both believed they
 * held the lease for a moment still start that run once.
 */
export function claimFire(db: Db, id: string, from: string, to: string): boolean {
  return db.prepare(`UPDATE schedules SET last_fire_at = ? WHERE id = ? AND last_fire_at = ?`).run(to, id, from).changes === 1
}

export function recordScheduleResult(db: Db, id: string, at: string, result: string): void {
  db.prepare(`UPDATE schedules SET last_run_at = ?, last_result = ? WHERE id = ?`).run(at, result, id)
}

export function isWorkflowRunning(db: Db, workflowId: string): boolean {
  return !!db.prepare(`SELECT 1 FROM executions WHERE workflow_id = ? AND status = 'RUNNING' LIMIT 1`).get(workflowId)
}

export interface NewTrigger {
  workflowId: string
  folder: string
  pattern?: string
  events?: TriggerEvent[]
  processExisting?: boolean
  moveTo?: string | null
  poll?: boolean
}

export function insertTrigger(db: Db, input: Required<NewTrigger>, now: Date): FolderTrigger {
  assertWorkflow(db, input.workflowId)
  const id = randomUUID()
  db.prepare(
    `INSERT INTO triggers (id, workflow_id, folder, pattern, events, process_existing, move_to, poll, enabled, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`
  ).run(
    id,
    input.workflowId,
    input.folder,
    input.pattern,
    JSON.stringify(input.events),
    input.processExisting ? 1 : 0,
    input.moveTo,
    input.poll ? 1 : 0,
    now.toISOString()
  )
  return getTrigger(db, id)
}

function toTrigger(r: Row): FolderTrigger {
  return {
    id: r.id as string,
    workflow_id: r.workflow_id as string,
    folder: r.folder as string,
    pattern: r.pattern as string,
    events: JSON.parse(r.events as string) as TriggerEvent[],
    process_existing: !!r.process_existing,
    move_to: (r.move_to as string | null) ?? null,
    poll: !!r.poll,
    enabled: !!r.enabled,
    paused_reason: (r.paused_reason as string | null) ?? null,
    created_at: r.created_at as string,
    last_run_at: (r.last_run_at as string | null) ?? null,
    last_result: (r.last_result as string | null) ?? null
  }
}

export function getTrigger(db: Db, id: string): FolderTrigger {
  const r = db.prepare(`SELECT * FROM triggers WHERE id = ?`).get(id) as Row | undefined
  if (!r) throw new ScheduleInputError(`No trigger with id "${id}" (see: stepwise trigger list).`, errorMessage('triggerNotFound', { id }))
  return toTrigger(r)
}

export function listTriggers(db: Db): FolderTrigger[] {
  return (db.prepare(`SELECT * FROM triggers ORDER BY created_at, rowid`).all() as Row[]).map(toTrigger)
}

export function removeTrigger(db: Db, id: string): void {
  if (!db.prepare(`DELETE FROM triggers WHERE id = ?`).run(id).changes)
    throw new ScheduleInputError(`No trigger with id "${id}" (see: stepwise trigger list).`, errorMessage('triggerNotFound', { id }))
}

export function setTriggerPaused(db: Db, id: string, reason: string | null): void {
  db.prepare(`UPDATE triggers SET paused_reason = ? WHERE id = ?`).run(reason, id)
}

export function recordTriggerResult(db: Db, id: string, at: string, result: string): void {
  db.prepare(`UPDATE triggers SET last_run_at = ?, last_result = ? WHERE id = ?`).run(at, result, id)
}
