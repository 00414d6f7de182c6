// The unattended runner on a real database and real Python, driven by a fake clock: schedules fire once
// per run time, overlap policies, catch-up on start, the lease, and runs recorded with their trigger.
import { afterAll, describe, expect, it } from 'vitest'
import { addSchedule, getSchedule, UnattendedRunner } from '../src/main/services/schedule'
import type { Store } from '../src/main/services/store'
import type { WorkflowRunner } from '../src/main/services/engine'
import { waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

function setup(code = py(emit('{"t": variables.get("trigger_time")}'))) {
  const services = openRealServices(makeTempDir('stepwise-sched-'))
  services.store.updateSettings({ python_path: PYTHON })
  const wf = services.store.saveWorkflow(workflow('Report', [step(1, 'Make report', code)]))
  return { ...services, wf }
}

class FakeClock {
  constructor(public t: number) {}
  now = (): number => this.t
  set(iso: string): void {
    this.t = Date.parse(iso)
  }
}

const runsOf = (store: Store) => store.listExecutions().filter((e) => e.trigger === 'schedule')

async function tickAndSettle(u: UnattendedRunner): Promise<void> {
  await u.tick()
  await u.settled()
}

describe('schedules under a fake clock', () => {
  it('fires a due schedule once per run time, recorded as trigger schedule with its id', async () => {
    const { store, runner, wf } = setup()
    const clock = new FakeClock(Date.parse('2026-01-01T08:59:30Z'))
    const s = addSchedule(store.db, { workflowId: wf.id, cron: '0 9 * * *', tz: 'UTC' }, new Date(clock.t))
    const u = new UnattendedRunner(store, runner, { now: clock.now })
    await tickAndSettle(u)
    expect(runsOf(store)).toHaveLength(0)
    clock.set('2026-01-01T09:00:02Z')
    await tickAndSettle(u)
    await tickAndSettle(u)
    const runs = runsOf(store)
    expect(runs).toHaveLength(1)
    expect(runs[0].trigger_id).toBe(s.id)
    expect(store.getExecution(runs[0].id).initial_variables.trigger_time).toBe('2026-01-01T09:00:00.000Z')
    expect(getSchedule(store.db, s.id).last_result).toBe('SUCCESS')
    await u.stop()
  })

  it('catch-up on start: once runs one of the missed times, none runs nothing, all runs each', async () => {
    for (const [policy, expected] of [
      ['none', 0],
      ['once', 1],
      ['all', 3]
    ] as const) {
      const { store, runner, wf } = setup()
      const clock = new FakeClock(Date.parse('2026-01-01T06:10:00Z'))
      addSchedule(store.db, { workflowId: wf.id, cron: '0 * * * *', tz: 'UTC', catchUp: policy, overlap: 'queue' }, new Date(clock.t))
      clock.set('2026-01-01T09:20:00Z') // the computer was off from 06:10 to 09:20
      const u = new UnattendedRunner(store, runner, { now: clock.now })
      await tickAndSettle(u)
      await tickAndSettle(u)
      expect(runsOf(store).length, policy).toBe(expected)
      await u.stop()
    }
  })

  async function overlapCase(
    overlap: 'skip' | 'queue' | 'allow'
  ): Promise<{ store: Store; runner: WorkflowRunner; scheduleId: string; log: string[] }> {
    const log: string[] = []
    const { store, runner, wf } = setup(py('time.sleep(1.5)', emit('{"t": variables.get("trigger_time")}')))
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00.500Z'))
    const s = addSchedule(store.db, { workflowId: wf.id, cron: '* * * * * *', tz: 'UTC', overlap }, new Date(clock.t))
    const u = new UnattendedRunner(store, runner, { now: clock.now, log: (l) => log.push(l) })
    clock.set('2026-01-01T00:00:01.100Z')
    await u.tick()
    // Wait until the first run is recorded as running: on a busy machine starting it can take a while.
    expect(await waitFor(() => store.listExecutions(wf.id).some((e) => e.status === 'RUNNING'), 20_000)).toBe(true)
    clock.set('2026-01-01T00:00:02.100Z')
    await u.tick()
    await u.settled()
    await u.stop()
    return { store, runner, scheduleId: s.id, log }
  }

  it('overlap skip: a run time while the previous run still runs is skipped and recorded', async () => {
    const { store, scheduleId, log } = await overlapCase('skip')
    expect(runsOf(store)).toHaveLength(1)
    expect(getSchedule(store.db, scheduleId).last_result).toBe('SUCCESS')
    expect(log.filter((l) => l.includes('run time 2026-01-01T00:00:02.000Z skipped, the previous run is still running'))).toHaveLength(1)
    expect(log.some((l) => l.includes('could not start'))).toBe(false)
  })

  it('overlap queue: the second run starts after the first ends', async () => {
    const { store } = await overlapCase('queue')
    const runs = runsOf(store).sort((a, b) => a.started_at.localeCompare(b.started_at))
    expect(runs).toHaveLength(2)
    expect(Date.parse(runs[1].started_at)).toBeGreaterThanOrEqual(Date.parse(runs[0].completed_at!))
  })

  it('overlap allow: both run side by side', async () => {
    const { store } = await overlapCase('allow')
    const runs = runsOf(store).sort((a, b) => a.started_at.localeCompare(b.started_at))
    expect(runs).toHaveLength(2)
    expect(Date.parse(runs[1].started_at)).toBeLessThan(Date.parse(runs[0].completed_at!))
    expect(runs.every((r) => r.status === 'SUCCESS')).toBe(true)
  })

  it('only the lease holder fires; a stale lease is taken over', async () => {
    const { store, runner, wf } = setup()
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00.500Z'))
    addSchedule(store.db, { workflowId: wf.id, cron: '* * * * * *', tz: 'UTC', overlap: 'allow' }, new Date(clock.t))
    const a = new UnattendedRunner(store, runner, { now: clock.now, staleMs: 5000 })
    const b = new UnattendedRunner(store, runner, { now: clock.now, staleMs: 5000 })
    await a.tick()
    clock.set('2026-01-01T00:00:01.100Z')
    await b.tick()
    await b.settled()
    expect(runsOf(store)).toHaveLength(0)
    expect(a.lease.holder()?.owner).toBe(a.lease.owner)
    clock.set('2026-01-01T00:00:07.100Z') // a has not renewed for 7 s: it is gone
    await tickAndSettle(b)
    expect(b.lease.holder()?.owner).toBe(b.lease.owner)
    expect(runsOf(store)).toHaveLength(1) // catch-up once, not 7 runs
    await a.tick()
    expect(runsOf(store)).toHaveLength(1)
    await b.stop()
    expect(b.lease.holder()).toBeNull()
  })

  it('a workflow deleted while scheduled: its schedules go with it, nothing fires', async () => {
    const { store, runner, wf } = setup()
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'))
    const s = addSchedule(store.db, { workflowId: wf.id, cron: '* * * * *', tz: 'UTC' }, new Date(clock.t))
    store.deleteWorkflow(wf.id)
    clock.set('2026-01-01T00:01:01Z')
    const u = new UnattendedRunner(store, runner, { now: clock.now })
    await tickAndSettle(u)
    expect(() => getSchedule(store.db, s.id)).toThrow(/No schedule with id/)
    expect(() => addSchedule(store.db, { workflowId: wf.id, cron: '* * * * *' }, new Date())).toThrow(/No workflow with id/)
    await u.stop()
  })
})
