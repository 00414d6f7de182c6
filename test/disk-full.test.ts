// A disk that fills up during a run: the run ends FAILED saying the disk is full, nothing stays RUNNING in
// the process that ran it, and the database stays consistent. The store's writes fail by injection; the
// temp folder fills up for real on a tiny tmpfs where mounting one is permitted.
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Execution } from '../src/shared/model'
import type { Store } from '../src/main/services/store'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

const mounts: string[] = []
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m])
  cleanupTempDirs()
})

const full = (): Error => new Database.SqliteError('database or disk is full', 'SQLITE_FULL')

/** Three steps; each leaves a marker file in the working folder when it runs. */
function threeSteps(wd: string) {
  return workflow(
    'Fills the disk',
    [0, 1, 2].map((i) =>
      step(
        i,
        `S${i}`,
        py(`open(${JSON.stringify(join(wd, `ran-${i}`))}, "w").close()`, 'print("line", file=sys.stderr)', 'print(\'{"ok": 1}\')')
      )
    )
  )
}

/** Makes `method` of the store throw SQLITE_FULL whenever `when` says so. */
function failing<K extends keyof Store>(store: Store, method: K, when: (...args: any[]) => boolean): void {
  const original = (store[method] as (...a: unknown[]) => unknown).bind(store)
  ;(store as any)[method] = (...args: unknown[]) => {
    if (when(...args)) throw full()
    return original(...args)
  }
}

async function runWith(inject: (store: Store) => void): Promise<{ e: Execution; wd: string; dbPath: string }> {
  const dir = makeTempDir('stepwise-full-')
  const services = openRealServices(dir)
  const wd = join(dir, 'wd')
  mkdirSync(wd)
  const saved = services.store.saveWorkflow(threeSteps(wd))
  inject(services.store)
  const { PYTHON } = await import('./helpers/python')
  const run = await services.runner.start(saved.id, { python: PYTHON, workingDirectory: wd })
  const e = await run.done
  expect(services.runner.activeExecutions()).toEqual([])
  services.store.close()
  const db = new Database(join(dir, 'stepwise.db'), { readonly: true })
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  expect(db.prepare(`SELECT COUNT(*) AS n FROM executions WHERE status = 'RUNNING'`).get()).toEqual({ n: 0 })
  expect(db.prepare(`SELECT COUNT(*) AS n FROM step_runs WHERE status IN ('RUNNING', 'PENDING')`).get()).toEqual({ n: 0 })
  db.close()
  return { e, wd, dbPath: join(dir, 'stepwise.db') }
}

describe('the store fills up mid-run', () => {
  it('a step result that cannot be written ends the run FAILED with "disk is full"; the later steps never run', async () => {
    const { e, wd } = await runWith((s) => failing(s, 'updateStepRun', (_id, stepId, u) => stepId === 'step-1' && u.status === 'SUCCESS'))
    expect(e.status).toBe('FAILED')
    expect(e.error).toContain('The disk is full')
    expect(e.error).toContain('SQLITE_FULL')
    expect(e.steps.map((s) => s.status)).toEqual(['SUCCESS', 'FAILED', 'SKIPPED'])
    expect(e.steps[1].error).toContain('could not record how this step ended')
    expect(existsSync(join(wd, 'ran-2'))).toBe(false)
  }, 30_000)

  it('a step start that cannot be written: that step never runs', async () => {
    const { e, wd } = await runWith((s) => failing(s, 'updateStepRun', (_id, stepId, u) => stepId === 'step-0' && u.status === 'RUNNING'))
    expect(e.status).toBe('FAILED')
    expect(e.error).toContain('The disk is full')
    expect(existsSync(join(wd, 'ran-0'))).toBe(false)
    expect(e.steps[2].status).toBe('SKIPPED')
  }, 30_000)

  it('the end of the run that cannot be written: a last, smaller write still marks it FAILED', async () => {
    const { e } = await runWith((s) => failing(s, 'finishExecution', () => true))
    expect(e.status).toBe('FAILED')
    expect(e.error).toContain('The disk is full')
    expect(e.error).toContain('the end of the run')
  }, 30_000)

  it('a live log save that fails (in a timer) ends the run FAILED instead of crashing the process', async () => {
    const dir = makeTempDir('stepwise-full-log-')
    const services = openRealServices(dir)
    const wd = join(dir, 'wd')
    mkdirSync(wd)
    failing(services.store, 'appendStepLogs', () => true)
    const e = await saveAndRun(
      services,
      workflow('Logs', [
        step(
          0,
          'Talks',
          py('for i in range(30):', '    print("tick", i, file=sys.stderr, flush=True)', '    time.sleep(0.1)', 'print("{}")')
        ),
        step(1, 'After', py('print("{}")'))
      ]),
      { workingDirectory: wd }
    )
    expect(e.status).toBe('FAILED')
    expect(e.error).toContain('The disk is full')
    expect(e.error).toContain('log')
    expect(e.steps[1].status).toBe('SKIPPED')
    services.store.close()
  }, 30_000)
})

const tinyTmpfs = (): string | null => {
  if (process.platform !== 'linux') return null
  const at = makeTempDir('stepwise-tmpfs-')
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', at])
  if (r.status !== 0) return null
  mounts.push(at)
  return at
}

describe('the temp folder fills up for real', () => {
  const mount = tinyTmpfs()
  it.skipIf(!mount)(
    'a step whose files cannot be written fails saying the disk is full; the run ends FAILED',
    async () => {
      const dir = makeTempDir('stepwise-full-tmp-')
      const services = openRealServices(dir)
      const { WorkflowRunner } = await import('../src/main/services/engine')
      const runner = new WorkflowRunner(services.store, { tempRoot: mount! })
      // Fill it: what is left is less than the step's variables file needs.
      try {
        writeFileSync(join(mount!, 'filler'), Buffer.alloc(200 * 1024))
      } catch {
        // ENOSPC: full, as wanted
      }
      const saved = services.store.saveWorkflow(
        workflow('Big inputs', [step(0, 'Reads', py('print("{}")'))], { variables: { big: 'x'.repeat(64 * 1024) } })
      )
      const { PYTHON } = await import('./helpers/python')
      const e = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: dir })).done
      expect(e.status).toBe('FAILED')
      expect(`${e.error} ${e.steps[0].error}`).toMatch(/disk is full/)
      expect(e.steps[0].error ?? e.error).toMatch(/ENOSPC/)
      services.store.close()
    },
    30_000
  )
})
