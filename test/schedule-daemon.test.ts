// `stepwise daemon` on the real clock, next to the app's in-process scheduler on the same database: a
// schedule fires on time, once per run time, and the daemon ends its steps' processes on SIGTERM.
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addSchedule, UnattendedRunner } from '../src/main/services/schedule'
import { Store } from '../src/main/services/store'
import { WorkflowRunner } from '../src/main/services/engine'
import { ensureCliBuilt, startCli } from './helpers/cli'
import { isRunning, killQuietly, readPids, waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, hangWithChild, py, step, workflow } from './helpers/workflows'

beforeAll(ensureCliBuilt, 180_000)
afterAll(cleanupTempDirs)

function prepare(code: string, overlap: 'skip' | 'allow' = 'allow'): { dir: string; dbPath: string; workflowId: string } {
  const dir = makeTempDir('stepwise-daemon-')
  const dbPath = join(dir, 'stepwise.db')
  const store = new Store(dbPath)
  store.updateSettings({ python_path: PYTHON, default_working_directory: dir })
  const wf = store.saveWorkflow(workflow('Tick', [step(1, 'Tick', code)]))
  addSchedule(store.db, { workflowId: wf.id, cron: '*/2 * * * * *', tz: 'UTC', overlap }, new Date())
  store.close()
  return { dir, dbPath, workflowId: wf.id }
}

describe('stepwise daemon', () => {
  it('fires a 6-field every-2-seconds schedule at least twice in 9 s, never twice for one instant, beside the app scheduler', async () => {
    const { dir, dbPath } = prepare(py(emit('{"ok": True}')))
    const daemon = startCli(['daemon', '--db', dbPath])
    const store = new Store(dbPath)
    const runner = new WorkflowRunner(store, { tempRoot: join(dir, 'tmp-app') })
    const appLog: string[] = []
    // The daemon takes the lease first; the app's scheduler then runs beside it the whole time.
    expect(await waitFor(() => store.db.prepare(`SELECT pid FROM lease`).get() !== undefined, 10_000)).toBe(true)
    const app = new UnattendedRunner(store, runner, { log: (l) => appLog.push(l) })
    app.start()
    await new Promise((r) => setTimeout(r, 9000))
    daemon.kill('SIGINT')
    const [code] = (await once(daemon, 'exit')) as [number | null]
    await app.stop()
    await app.settled()
    const runs = store.listExecutions().filter((e) => e.trigger === 'schedule')
    const times = runs.map((e) => store.getExecution(e.id).initial_variables.trigger_time as string)
    store.close()
    console.log(`daemon fired ${runs.length} runs in 9 s: ${times.sort().join(', ')}`)
    expect(code).toBe(0)
    expect(runs.length).toBeGreaterThanOrEqual(2)
    expect(new Set(times).size).toBe(times.length)
    expect(times.every((t) => new Date(t).getUTCSeconds() % 2 === 0)).toBe(true)
    expect(appLog.some((l) => l.includes('another runner holds the lease'))).toBe(true)
    const log = readFileSync(join(dir, 'stepwise-daemon.log'), 'utf8')
    expect(log).toMatch(/daemon started/)
    expect((log.match(/started execution/g) ?? []).length).toBeGreaterThanOrEqual(2)
    expect(log).toMatch(/SIGINT: stopping/)
  }, 40_000)

  it('on SIGTERM ends its running steps and their children, records the run CANCELLED and exits 0', async () => {
    const pidFile = join(makeTempDir(), 'pids.txt')
    const { dbPath } = prepare(hangWithChild(JSON.stringify(pidFile)), 'skip')
    const daemon = startCli(['daemon', '--db', dbPath])
    const pids = await readPids(pidFile, 2, 15_000)
    try {
      expect(pids.every(isRunning)).toBe(true)
      daemon.kill('SIGTERM')
      const [code] = (await once(daemon, 'exit')) as [number | null]
      expect(code).toBe(0)
      expect(await waitFor(() => !pids.some(isRunning), 5000)).toBe(true)
      const store = new Store(dbPath)
      const runs = store.listExecutions()
      store.close()
      expect(runs.map((r) => [r.trigger, r.status])).toEqual([['schedule', 'CANCELLED']])
    } finally {
      killQuietly(pids)
    }
  }, 40_000)
})
