// The schedules:* and triggers:* channels through dispatchRequest, as the window and the bridge call them.
import { afterAll, describe, expect, it } from 'vitest'
import { createRequestHandlers, dispatchRequest, type DesktopPlatform } from '../src/main/services/request-handlers'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

function handlers() {
  const dir = makeTempDir('stepwise-schedipc-')
  const { store, runner } = openRealServices(dir)
  store.updateSettings({ python_path: PYTHON })
  const wf = store.saveWorkflow(workflow('Morning report', [step(1, 'A', py('print("{}")'))]))
  const h = createRequestHandlers({ store, runner, platform: {} as DesktopPlatform })
  return { h, wf, dir, runner, call: (channel: string, params: unknown) => dispatchRequest(h, channel, params) }
}

describe('schedule channels', () => {
  it('preview gives the sentence in English and Korean and the next 5 runs, or the reason it is refused', async () => {
    const { call } = handlers()
    const en = await call('schedules:preview', { cron: '0 9 * * 1-5', tz: 'Asia/Seoul', language: 'en' })
    expect(en).toMatchObject({ ok: true, value: { ok: true, sentence: 'At 09:00 AM, Monday through Friday', tz: 'Asia/Seoul' } })
    const ko = await call('schedules:preview', { cron: '0 9 * * 1-5', tz: 'Asia/Seoul', language: 'ko' })
    expect(ko).toMatchObject({ ok: true, value: { ok: true, sentence: '오전 09:00, 월요일부터 금요일까지' } })
    const runs = (en as { value: { next_runs: string[] } }).value.next_runs
    expect(runs).toHaveLength(5)
    expect(runs.every((r) => r.endsWith('T00:00:00.000Z'))).toBe(true)
    expect(await call('schedules:preview', { cron: '0 25 * * *' })).toMatchObject({ ok: true, value: { ok: false, error: /hour/ } })
    expect(await call('schedules:preview', { cron: '0 9 * * *', tz: 'Nowhere/City' })).toMatchObject({
      value: { ok: false, error: /Unknown time zone "Nowhere\/City"/ }
    })
  })

  it('add, list with names and next run, disable, remove; bad input is INVALID_INPUT with the reason', async () => {
    const { call, wf, dir } = handlers()
    const added = await call('schedules:add', { workflow_id: wf.id, cron: '*/10 * * * *', tz: 'UTC', overlap: 'queue' })
    expect(added).toMatchObject({ ok: true, value: { workflow_name: 'Morning report', overlap: 'queue', enabled: true } })
    const id = (added as { value: { id: string } }).value.id
    expect(await call('triggers:add', { workflow_id: wf.id, folder: dir, pattern: '*.csv' })).toMatchObject({
      ok: true,
      value: { trigger: { folder: dir, pattern: '*.csv' }, warning: expect.stringMatching(/No file .* matches "\*\.csv" yet/) }
    })
    const list = (await call('schedules:list', { language: 'ko' })) as {
      value: { schedules: { sentence: string; next_run_at: string }[]; triggers: unknown[] }
    }
    expect(list.value.schedules[0].sentence).toBe('10분마다')
    expect(new Date(list.value.schedules[0].next_run_at).getUTCMinutes() % 10).toBe(0)
    expect(list.value.triggers).toHaveLength(1)
    expect(await call('schedules:setEnabled', { id, enabled: false })).toEqual({ ok: true, value: { enabled: false } })
    expect(await call('schedules:remove', { id })).toEqual({ ok: true, value: { removed: true } })
    expect(await call('schedules:add', { workflow_id: wf.id, cron: 'every day' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /Invalid cron "every day"/ }
    })
    expect(await call('triggers:add', { workflow_id: wf.id, folder: '/no/such/dir' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /does not exist/ }
    })
    expect(await call('schedules:add', { workflow_id: wf.id, cron: '* * * * *', catch_up: 'sometimes' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
  })

  it("history filters by what started a run: the window's list asks for one trigger and gets only those", async () => {
    const { call, wf, runner } = handlers()
    const started: Record<string, string[]> = {}
    for (const [trigger, count] of [
      ['manual', 2],
      ['schedule', 2],
      ['folder', 1]
    ] as const) {
      for (let i = 0; i < count; i++) {
        const run = await runner.start(wf.id, { python: PYTHON, trigger, triggerId: trigger === 'manual' ? null : `${trigger}-1` })
        await run.done
        ;(started[trigger] ??= []).unshift(run.executionId)
      }
    }
    const list = async (params: object) =>
      ((await call('executions:list', { workflow_id: wf.id, ...params })) as { value: { id: string; trigger: string }[] }).value
    expect((await list({})).length).toBe(5)
    expect((await list({ trigger: 'schedule' })).map((e) => e.id)).toEqual(started.schedule)
    expect((await list({ trigger: 'folder' })).map((e) => e.trigger)).toEqual(['folder'])
    expect(await list({ trigger: 'cli' })).toEqual([])
    // The newest run is a folder run: the limit counts only the runs the filter keeps.
    expect((await list({ trigger: 'schedule', limit: 1 })).map((e) => e.id)).toEqual([started.schedule[0]])
    expect(await call('executions:list', { workflow_id: wf.id, trigger: 'timer' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /trigger/ }
    })
  })
})
