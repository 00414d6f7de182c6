// What the window sees of schedules and folder triggers (the Schedules view and the schedule editor).
import { errorMessage, type ErrorMessage, type ErrorMessageCode } from './error-messages'

/** A preset that cannot be a cron, with the code the window says it with. */
const presetError = (message: string, explanation: ErrorMessage): Error => Object.assign(new Error(message), { explanation })
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
export type CronPreview =
  | { ok: true; sentence: string; next_runs: string[]; tz: string }
  | {
      ok: false
      error: string
      /** The reason as a code for the window (see IpcError). */
      key?: ErrorMessageCode
      params?: Record<string, string>
      detail?: string
    }

export type Preset =
  | { kind: 'hourly'; minute?: number }
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'weekdays'; hour: number; minute: number }
  | { kind: 'every-minutes'; minutes: number }

/** The cron a preset stands for; the editor and the services share it. Throws with the reason. */
export function presetToCron(p: Preset): string {
  const minute = (m: number): string => {
    if (!Number.isInteger(m) || m < 0 || m > 59)
      throw presetError(`The minute must be 0 to 59, got ${m}.`, errorMessage('presetMinute', { value: String(m) }))
    return String(m)
  }
  const hour = (h: number): string => {
    if (!Number.isInteger(h) || h < 0 || h > 23)
      throw presetError(`The hour must be 0 to 23, got ${h}.`, errorMessage('presetHour', { value: String(h) }))
    return String(h)
  }
  switch (p.kind) {
    case 'hourly':
      return `${minute(p.minute ?? 0)} * * * *`
    case 'daily':
      return `${minute(p.minute)} ${hour(p.hour)} * * *`
    case 'weekdays':
      return `${minute(p.minute)} ${hour(p.hour)} * * 1-5`
    case 'every-minutes':
      // */N only divides the hour evenly for divisors of 60; anything else would run at uneven gaps.
      if (!Number.isInteger(p.minutes) || p.minutes < 1 || p.minutes > 60 || 60 % p.minutes !== 0)
        throw presetError(
          `"Every N minutes" needs N that divides an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60), got ${p.minutes}.`,
          errorMessage('presetEveryMinutes', { value: String(p.minutes) })
        )
      return p.minutes === 60 ? '0 * * * *' : `*/${p.minutes} * * * *`
  }
}
