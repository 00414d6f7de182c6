// The schedule, trigger and history commands as a user types them, in a real subprocess.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { EXAMPLE_PATH } from './helpers/workflows'

beforeAll(ensureCliBuilt, 180_000)
afterAll(cleanupTempDirs)

async function setup(): Promise<{ db: string; dir: string; wf: string }> {
  const dir = makeTempDir('stepwise-schedcli-')
  const db = join(dir, 'stepwise.db')
  const r = await runCli(['import', EXAMPLE_PATH, '--db', db])
  expect(r.code).toBe(0)
  return { db, dir, wf: r.stdout.trim() }
}

describe('stepwise schedule', () => {
  it('add prints the id (or the object with --json); list, disable, enable and remove work on it', async () => {
    const { db, wf } = await setup()
    const added = await runCli(['schedule', 'add', wf, '--cron', '0 9 * * 1-5', '--tz', 'Asia/Seoul', '--db', db])
    expect(added.code).toBe(0)
    const id = added.stdout.trim()
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const json = await runCli([
      'schedule',
      'add',
      wf,
      '--cron',
      '*/15 * * * *',
      '--catch-up',
      'all',
      '--overlap',
      'queue',
      '--json',
      '--db',
      db
    ])
    const obj = JSON.parse(json.stdout)
    expect(Object.keys(obj).sort()).toEqual(['cron', 'enabled', 'id', 'last_run_at', 'next_run_at', 'tz', 'workflow_id'])
    expect(obj.tz).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)

    const list = JSON.parse((await runCli(['schedule', 'list', '--json', '--db', db])).stdout)
    expect(list.map((s: { id: string }) => s.id)).toEqual([id, obj.id])
    const first = list[0]
    expect(first).toMatchObject({ workflow_id: wf, cron: '0 9 * * 1-5', tz: 'Asia/Seoul', enabled: true, last_run_at: null })
    // 09:00 in Seoul is 00:00 UTC, on a weekday.
    expect(first.next_run_at).toMatch(/T00:00:00\.000Z$/)
    expect([1, 2, 3, 4, 5]).toContain(new Date(first.next_run_at).getUTCDay())

    expect((await runCli(['schedule', 'disable', id, '--db', db])).code).toBe(0)
    const disabled = JSON.parse((await runCli(['schedule', 'list', '--json', '--db', db])).stdout)[0]
    expect(disabled).toMatchObject({ enabled: false, next_run_at: null })
    expect((await runCli(['schedule', 'enable', id, '--db', db])).code).toBe(0)
    expect((await runCli(['schedule', 'remove', id, '--db', db])).code).toBe(0)
    expect(JSON.parse((await runCli(['schedule', 'list', '--json', '--db', db])).stdout)).toHaveLength(1)
  }, 60_000)

  it('refuses bad input with exit 2 and a message naming what is wrong', async () => {
    const { db, wf } = await setup()
    const cases: [string[], RegExp][] = [
      [['schedule', 'add', wf, '--cron', '61 * * * *'], /Invalid cron "61 \* \* \* \*".*minute/],
      [['schedule', 'add', wf, '--cron', '0 9 * *'], /4 field\(s\); use 5/],
      [['schedule', 'add', wf, '--cron', '0 9 * * *', '--tz', 'Asia/Nowhere'], /Unknown time zone "Asia\/Nowhere"/],
      [['schedule', 'add', wf, '--cron', '0 9 * * *', '--catch-up', 'twice'], /--catch-up must be none, once or all/],
      [['schedule', 'add', 'no-such-workflow', '--cron', '0 9 * * *'], /No workflow with id "no-such-workflow"/],
      [['schedule', 'remove', 'nope'], /No schedule with id "nope"/],
      [['trigger', 'add', wf, '--folder', '/no/such/folder'], /The folder "\/no\/such\/folder" does not exist/],
      [['trigger', 'add', wf, '--folder', EXAMPLE_PATH], /is a file, not a folder/],
      [['trigger', 'add', wf, '--folder', '/tmp', '--pattern', 'a/*.csv'], /contains a folder separator/]
    ]
    for (const [args, message] of cases) {
      const r = await runCli([...args, '--db', db])
      expect({ args, code: r.code }).toEqual({ args, code: 2 })
      expect(r.stderr).toMatch(message)
    }
    expect(JSON.parse((await runCli(['schedule', 'list', '--json', '--db', db])).stdout)).toEqual([])
  }, 60_000)
})

describe('stepwise trigger', () => {
  it('add warns when the pattern matches nothing yet; list --json and remove', async () => {
    const { db, dir, wf } = await setup()
    const inbox = join(dir, 'inbox')
    mkdirSync(inbox)
    writeFileSync(join(inbox, 'notes.txt'), 'x')
    const r = await runCli(['trigger', 'add', wf, '--folder', inbox, '--pattern', '*.csv', '--poll', '--json', '--db', db])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/No file in ".*inbox" matches "\*\.csv" yet/)
    const t = JSON.parse(r.stdout)
    expect(t).toMatchObject({ workflow_id: wf, folder: inbox, pattern: '*.csv', poll: true, events: ['add'], paused_reason: null })
    const list = JSON.parse((await runCli(['trigger', 'list', '--json', '--db', db])).stdout)
    expect(list).toEqual([t])
    expect((await runCli(['trigger', 'remove', t.id, '--db', db])).code).toBe(0)
    expect(JSON.parse((await runCli(['trigger', 'list', '--json', '--db', db])).stdout)).toEqual([])
  }, 60_000)
})

describe('trigger on executions', () => {
  it('run, show and history --json say the run came from the command line', async () => {
    const { db, dir, wf } = await setup()
    const run = await runCli(['run', wf, '--json', '--workdir', dir, '--db', db], { timeoutMs: 60_000 })
    const e = JSON.parse(run.stdout)
    expect(e.trigger).toBe('cli')
    expect(JSON.parse((await runCli(['show', e.execution_id, '--json', '--db', db])).stdout).trigger).toBe('cli')
    const history = JSON.parse((await runCli(['history', '--json', '--db', db])).stdout)
    expect(history[0]).toMatchObject({ execution_id: e.execution_id, trigger: 'cli', trigger_id: null })
    expect(JSON.parse((await runCli(['history', '--trigger', 'cli', '--json', '--db', db])).stdout)).toHaveLength(1)
    expect(JSON.parse((await runCli(['history', '--trigger', 'schedule', '--json', '--db', db])).stdout)).toEqual([])
    const bad = await runCli(['history', '--trigger', 'cron', '--db', db])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--trigger must be one of manual, cli, replay, resume, schedule, folder, got "cron"/)
  }, 90_000)
})
