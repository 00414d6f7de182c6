// The contract's schedules:* and triggers:* channels, over the schedule room. Spread into the request
// handlers so the window, the test bridge and the CLI share one implementation of each rule.
// English and Korean only: the i18n build carries every language (a quarter of the CLI's bundle, parsed
// by every command).
import cronstrue from 'cronstrue'
import 'cronstrue/locales/ko'
import { explanationFields } from '../../../shared/error-messages'
import type { RequestHandlers } from '../request-handlers'
import type { Store } from '../store'
import type { ScheduleRow, TriggerRow } from '../../../shared/schedules'
import * as sched from './index'

type ScheduleChannels =
  | 'schedules:list'
  | 'schedules:preview'
  | 'schedules:add'
  | 'schedules:setEnabled'
  | 'schedules:remove'
  | 'triggers:add'
  | 'triggers:remove'

/** The cron in words: "오전 09:00, 월요일부터 금요일까지" / "At 09:00 AM, Monday through Friday". */
export function cronSentence(cron: string, language: 'en' | 'ko' = 'en'): string {
  return cronstrue.toString(cron, { locale: language, throwExceptionOnParseError: false })
}

export function createScheduleHandlers(store: Store): Pick<RequestHandlers, ScheduleChannels> {
  const names = (): Map<string, string> => new Map(store.listWorkflows().map((w) => [w.id, w.name]))
  const scheduleRow = (s: sched.Schedule, language: 'en' | 'ko', workflows: Map<string, string>): ScheduleRow => {
    const after = new Date(Math.max(Date.now(), Date.parse(s.last_fire_at)))
    return {
      id: s.id,
      workflow_id: s.workflow_id,
      workflow_name: workflows.get(s.workflow_id) ?? s.workflow_id,
      cron: s.cron,
      tz: s.tz,
      catch_up: s.catch_up,
      overlap: s.overlap,
      enabled: s.enabled,
      sentence: cronSentence(s.cron, language),
      next_run_at: s.enabled ? (sched.nextRuns(s.cron, s.tz, after, 1)[0]?.toISOString() ?? null) : null,
      last_run_at: s.last_run_at,
      last_result: s.last_result
    }
  }
  const triggerRow = (t: sched.FolderTrigger, workflows: Map<string, string>): TriggerRow => ({
    ...sched.triggerJson(t),
    workflow_name: workflows.get(t.workflow_id) ?? t.workflow_id
  })

  return {
    'schedules:list': async ({ language }) => {
      const workflows = names()
      return {
        schedules: sched.listSchedules(store.db).map((s) => scheduleRow(s, language ?? 'en', workflows)),
        triggers: sched.listTriggers(store.db).map((t) => triggerRow(t, workflows))
      }
    },
    'schedules:preview': async ({ cron, tz, language }) => {
      try {
        const zone = sched.checkTimeZone(tz || sched.localTimeZone())
        const next = sched.nextRuns(cron, zone, new Date(), 5)
        return { ok: true, sentence: cronSentence(cron, language), next_runs: next.map((d) => d.toISOString()), tz: zone }
      } catch (err) {
        return { ok: false, error: (err as Error).message, ...explanationFields(err) }
      }
    },
    'schedules:add': async ({ workflow_id, cron, tz, catch_up, overlap }) => {
      const s = sched.addSchedule(store.db, { workflowId: workflow_id, cron, tz: tz || undefined, catchUp: catch_up, overlap }, new Date())
      return scheduleRow(s, 'en', names())
    },
    'schedules:setEnabled': async ({ id, enabled }) => ({ enabled: sched.setScheduleEnabled(store.db, id, enabled, new Date()).enabled }),
    'schedules:remove': async ({ id }) => {
      sched.removeSchedule(store.db, id)
      return { removed: true }
    },
    'triggers:add': async (p) => {
      const { trigger, warning } = await sched.addTrigger(
        store.db,
        {
          workflowId: p.workflow_id,
          folder: p.folder,
          pattern: p.pattern,
          events: p.events,
          processExisting: p.process_existing,
          moveTo: p.move_to,
          poll: p.poll
        },
        new Date()
      )
      return { trigger: triggerRow(trigger, names()), warning }
    },
    'triggers:remove': async ({ id }) => {
      sched.removeTrigger(store.db, id)
      return { removed: true }
    }
  }
}
