// A Windows Task Scheduler task (the XML `schtasks /Create /XML` reads) that runs
// `stepwise schedule fire <id>` at the schedule's times. Calendar triggers are in the computer's local
// time; minutes that step through every hour become one daily trigger repeating every N minutes, other
// times one calendar trigger per time of day (Task Scheduler allows 48 triggers per task).
import type { Schedule } from '../schedule-store'
import { cronFields, MONTH_NAMES, WEEKDAY_NAMES, type CronFields } from './cron-fields'
import { xmlText } from './xml-text'

const MAX_TRIGGERS = 48

export function taskName(scheduleId: string): string {
  return `\\Stepwise\\${scheduleId}`
}

/** One Windows command-line argument, quoted the way CommandLineToArgvW reads it back. */
export function windowsArgument(arg: string): string {
  if (arg && !/[\s"]/.test(arg)) return arg
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`
}

function calendarSchedule(f: CronFields, cron: string): string {
  if (f.weekdays && f.days)
    throw new Error(
      `The cron "${cron}" limits both the day of month and the weekday; Task Scheduler cannot express that, run it with stepwise daemon.`
    )
  if (f.weekdays) {
    if (f.months) throw new Error(`The cron "${cron}" limits both the month and the weekday; run it with stepwise daemon.`)
    return `<ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek>${f.weekdays
      .map((d) => `<${WEEKDAY_NAMES[d]} />`)
      .join('')}</DaysOfWeek></ScheduleByWeek>`
  }
  if (f.days || f.months) {
    const days = f.days ?? Array.from({ length: 31 }, (_, i) => i + 1)
    const months = f.months ?? Array.from({ length: 12 }, (_, i) => i + 1)
    return `<ScheduleByMonth><DaysOfMonth>${days.map((d) => `<Day>${d}</Day>`).join('')}</DaysOfMonth><Months>${months
      .map((m) => `<${MONTH_NAMES[m - 1]} />`)
      .join('')}</Months></ScheduleByMonth>`
  }
  return '<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>'
}

/** Evenly stepped minutes from the first (0,15,30,45): the step, else null. */
function minuteStep(minutes: number[]): number | null {
  if (minutes.length < 2) return null
  const step = minutes[1] - minutes[0]
  const even = minutes.every((m, i) => m === minutes[0] + i * step) && 60 % step === 0 && minutes.length === 60 / step
  return even ? step : null
}

export function taskSchedulerXml(schedule: Schedule, command: string, args: string[], startDate = '2026-01-01'): string {
  const f = cronFields(schedule.cron)
  const when = calendarSchedule(f, schedule.cron)
  const pad = (n: number): string => String(n).padStart(2, '0')
  const step = minuteStep(f.minutes)
  const triggers: string[] = []
  if (step && f.hours.length === 24) {
    triggers.push(
      `<CalendarTrigger><Repetition><Interval>PT${step}M</Interval><Duration>P1D</Duration><StopAtDurationEnd>false</StopAtDurationEnd></Repetition>` +
        `<StartBoundary>${startDate}T00:${pad(f.minutes[0])}:00</StartBoundary><Enabled>true</Enabled>${when}</CalendarTrigger>`
    )
  } else {
    if (f.hours.length * f.minutes.length > MAX_TRIGGERS)
      throw new Error(
        `The cron "${schedule.cron}" runs at ${f.hours.length * f.minutes.length} times a day; Task Scheduler allows ${MAX_TRIGGERS} triggers per task. Run it with stepwise daemon.`
      )
    for (const h of f.hours)
      for (const m of f.minutes)
        triggers.push(
          `<CalendarTrigger><StartBoundary>${startDate}T${pad(h)}:${pad(m)}:00</StartBoundary><Enabled>true</Enabled>${when}</CalendarTrigger>`
        )
  }
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Author>Stepwise</Author>
    <Description>${xmlText(`Stepwise schedule ${schedule.id} (${schedule.cron}) of workflow ${schedule.workflow_id}`)}</Description>
    <URI>${xmlText(taskName(schedule.id))}</URI>
  </RegistrationInfo>
  <Triggers>
    ${triggers.join('\n    ')}
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>${schedule.overlap === 'allow' ? 'Parallel' : schedule.overlap === 'queue' ? 'Queue' : 'IgnoreNew'}</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>${schedule.catch_up === 'none' ? 'false' : 'true'}</StartWhenAvailable>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <Enabled>${schedule.enabled ? 'true' : 'false'}</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xmlText(command)}</Command>
      <Arguments>${xmlText(args.map(windowsArgument).join(' '))}</Arguments>
    </Exec>
  </Actions>
</Task>
`
}
