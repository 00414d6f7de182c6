// Folder triggers on real folders, real chokidar watches and real Python runs.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { addTrigger, getTrigger, UnattendedRunner } from '../src/main/services/schedule'
import type { Store } from '../src/main/services/store'
import { PYTHON } from './helpers/python'
import { waitFor } from './helpers/processes'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

const SEES_FILE = py('p = variables["trigger_file"]', emit('{"file": p, "event": variables["trigger_event"], "size": os.path.getsize(p)}'))

function setup(code = SEES_FILE) {
  const dir = makeTempDir('stepwise-folder-')
  const services = openRealServices(dir)
  services.store.updateSettings({ python_path: PYTHON, default_working_directory: dir })
  const wf = services.store.saveWorkflow(workflow('On file', [step(1, 'Read file', code)]))
  const inbox = join(dir, 'inbox')
  mkdirSync(inbox)
  return { ...services, dir, inbox, wf }
}

const folderRuns = (store: Store) => store.listExecutions(undefined, 10_000).filter((e) => e.trigger === 'folder')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('folder triggers', () => {
  it('a slowly written a.csv starts exactly one run that sees the whole file; b.txt and ~$a.xlsx start none; moved after success', async () => {
    const { store, runner, dir, inbox, wf } = setup()
    const done = join(dir, 'done')
    const { trigger } = await addTrigger(store.db, { workflowId: wf.id, folder: inbox, pattern: '*.{csv,xlsx}', moveTo: done }, new Date())
    const u = new UnattendedRunner(store, runner, { tickMs: 200, watch: { stableMs: 700 } })
    u.start()
    await waitFor(() => u.lease.holder() !== null, 5000)
    await sleep(500) // the watch is up
    const chunk = 'id,name,amount\n'.padEnd(4000, 'x') + '\n'
    writeFileSync(join(inbox, 'a.csv'), chunk)
    for (let i = 1; i < 10; i++) {
      await sleep(150) // 10 chunks over 1.5 s
      appendFileSync(join(inbox, 'a.csv'), chunk)
    }
    writeFileSync(join(inbox, 'b.txt'), 'not a match')
    writeFileSync(join(inbox, '~$a.xlsx'), 'office lock file')
    writeFileSync(join(inbox, 'c.csv.crdownload'), 'half a download')
    expect(await waitFor(() => folderRuns(store).some((e) => e.status !== 'RUNNING'), 15_000)).toBe(true)
    await sleep(2500) // time for any second, wrong run to show up
    await u.stop()
    await u.settled()
    const runs = folderRuns(store)
    expect(runs).toHaveLength(1)
    const e = store.getExecution(runs[0].id)
    expect(e.status).toBe('SUCCESS')
    expect(e.trigger_id).toBe(trigger.id)
    expect(e.steps[0].output).toEqual({ file: join(inbox, 'a.csv'), event: 'add', size: chunk.length * 10 })
    expect(readdirSync(done)).toEqual(['a.csv'])
    expect(readdirSync(inbox).sort()).toEqual(['b.txt', 'c.csv.crdownload', '~$a.xlsx'])
    expect(getTrigger(store.db, trigger.id).last_result).toBe('SUCCESS: a.csv')
  }, 40_000)

  it('500 files dropped at once each start one run, never more than the parallel limit at a time', async () => {
    const { store, runner, inbox, wf } = setup(py(emit('{"file": variables["trigger_file"]}')))
    await addTrigger(store.db, { workflowId: wf.id, folder: inbox, pattern: '*.txt' }, new Date())
    const u = new UnattendedRunner(store, runner, { tickMs: 200, parallel: 4, watch: { stableMs: 300 } })
    let maxActive = 0
    runner.on((ev) => {
      // At a step's start every run under way is in the runner's active list, this one included.
      if (ev.channel === 'run:step' && ev.payload.status === 'RUNNING') maxActive = Math.max(maxActive, runner.activeExecutions().length)
    })
    u.start()
    await sleep(800)
    const t0 = Date.now()
    for (let i = 0; i < 500; i++) writeFileSync(join(inbox, `f${String(i).padStart(3, '0')}.txt`), `file ${i}\n`)
    expect(await waitFor(() => folderRuns(store).filter((e) => e.status !== 'RUNNING').length >= 500, 240_000, 250)).toBe(true)
    const seconds = (Date.now() - t0) / 1000
    await sleep(1000)
    await u.stop()
    await u.settled()
    const runs = folderRuns(store)
    const files = runs.map((r) => store.getExecution(r.id).initial_variables.trigger_file as string)
    console.log(`500 files: ${runs.length} runs in ${seconds.toFixed(1)} s, at most ${maxActive} at a time`)
    expect(runs).toHaveLength(500)
    expect(new Set(files).size).toBe(500)
    expect(runs.every((r) => r.status === 'SUCCESS')).toBe(true)
    expect(maxActive).toBeLessThanOrEqual(4)
    expect(maxActive).toBeGreaterThan(1)
  }, 300_000)

  it('a folder that disappears pauses the trigger with the reason and resumes when it is back; files already there run when asked', async () => {
    const { store, runner, inbox, wf } = setup()
    writeFileSync(join(inbox, 'before.csv'), 'already here\n')
    const { trigger } = await addTrigger(
      store.db,
      { workflowId: wf.id, folder: inbox, pattern: '*.csv', processExisting: true },
      new Date()
    )
    const u = new UnattendedRunner(store, runner, { tickMs: 200, watch: { stableMs: 300 } })
    u.start()
    expect(await waitFor(() => folderRuns(store).some((e) => e.status === 'SUCCESS'), 15_000)).toBe(true)
    rmSync(inbox, { recursive: true })
    expect(await waitFor(() => getTrigger(store.db, trigger.id).paused_reason !== null, 5000)).toBe(true)
    expect(getTrigger(store.db, trigger.id).paused_reason).toMatch(/The folder ".*inbox" does not exist .*waits for it/)
    mkdirSync(inbox)
    expect(await waitFor(() => getTrigger(store.db, trigger.id).paused_reason === null, 5000)).toBe(true)
    await sleep(300)
    writeFileSync(join(inbox, 'after.csv'), 'new\n')
    expect(await waitFor(() => folderRuns(store).filter((e) => e.status === 'SUCCESS').length === 2, 15_000)).toBe(true)
    await u.stop()
    await u.settled()
    const files = folderRuns(store).map((r) => store.getExecution(r.id).initial_variables.trigger_file)
    expect(files.sort()).toEqual([join(inbox, 'after.csv'), join(inbox, 'before.csv')])
    expect(existsSync(inbox)).toBe(true)
  }, 60_000)
})
