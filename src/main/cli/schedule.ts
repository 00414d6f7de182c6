// `stepwise schedule add|list|remove|enable|disable|register|unregister|fire`.
import type { Services } from '../services/services'
import * as sched from '../services/schedule'
import { definition, osKind, register, unregister } from '../services/schedule/os-registration'
import { say } from './terminal-text'

export const SCHEDULE_OPTIONS = {
  cron: { type: 'string' },
  tz: { type: 'string' },
  'catch-up': { type: 'string' },
  overlap: { type: 'string' },
  print: { type: 'boolean' }
} as const

export interface ScheduleValues {
  cron?: string
  tz?: string
  'catch-up'?: string
  overlap?: string
  print?: boolean
  json?: boolean
}

/** The shape `schedule list --json` and `schedule add --json` print. */
export function scheduleJson(s: sched.Schedule, now: Date) {
  const after = new Date(Math.max(now.getTime(), Date.parse(s.last_fire_at)))
  return {
    id: s.id,
    workflow_id: s.workflow_id,
    cron: s.cron,
    tz: s.tz,
    enabled: s.enabled,
    next_run_at: s.enabled ? (sched.nextRuns(s.cron, s.tz, after, 1)[0]?.toISOString() ?? null) : null,
    last_run_at: s.last_run_at
  }
}

function one(args: string[], what: string): string {
  if (args.length !== 1) throw new sched.ScheduleInputError(args.length ? `Too many arguments: ${args.join(' ')}` : `Missing ${what}.`)
  return args[0]
}

export async function scheduleCommand(
  services: Services,
  args: string[],
  values: ScheduleValues,
  invocation: { node: string; script: string; dbPath: string }
): Promise<number> {
  const [sub, ...rest] = args
  const db = services.store.db
  const now = new Date()
  const out = process.stdout
  switch (sub) {
    case 'add': {
      const workflowId = one(rest, 'a workflow id')
      if (!values.cron) throw new sched.ScheduleInputError('schedule add needs --cron "<expr>", e.g. --cron "0 9 * * 1-5".')
      const s = sched.addSchedule(
        db,
        { workflowId, cron: values.cron, tz: values.tz, catchUp: values['catch-up'], overlap: values.overlap },
        now
      )
      if (values.json) out.write(`${JSON.stringify(scheduleJson(s, now), null, 2)}\n`)
      else say(out, `${s.id}\n`)
      return 0
    }
    case 'list': {
      if (rest.length) throw new sched.ScheduleInputError(`Unexpected arguments: ${rest.join(' ')}`)
      const rows = sched.listSchedules(db).map((s) => scheduleJson(s, now))
      if (values.json) {
        out.write(`${JSON.stringify(rows, null, 2)}\n`)
        return 0
      }
      if (!rows.length) say(out, 'No schedules yet. Add one with: stepwise schedule add <workflow-id> --cron "0 9 * * 1-5"\n')
      for (const r of rows)
        say(out, `${r.id}  ${r.workflow_id}  "${r.cron}" ${r.tz}  ${r.enabled ? `next ${r.next_run_at}` : 'disabled'}\n`)
      return 0
    }
    case 'remove':
      sched.removeSchedule(db, one(rest, 'a schedule id'))
      return 0
    case 'enable':
    case 'disable':
      sched.setScheduleEnabled(db, one(rest, 'a schedule id'), sub === 'enable', now)
      return 0
    case 'register':
    case 'unregister': {
      const s = sched.getSchedule(db, one(rest, 'a schedule id'))
      const kind = osKind() ?? (values.print ? 'macos' : null)
      if (values.print) {
        // --print on any system; Linux prints the launchd form, since it has neither scheduler.
        out.write(sub === 'register' ? definition(osKind() ?? 'macos', s, invocation) : `${s.id}\n`)
        return 0
      }
      if (!kind)
        throw new sched.ScheduleInputError(
          'OS registration exists on Windows (Task Scheduler) and macOS (launchd); here use stepwise daemon.'
        )
      if (sub === 'register') say(out, `${await register(kind, s, invocation)}\n`)
      else await unregister(kind, s.id)
      return 0
    }
    case 'fire': {
      // What an OS-registered task runs: this schedule's workflow once, now, recorded as that schedule's run.
      const s = sched.getSchedule(db, one(rest, 'a schedule id'))
      if (!s.enabled) {
        say(process.stderr, `stepwise: schedule ${s.id} is disabled; nothing to run.\n`)
        return 0
      }
      const run = await services.runner.start(s.workflow_id, {
        trigger: 'schedule',
        triggerId: s.id,
        variables: { trigger_time: now.toISOString() }
      })
      const e = await run.done
      sched.recordScheduleResult(db, s.id, new Date().toISOString(), e.status)
      return e.status === 'SUCCESS' ? 0 : 1
    }
    default:
      throw new sched.ScheduleInputError(
        sub
          ? `Unknown schedule command "${sub}": use add, list, remove, enable, disable, register or unregister.`
          : 'schedule needs a command: add, list, remove, enable, disable, register or unregister.'
      )
  }
}
