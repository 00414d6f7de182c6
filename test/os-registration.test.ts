// The OS definitions a schedule is registered with: a launchd plist that plistlib reads back, and a Task
// Scheduler task whose XML has the structure the task schema requires. The real tools run in CI on
// Windows and macOS; here the documents are checked by parsers.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Schedule } from '../src/main/services/schedule'
import {
  definition,
  launchdPlist,
  register,
  taskSchedulerXml,
  unregister,
  windowsArgument
} from '../src/main/services/schedule/os-registration'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { EXAMPLE_PATH } from './helpers/workflows'

beforeAll(ensureCliBuilt, 180_000)
afterAll(cleanupTempDirs)

function schedule(cron: string, extra: Partial<Schedule> = {}): Schedule {
  return {
    id: '0f1e2d3c-aaaa-bbbb-cccc-123456789abc',
    workflow_id: 'wf-1',
    cron,
    tz: 'UTC',
    catch_up: 'once',
    overlap: 'skip',
    enabled: true,
    created_at: '2026-01-01T00:00:00.000Z',
    last_fire_at: '2026-01-01T00:00:00.000Z',
    last_run_at: null,
    last_result: null,
    ...extra
  }
}

/** Runs a Python snippet with the document on stdin and returns what it prints as JSON. */
function python(code: string, input: string): unknown {
  const r = spawnSync(PYTHON, ['-c', code], { input, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}

const READ_PLIST = 'import plistlib, sys, json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'

// Structure the Task Scheduler schema requires: Task (version, namespace) with Actions holding an Exec with
// a Command; each trigger a StartBoundary and exactly one schedule kind; Settings and Principals well formed.
const READ_TASK = `
import sys, json, xml.etree.ElementTree as ET
ns = {'t': 'http://schemas.microsoft.com/windows/2004/02/mit/task'}
text = sys.stdin.buffer.read().decode('utf-8')
root = ET.fromstring(text.encode('utf-16'))
assert root.tag == '{%s}Task' % ns['t'], root.tag
assert root.get('version') in ('1.2', '1.3', '1.4')
allowed = {'RegistrationInfo', 'Triggers', 'Settings', 'Data', 'Principals', 'Actions'}
for child in root:
    assert child.tag.split('}')[1] in allowed, child.tag
execs = root.findall('t:Actions/t:Exec', ns)
assert len(execs) == 1 and execs[0].find('t:Command', ns).text
triggers = []
for trig in root.find('t:Triggers', ns):
    kinds = [c.tag.split('}')[1] for c in trig if c.tag.split('}')[1].startswith('ScheduleBy')]
    assert trig.tag.endswith('CalendarTrigger') and len(kinds) == 1, kinds
    rep = trig.find('t:Repetition/t:Interval', ns)
    days = [d.tag.split('}')[1] for d in trig.findall('.//t:DaysOfWeek/*', ns)]
    triggers.append({'start': trig.find('t:StartBoundary', ns).text, 'kind': kinds[0], 'interval': rep.text if rep is not None else None, 'days': days})
print(json.dumps({
  'command': execs[0].find('t:Command', ns).text,
  'arguments': execs[0].find('t:Arguments', ns).text,
  'uri': root.find('t:RegistrationInfo/t:URI', ns).text,
  'multiple': root.find('t:Settings/t:MultipleInstancesPolicy', ns).text,
  'logon': root.find('t:Principals/t:Principal/t:LogonType', ns).text,
  'triggers': triggers,
}))
`

const ARGS = ['C:\\Program Files\\Stepwise\\bin\\stepwise.js', 'schedule', 'fire', 'id-1', '--db', 'C:\\Users\\김 철수\\Stepwise\\a&b.db']

describe('launchd plist', () => {
  it('weekdays at 9:00 reads back through plistlib with one calendar interval per weekday', () => {
    const text = launchdPlist(schedule('0 9 * * 1-5'), ['/usr/local/bin/node', ...ARGS], '/Users/kim/Library/Stepwise/s.log')
    const plist = python(READ_PLIST, text) as Record<string, unknown>
    expect(plist.Label).toBe('app.stepwise.schedule.0f1e2d3c-aaaa-bbbb-cccc-123456789abc')
    expect(plist.ProgramArguments).toEqual(['/usr/local/bin/node', ...ARGS])
    expect(plist.StartCalendarInterval).toEqual([1, 2, 3, 4, 5].map((Weekday) => ({ Weekday, Hour: 9, Minute: 0 })))
    expect(plist.RunAtLoad).toBe(false)
  })

  it('every 15 minutes is four minute-only intervals; every minute one empty interval', () => {
    const every15 = python(READ_PLIST, launchdPlist(schedule('*/15 * * * *'), ['node'], '/tmp/l')) as { StartCalendarInterval: unknown }
    expect(every15.StartCalendarInterval).toEqual([0, 15, 30, 45].map((Minute) => ({ Minute })))
    const everyMinute = python(READ_PLIST, launchdPlist(schedule('* * * * *'), ['node'], '/tmp/l')) as { StartCalendarInterval: unknown }
    expect(everyMinute.StartCalendarInterval).toEqual([{}])
  })

  it('refuses what launchd cannot do: seconds', () => {
    expect(() => launchdPlist(schedule('*/2 * * * * *'), ['node'], '/tmp/l')).toThrow(/whole minutes.*stepwise daemon/)
  })
})

describe('Task Scheduler XML', () => {
  it('weekdays at 9:00 is one weekly calendar trigger Monday to Friday', () => {
    const task = python(READ_TASK, taskSchedulerXml(schedule('0 9 * * 1-5'), 'C:\\Program Files\\nodejs\\node.exe', ARGS)) as Record<
      string,
      unknown
    >
    expect(task.command).toBe('C:\\Program Files\\nodejs\\node.exe')
    expect(task.arguments).toBe(ARGS.map(windowsArgument).join(' '))
    expect(task.arguments).toContain('"C:\\Users\\김 철수\\Stepwise\\a&b.db"')
    expect(task.uri).toBe('\\Stepwise\\0f1e2d3c-aaaa-bbbb-cccc-123456789abc')
    expect(task.multiple).toBe('IgnoreNew')
    expect(task.logon).toBe('InteractiveToken')
    expect(task.triggers).toEqual([
      {
        start: '2026-01-01T09:00:00',
        kind: 'ScheduleByWeek',
        interval: null,
        days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']
      }
    ])
  })

  it('every 5 minutes is one daily trigger repeating every 5 minutes; queue overlap queues', () => {
    const task = python(READ_TASK, taskSchedulerXml(schedule('*/5 * * * *', { overlap: 'queue' }), 'node.exe', ['x'])) as {
      triggers: unknown[]
      multiple: string
    }
    expect(task.triggers).toEqual([{ start: '2026-01-01T00:00:00', kind: 'ScheduleByDay', interval: 'PT5M', days: [] }])
    expect(task.multiple).toBe('Queue')
  })

  it('refuses more than 48 times a day, and both day of month and weekday', () => {
    expect(() => taskSchedulerXml(schedule('7,37 * * * *'), 'n', [])).not.toThrow()
    expect(() => taskSchedulerXml(schedule('7,37,47 * * * *'), 'n', [])).toThrow(/runs at 72 times a day; Task Scheduler allows 48/)
    expect(() => taskSchedulerXml(schedule('0 9 1 * 1'), 'n', [])).toThrow(/both the day of month and the weekday/)
  })

  it('quotes arguments the way Windows reads them back', () => {
    expect(windowsArgument('plain')).toBe('plain')
    expect(windowsArgument('C:\\a b\\')).toBe('"C:\\a b\\\\"')
    expect(windowsArgument('say "hi"')).toBe('"say \\"hi\\""')
    expect(windowsArgument('')).toBe('""')
  })
})

describe('registration', () => {
  it('refuses a schedule in another zone than the computer (the OS runs at local time)', () => {
    const other = Intl.DateTimeFormat().resolvedOptions().timeZone === 'Asia/Seoul' ? 'Europe/Berlin' : 'Asia/Seoul'
    expect(() => definition('macos', schedule('0 9 * * *', { tz: other }), { node: 'n', script: 's', dbPath: '/d/x.db' })).toThrow(
      new RegExp(`time zone is ${other} but this computer's is`)
    )
  })

  it('stepwise schedule register --print prints a definition that calls this CLI with schedule fire', async () => {
    const dir = makeTempDir('stepwise-osreg-')
    const db = join(dir, 'stepwise.db')
    const wf = (await runCli(['import', EXAMPLE_PATH, '--db', db])).stdout.trim()
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone
    const id = (await runCli(['schedule', 'add', wf, '--cron', '30 8 * * *', '--tz', tz, '--db', db])).stdout.trim()
    const r = await runCli(['schedule', 'register', id, '--print', '--db', db])
    expect(r.code).toBe(0)
    const plist = python(READ_PLIST, r.stdout) as { ProgramArguments: string[]; StartCalendarInterval: unknown }
    expect(plist.ProgramArguments.slice(2)).toEqual(['schedule', 'fire', id, '--db', db])
    expect(plist.ProgramArguments[1]).toMatch(/stepwise\.js$/)
    expect(plist.StartCalendarInterval).toEqual([{ Hour: 8, Minute: 30 }])
    if (process.platform === 'linux') {
      const real = await runCli(['schedule', 'register', id, '--db', db])
      expect(real.code).toBe(2)
      expect(real.stderr).toMatch(/Windows \(Task Scheduler\) and macOS \(launchd\); here use stepwise daemon/)
    }
  }, 60_000)
})

// The real tools, where they exist: the CI matrix runs these on Windows and macOS (no such tool here).
describe('the OS accepts the definitions', () => {
  const local = (cron: string): Schedule => schedule(cron, { tz: Intl.DateTimeFormat().resolvedOptions().timeZone })
  const inv = (): { node: string; script: string; dbPath: string } => ({
    node: process.execPath,
    script: join(process.cwd(), 'bin', 'stepwise.js'),
    dbPath: join(makeTempDir('stepwise-osreg-'), 'stepwise.db')
  })

  it.runIf(process.platform === 'darwin')('plutil -lint passes the launchd plist', () => {
    const file = join(makeTempDir('stepwise-plist-'), 'agent.plist')
    writeFileSync(file, definition('macos', local('0 9 * * 1-5'), inv()))
    const r = spawnSync('plutil', ['-lint', file], { encoding: 'utf8' })
    expect({ code: r.status, out: r.stdout.trim() }).toEqual({ code: 0, out: `${file}: OK` })
  })

  it.runIf(process.platform === 'win32')('schtasks creates the task from the XML, lists it, and deletes it', async () => {
    const s = local('0 9 * * 1-5')
    const name = await register('windows', s, inv())
    try {
      expect(spawnSync('schtasks', ['/Query', '/TN', name]).status).toBe(0)
    } finally {
      await unregister('windows', s.id)
    }
    expect(spawnSync('schtasks', ['/Query', '/TN', name]).status).not.toBe(0)
  })
})
