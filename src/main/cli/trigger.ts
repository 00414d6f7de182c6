// `stepwise trigger add|list|remove`: folder triggers.
import type { Services } from '../services/services'
import * as sched from '../services/schedule'
import { say } from './terminal-text'

export const TRIGGER_OPTIONS = {
  folder: { type: 'string' },
  pattern: { type: 'string' },
  poll: { type: 'boolean' },
  events: { type: 'string' },
  'process-existing': { type: 'boolean' },
  'move-to': { type: 'string' }
} as const

export interface TriggerValues {
  folder?: string
  pattern?: string
  poll?: boolean
  events?: string
  'process-existing'?: boolean
  'move-to'?: string
  json?: boolean
}

export async function triggerCommand(services: Services, args: string[], values: TriggerValues): Promise<number> {
  const [sub, ...rest] = args
  const db = services.store.db
  const out = process.stdout
  switch (sub) {
    case 'add': {
      if (rest.length !== 1)
        throw new sched.ScheduleInputError(rest.length ? `Too many arguments: ${rest.join(' ')}` : 'Missing a workflow id.')
      if (!values.folder) throw new sched.ScheduleInputError('trigger add needs --folder DIR.')
      const events = values.events?.split(',').map((e) => e.trim()) as sched.TriggerEvent[] | undefined
      const { trigger, warning } = await sched.addTrigger(
        db,
        {
          workflowId: rest[0],
          folder: values.folder,
          pattern: values.pattern,
          poll: values.poll,
          events,
          processExisting: values['process-existing'],
          moveTo: values['move-to']
        },
        new Date()
      )
      if (warning) say(process.stderr, `stepwise: note: ${warning}\n`)
      if (values.json) out.write(`${JSON.stringify(sched.triggerJson(trigger), null, 2)}\n`)
      else say(out, `${trigger.id}\n`)
      return 0
    }
    case 'list': {
      if (rest.length) throw new sched.ScheduleInputError(`Unexpected arguments: ${rest.join(' ')}`)
      const rows = sched.listTriggers(db).map(sched.triggerJson)
      if (values.json) {
        out.write(`${JSON.stringify(rows, null, 2)}\n`)
        return 0
      }
      if (!rows.length)
        say(out, 'No folder triggers yet. Add one with: stepwise trigger add <workflow-id> --folder DIR --pattern "*.csv"\n')
      for (const t of rows)
        say(
          out,
          `${t.id}  ${t.workflow_id}  ${t.folder} ${t.pattern}${t.poll ? ' (polling)' : ''}${t.paused_reason ? `  PAUSED: ${t.paused_reason}` : ''}\n`
        )
      return 0
    }
    case 'remove':
      if (rest.length !== 1) throw new sched.ScheduleInputError('trigger remove needs one trigger id.')
      sched.removeTrigger(db, rest[0])
      return 0
    default:
      throw new sched.ScheduleInputError(
        sub ? `Unknown trigger command "${sub}": use add, list or remove.` : 'trigger needs a command: add, list or remove.'
      )
  }
}
