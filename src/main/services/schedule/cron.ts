// Cron expressions and presets, validated and turned into run times by croner. Every function takes the
// current time as an argument, never reads the clock, so tests drive it with a fake one.
import { Cron } from 'croner'
import { errorMessage, explanationOf, type ErrorMessage } from '../../../shared/error-messages'
import { presetToCron as sharedPresetToCron, type Preset } from '../../../shared/schedules'

export type CatchUp = 'none' | 'once' | 'all'
export type Overlap = 'skip' | 'queue' | 'allow'
export const CATCH_UPS: readonly CatchUp[] = ['none', 'once', 'all']
export const OVERLAPS: readonly Overlap[] = ['skip', 'queue', 'allow']

/** A run time older than this when noticed was missed (asleep, off), not merely noticed a tick late. */
export const ON_TIME_GRACE_MS = 60_000
/** `all` never starts more catch-up runs than this after a long sleep. */
export const MAX_CATCH_UP_RUNS = 100

export class ScheduleInputError extends Error {
  constructor(
    message: string,
    /** The window's form of the refusal; the message stays English for the CLI. */
    readonly explanation?: ErrorMessage
  ) {
    super(message)
    this.name = 'ScheduleInputError'
  }
}

export type { Preset } from '../../../shared/schedules'

export function presetToCron(p: Preset): string {
  try {
    return sharedPresetToCron(p)
  } catch (err) {
    throw new ScheduleInputError((err as Error).message, explanationOf(err))
  }
}

/** The computer's own zone, the default of a new schedule. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

export function checkTimeZone(tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    throw new ScheduleInputError(
      `Unknown time zone "${tz}": use an IANA name such as Asia/Seoul, Europe/Berlin or America/New_York.`,
      errorMessage('unknownTimeZone', { tz })
    )
  }
}

/** Refuses an expression croner cannot parse, with croner's reason; 5 fields or 6 with leading seconds. */
export function checkCron(expr: string, tz: string): Cron {
  const fields = expr.trim().split(/\s+/)
  if (fields.length !== 5 && fields.length !== 6)
    throw new ScheduleInputError(
      `Invalid cron "${expr}": it has ${fields.length} field(s); use 5 (minute hour day month weekday) or 6 (with seconds first).`,
      errorMessage('cronFieldCount', { cron: expr, count: String(fields.length) })
    )
  let cron: Cron
  try {
    cron = new Cron(expr.trim(), { timezone: checkTimeZone(tz), paused: true, mode: fields.length === 6 ? '6-part' : '5-part' })
  } catch (err) {
    if (err instanceof ScheduleInputError) throw err
    // croner's reason names the field; it stays as croner wrote it under the translated sentence.
    throw new ScheduleInputError(
      `Invalid cron "${expr}": ${(err as Error).message}`,
      errorMessage('cronInvalid', { cron: expr }, (err as Error).message)
    )
  }
  if (!cron.nextRun(new Date(0)))
    throw new ScheduleInputError(`The cron "${expr}" never runs.`, errorMessage('cronNeverRuns', { cron: expr }))
  return cron
}

export function nextRuns(expr: string, tz: string, after: Date, count: number): Date[] {
  return checkCron(expr, tz).nextRuns(count, after)
}

/** Run times in (after, until], at most `limit` + 1 of them (so a caller can tell there were more). */
export function runsBetween(expr: string, tz: string, after: Date, until: Date, limit = MAX_CATCH_UP_RUNS): Date[] {
  const cron = checkCron(expr, tz)
  const out: Date[] = []
  let t: Date | null = cron.nextRun(after)
  while (t && t.getTime() <= until.getTime() && out.length <= limit) {
    out.push(t)
    t = cron.nextRun(t)
  }
  return out
}

/**
 * Which of the due run times start a run now. On-time ones (noticed within the grace) always run, as one
 * run; missed ones follow the policy: none drops them, once makes one run of them all, all runs each.
 */
export function runsToStart(due: Date[], now: Date, catchUp: CatchUp): Date[] {
  if (!due.length) return []
  const onTime = due.filter((t) => now.getTime() - t.getTime() <= ON_TIME_GRACE_MS)
  const latest = due[due.length - 1]
  if (catchUp === 'all') return due.slice(-MAX_CATCH_UP_RUNS)
  if (catchUp === 'once') return [latest]
  return onTime.length ? [onTime[onTime.length - 1]] : []
}
