// Cron schedules with a fake clock: parsing, presets, time zones, daylight-saving, catch-up policies.
import { describe, expect, it } from 'vitest'
import {
  checkCron,
  checkTimeZone,
  localTimeZone,
  nextRuns,
  presetToCron,
  runsBetween,
  runsToStart,
  ScheduleInputError
} from '../src/main/services/schedule'

const iso = (ds: Date[]): string[] => ds.map((d) => d.toISOString())
const NY = 'America/New_York'

describe('cron expressions', () => {
  it('computes 5-field runs in the given zone', () => {
    expect(iso(nextRuns('0 9 * * 1-5', 'Asia/Seoul', new Date('2026-01-02T00:30:00Z'), 3))).toEqual([
      '2026-01-05T00:00:00.000Z',
      '2026-01-06T00:00:00.000Z',
      '2026-01-07T00:00:00.000Z'
    ])
  })

  it('reads 6 fields as seconds first', () => {
    expect(iso(nextRuns('*/2 * * * * *', 'UTC', new Date('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-01T00:00:02.000Z',
      '2026-01-01T00:00:04.000Z',
      '2026-01-01T00:00:06.000Z'
    ])
  })

  it('refuses an invalid expression with the reason', () => {
    expect(() => checkCron('61 * * * *', 'UTC')).toThrow(/Invalid cron "61 \* \* \* \*".*minute/)
    expect(() => checkCron('* * *', 'UTC')).toThrow(/3 field\(s\); use 5/)
    expect(() => checkCron('0 0 31 2 *', 'UTC')).toThrow(ScheduleInputError)
  })

  it('refuses an unknown zone and defaults to the computer zone', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/)
    expect(() => checkCron('0 9 * * *', 'Mars/Olympus')).toThrow(/Unknown time zone/)
    expect(checkTimeZone(localTimeZone())).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
  })
})

describe('presets', () => {
  it('turn into cron expressions', () => {
    expect(presetToCron({ kind: 'hourly' })).toBe('0 * * * *')
    expect(presetToCron({ kind: 'daily', hour: 9, minute: 30 })).toBe('30 9 * * *')
    expect(presetToCron({ kind: 'weekdays', hour: 9, minute: 0 })).toBe('0 9 * * 1-5')
    expect(presetToCron({ kind: 'every-minutes', minutes: 15 })).toBe('*/15 * * * *')
    expect(() => presetToCron({ kind: 'every-minutes', minutes: 7 })).toThrow(/divides an hour/)
    expect(() => presetToCron({ kind: 'daily', hour: 24, minute: 0 })).toThrow(/hour must be 0 to 23/)
  })

  it('weekdays at 9 skips the weekend', () => {
    // Friday 2026-01-09 10:00 in Seoul: next are Monday and Tuesday.
    const runs = nextRuns(presetToCron({ kind: 'weekdays', hour: 9, minute: 0 }), 'Asia/Seoul', new Date('2026-01-09T01:00:00Z'), 2)
    expect(iso(runs)).toEqual(['2026-01-12T00:00:00.000Z', '2026-01-13T00:00:00.000Z'])
  })
})

describe('daylight saving in America/New_York', () => {
  it('a time that does not exist (02:30 on 8 March 2026) runs once, shortly after', () => {
    const runs = runsBetween('30 2 * * *', NY, new Date('2026-03-07T12:00:00Z'), new Date('2026-03-09T12:00:00Z'))
    // 7 March 02:30 EST was before; 8 March runs once at 03:00 EDT; 9 March at 02:30 EDT.
    expect(iso(runs)).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'])
  })

  it('a time that happens twice (01:30 on 1 November 2026) runs once', () => {
    const runs = runsBetween('30 1 * * *', NY, new Date('2026-10-31T12:00:00Z'), new Date('2026-11-02T12:00:00Z'))
    expect(iso(runs)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'])
  })

  it('every 30 minutes keeps wall-clock gaps across the fall-back hour without doubling an instant', () => {
    const runs = runsBetween('*/30 * * * *', NY, new Date('2026-11-01T04:50:00Z'), new Date('2026-11-01T07:10:00Z'))
    expect(new Set(iso(runs)).size).toBe(runs.length)
  })
})

describe('catch-up after the computer slept', () => {
  // Hourly; asleep from 06:10 to 09:20, so 07:00, 08:00, 09:00 were missed.
  const due = runsBetween('0 * * * *', 'UTC', new Date('2026-01-01T06:10:00Z'), new Date('2026-01-01T09:20:00Z'))
  const now = new Date('2026-01-01T09:20:00Z')

  it('none drops missed runs', () => {
    expect(runsToStart(due, now, 'none')).toEqual([])
  })
  it('once makes one run of them', () => {
    expect(iso(runsToStart(due, now, 'once'))).toEqual(['2026-01-01T09:00:00.000Z'])
  })
  it('all runs each missed time', () => {
    expect(iso(runsToStart(due, now, 'all'))).toEqual(['2026-01-01T07:00:00.000Z', '2026-01-01T08:00:00.000Z', '2026-01-01T09:00:00.000Z'])
  })
  it('a run noticed on time runs under every policy', () => {
    const onTime = runsBetween('0 * * * *', 'UTC', new Date('2026-01-01T08:59:00Z'), new Date('2026-01-01T09:00:01Z'))
    for (const p of ['none', 'once', 'all'] as const) expect(runsToStart(onTime, new Date('2026-01-01T09:00:01Z'), p)).toHaveLength(1)
  })
})
