// What the runner refuses or fills in before a run starts, and how it treats very long logs and names.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Store } from '../src/main/services/store'
import { RunInputError, WorkflowRunner } from '../src/main/services/engine'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

function services(options: { defaultWorkingDirectory?: string } = {}) {
  const dir = makeTempDir()
  const tempRoot = join(dir, 'tmp')
  mkdirSync(tempRoot)
  const store = new Store(join(dir, 'db.sqlite'))
  return { dir, store, runner: new WorkflowRunner(store, { tempRoot, ...options }) }
}

describe('before a run starts', () => {
  it('refuses a second run of a workflow that is still running, naming it', async () => {
    const { dir, store, runner } = services()
    const wf = store.saveWorkflow(workflow('Nightly report', [step(0, 'slow', py('time.sleep(2)', emit('{}')))]))
    const first = await runner.start(wf.id, { python: PYTHON, workingDirectory: dir })
    await expect(runner.start(wf.id, { python: PYTHON, workingDirectory: dir })).rejects.toThrow(/"Nightly report" is already running/)
    runner.stop(first.executionId)
    expect((await first.done).status).toBe('CANCELLED')
    // Once it has ended, it may run again.
    const again = await runner.start(wf.id, { python: PYTHON, workingDirectory: dir })
    runner.stop(again.executionId)
    await again.done
    expect(store.listExecutions(wf.id)).toHaveLength(2)
    store.close()
  })

  it('refuses a working folder that is not a full path', async () => {
    const { store, runner } = services()
    const wf = store.saveWorkflow(workflow('rel', [step(0, 'a', py(emit('{}')))], { working_directory: 'reports/out' }))
    const err = await runner.start(wf.id, { python: PYTHON }).catch((e) => e)
    expect(err).toBeInstanceOf(RunInputError)
    expect(err.message).toMatch(/"reports\/out" is not a full path/)
    expect(store.listExecutions(wf.id)).toEqual([])
    store.close()
  })

  it("runs in the app's default folder, made on first use, when nothing names one", async () => {
    const home = makeTempDir()
    const fallback = join(home, 'Stepwise')
    const { store, runner } = services({ defaultWorkingDirectory: fallback })
    const wf = store.saveWorkflow(workflow('where', [step(0, 'cwd', py(emit('{"cwd": os.getcwd()}')))]))
    expect(existsSync(fallback)).toBe(false)
    const done = await (await runner.start(wf.id, { python: PYTHON })).done
    expect(done.status).toBe('SUCCESS')
    expect(done.steps[0].output).toEqual({ cwd: fallback })
    store.close()
  })
})

describe('long logs and long names', () => {
  it("saves about the first megabyte of a running step's log as it goes, and its first and last 512 K characters at its end", async () => {
    const { dir, store, runner } = services()
    // 3 MB of log, then a pause in which the live copy can be read, then the end.
    const code = py('for i in range(30000):', '    print("x" * 100, file=sys.stderr)', 'sys.stderr.flush()', 'time.sleep(2.5)', emit('{}'))
    const wf = store.saveWorkflow(workflow('flood', [step(0, 'flood', code)]))
    const run = await runner.start(wf.id, { python: PYTHON, workingDirectory: dir })
    await new Promise((r) => setTimeout(r, 2000))
    const live = store.getExecution(run.executionId).steps[0]
    expect(live.status).toBe('RUNNING')
    expect(live.logs.length).toBeGreaterThan(900_000)
    expect(live.logs.length).toBeLessThan(1_200_000)
    expect(live.logs).toContain('[stepwise] (the rest of the log is saved when the step ends)')
    const done = await run.done
    const logs = done.steps[0].logs
    const line = `${'x'.repeat(100)}\n`
    expect(logs.length).toBeLessThan(1024 * 1024 + 200)
    const note = /\n\[stepwise\] … \d+ characters of the log omitted here \(the full log is in (.+)\) …\n/.exec(logs)
    expect(note).not.toBeNull()
    // The full log, beside the database with the run's values (deleted with the run), holds every line.
    expect(note![1]).toContain(join(dir, 'db-values', run.executionId))
    expect(readFileSync(note![1], 'utf8')).toBe(line.repeat(30000))
    expect(logs.startsWith(line.repeat(5000))).toBe(true)
    expect(logs.endsWith(line.repeat(5000))).toBe(true)
    expect(logs).not.toContain('the rest of the log is saved when the step ends')
    store.close()
  })

  it('runs a step whose long Korean name would be too long a file name', async () => {
    const { dir, store, runner } = services()
    const name = '한'.repeat(100)
    const wf = store.saveWorkflow(workflow('long', [step(123456, name, py(emit('{"ok": True}')))]))
    const done = await (await runner.start(wf.id, { python: PYTHON, workingDirectory: dir, debug: true })).done
    expect(done.status).toBe('SUCCESS')
    expect(Buffer.byteLength(done.steps[0].script_path!.split(/[\\/]/).pop()!)).toBeLessThan(255)
    store.close()
  })
})
