// A macOS launchd agent that runs `stepwise schedule fire <id>` at the schedule's times, loaded with
// `launchctl bootstrap gui/<uid>`. launchd reads StartCalendarInterval in the computer's local time.
import type { Schedule } from '../schedule-store'
import { cronFields } from './cron-fields'
import { xmlText } from './xml-text'

/** launchd loads one dict per run pattern; past this many the schedule belongs to stepwise daemon. */
const MAX_INTERVALS = 1000

export function launchdLabel(scheduleId: string): string {
  return `app.stepwise.schedule.${scheduleId}`
}

export function launchdPlist(schedule: Schedule, programArguments: string[], logPath: string): string {
  const f = cronFields(schedule.cron)
  const every = (values: number[] | null): (number | null)[] => values ?? [null]
  const intervals: string[] = []
  const allMinutes = f.minutes.length === 60
  const allHours = f.hours.length === 24
  for (const month of every(f.months))
    for (const day of every(f.days))
      for (const weekday of every(f.weekdays))
        for (const hour of allHours ? [null] : f.hours)
          for (const minute of allMinutes ? [null] : f.minutes) {
            const keys: [string, number | null][] = [
              ['Month', month],
              ['Day', day],
              ['Weekday', weekday],
              ['Hour', hour],
              ['Minute', minute]
            ]
            intervals.push(
              `      <dict>\n${keys
                .filter(([, v]) => v !== null)
                .map(([k, v]) => `        <key>${k}</key>\n        <integer>${v}</integer>\n`)
                .join('')}      </dict>\n`
            )
            if (intervals.length > MAX_INTERVALS)
              throw new Error(`The cron "${schedule.cron}" needs more than ${MAX_INTERVALS} launchd entries; run it with stepwise daemon.`)
          }
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
  <dict>
    <key>Label</key>
    <string>${xmlText(launchdLabel(schedule.id))}</string>
    <key>ProgramArguments</key>
    <array>
${programArguments.map((a) => `      <string>${xmlText(a)}</string>\n`).join('')}    </array>
    <key>StartCalendarInterval</key>
    <array>
${intervals.join('')}    </array>
    <key>RunAtLoad</key>
    <false/>
    <key>ProcessType</key>
    <string>Background</string>
    <key>StandardOutPath</key>
    <string>${xmlText(logPath)}</string>
    <key>StandardErrorPath</key>
    <string>${xmlText(logPath)}</string>
  </dict>
</plist>
`
}
