// What the window sees of schedules and folder triggers (the Schedules view and the schedule editor).
export type CatchUpPolicy = 'none' | 'once' | 'all'
export type OverlapPolicy = 'skip' | 'queue' | 'allow'

export interface ScheduleRow {
  id: string
  workflow_id: string
  workflow_name: string
  cron: string
  tz: string
  catch_up: CatchUpPolicy
  overlap: OverlapPolicy
  enabled: boolean
  /** The cron in words, in the window's language. */
  sentence: string
  next_run_at: string | null
  last_run_at: string | null
  last_result: string | null
}

export interface TriggerRow {
  id: string
  workflow_id: string
  workflow_name: string
  folder: string
  pattern: string
  events: ('add' | 'change')[]
  process_existing: boolean
  move_to: string | null
  poll: boolean
  enabled: boolean
  paused_reason: string | null
  last_run_at: string | null
  last_result: string | null
}

/** The editor's live check of an expression: its sentence and next 5 runs, or why it is refused. */
export type CronPreview = { ok: true; sentence: string; next_runs: string[]; tz: string } | { ok: false; error: string }
