// Turns a cron expression into the plain lists of minutes, hours, days, months and weekdays that the OS
// schedulers take (launchd calendar intervals, Task Scheduler calendar triggers). croner has already
// validated it; here only the subset both OS schedulers can express is accepted.
import { ScheduleInputError } from '../cron'

export interface CronFields {
  minutes: number[]
  hours: number[]
  /** null: any (the field was `*`). */
  days: number[] | null
  months: number[] | null
  /** 0 = Sunday. */
  weekdays: number[] | null
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

function expand(field: string, min: number, max: number, what: string, names: string[] = [], nameBase = 0): number[] | null {
  if (field === '*' || field === '?') return null
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase())
    const n = i >= 0 ? i + nameBase : Number(s)
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ScheduleInputError(
        `The ${what} "${field}" cannot be given to the OS scheduler; run this schedule with stepwise daemon instead.`
      )
    return n
  }
  const out = new Set<number>()
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/')
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!Number.isInteger(step) || step < 1) throw new ScheduleInputError(`The ${what} "${field}" has a bad step "/${stepText}".`)
    let lo: number
    let hi: number
    if (range === '*') [lo, hi] = [min, max]
    else if (range.includes('-')) [lo, hi] = range.split('-').map(value) as [number, number]
    else [lo, hi] = [value(range), stepText === undefined ? value(range) : max]
    for (let v = lo; v <= hi; v += step) out.add(v)
  }
  return [...out].sort((a, b) => a - b)
}

export function cronFields(expr: string): CronFields {
  let parts = expr.trim().split(/\s+/)
  if (parts.length === 6) {
    if (parts[0] !== '0')
      throw new ScheduleInputError(
        `The OS schedulers start tasks on whole minutes; the seconds field "${parts[0]}" needs stepwise daemon (or use 0).`
      )
    parts = parts.slice(1)
  }
  const [mi, h, d, mo, wd] = parts
  const weekdays = expand(wd, 0, 7, 'weekday', DAYS)
  return {
    minutes: expand(mi, 0, 59, 'minute') ?? range(0, 59),
    hours: expand(h, 0, 23, 'hour') ?? range(0, 23),
    days: expand(d, 1, 31, 'day of month'),
    months: expand(mo, 1, 12, 'month', MONTHS, 1),
    weekdays: weekdays ? [...new Set(weekdays.map((x) => x % 7))].sort((a, b) => a - b) : null
  }
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
}

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
]
