// Run control on the real services: parallel branches, retries, continue-on-error, on-failure steps, resume and
// partial runs, with real Python processes and a real SQLite file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Execution, Step } from '../src/shared/model'
import type { Store } from '../src/main/services/store'
import type { RunnerEvent, WorkflowRunner } from '../src/main/services/engine'
import { createRequestHandlers, type DesktopPlatform } from '../src/main/services/request-handlers'
import { PYTHON } from './helpers/python'
import { isRunning, killQuietly, readPids, waitFor } from './helpers/processes'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, hangWithChild, loadExample, openRealServices, py, step, workflow } from './helpers/workflows'

let dir: string
let store: Store
let runner: WorkflowRunner
const events: RunnerEvent[] = []
const leftovers: number[] = []

beforeAll(() => {
  dir = makeTempDir('stepwise-run-control-')
  ;({ store, runner } = openRealServices(dir))
  runner.on((e) => events.push(e))
})
afterEach(() => killQuietly(leftovers.splice(0)))
afterAll(async () => {
  await runner.stopAll()
  store.close()
  cleanupTempDirs()
})

let n = 0
function workDir(): string {
  const p = join(dir, `work-${++n}`)
  mkdirSync(p, { recursive: true })
  return p
}
const stepRun = (e: Execution, id: string) => e.steps.find((s) => s.step_id === id)!
const ms = (iso: string | null): number => Date.parse(iso!)

/** A step that counts its runs in `<name>.count` in the working folder, then prints `{name: count}`. */
const counting = (name: string, extra = '', before = ''): string =>
  py(
    before,
    `p = ${JSON.stringify(`${name}.count`)}`,
    'c = (int(open(p).read()) if os.path.exists(p) else 0) + 1',
    'open(p, "w").write(str(c))',
    extra,
    emit(`{${JSON.stringify(name)}: c}`)
  )
const countOf = (wd: string, name: string): number => Number(readFileSync(join(wd, `${name}.count`), 'utf8'))

async function run(steps: Step[], options: Parameters<WorkflowRunner['start']>[1] = {}, extra = {}): Promise<Execution> {
  const saved = store.saveWorkflow(workflow('run control', steps, extra))
  return (await runner.start(saved.id, { python: PYTHON, ...options })).done
}

describe('parallel branches', () => {
  it('a diamond runs B and C side by side and D after both; the variables of every branch reach D', async () => {
    const wd = workDir()
    const sleepy = (name: string) => py('time.sleep(0.6)', emit(`{"v": ${JSON.stringify(name)}}`))
    const e = await run(
      [
        step(0, 'A', py(emit('{"v": "a"}')), { depends_on: [] }),
        step(1, 'B', sleepy('b'), { depends_on: ['step-0'], output_mapping: { from_b: 'v' } }),
        step(2, 'C', sleepy('c'), { depends_on: ['step-0'], output_mapping: { from_c: 'v' } }),
        step(3, 'D', py(emit('{"got": [variables["from_b"], variables["from_c"]]}')), { depends_on: ['step-1', 'step-2'] })
      ],
      { workingDirectory: wd, maxParallel: 4 }
    )
    expect(e.status).toBe('SUCCESS')
    const [a, b, c, d] = ['step-0', 'step-1', 'step-2', 'step-3'].map((id) => stepRun(e, id))
    // B and C overlap: each started before the other finished.
    expect(ms(b.started_at)).toBeLessThan(ms(c.finished_at))
    expect(ms(c.started_at)).toBeLessThan(ms(b.finished_at))
    expect(ms(b.started_at)).toBeGreaterThanOrEqual(ms(a.finished_at))
    expect(ms(d.started_at)).toBeGreaterThanOrEqual(Math.max(ms(b.finished_at), ms(c.finished_at)))
    expect(d.output).toEqual({ got: ['b', 'c'] })
  })

  it('a workflow without depends_on runs in its old order even when many may run at once', async () => {
    const wd = workDir()
    const input = loadExample()
    const saved = store.saveWorkflow(input)
    const e = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: wd, maxParallel: 8 })).done
    expect(e.status).toBe('SUCCESS')
    const runs = [...e.steps].sort((x, y) => x.order - y.order)
    for (let i = 1; i < runs.length; i++) expect(ms(runs[i].started_at)).toBeGreaterThanOrEqual(ms(runs[i - 1].finished_at))
  })

  it('two parallel steps setting one variable: the later step in order wins whichever finishes first, with a note', async () => {
    const e = await run(
      [
        step(0, 'Slow_first', py('time.sleep(0.5)', emit('{"x": "first"}')), { depends_on: [], output_mapping: { x: 'x' } }),
        step(1, 'Quick_second', py(emit('{"x": "second"}')), { depends_on: [], output_mapping: { x: 'x' } })
      ],
      { workingDirectory: workDir(), maxParallel: 2 }
    )
    expect(e.status).toBe('SUCCESS')
    expect(e.variables.x).toBe('second')
    expect(stepRun(e, 'step-0').logs).toContain('variable "x" keeps the value of step "Quick_second"')
  })

  it('Stop during a parallel run ends every running step and its children; each is recorded CANCELLED', async () => {
    const wd = workDir()
    const saved = store.saveWorkflow(
      workflow('parallel stop', [
        step(0, 'Left', hangWithChild(JSON.stringify(join(wd, 'left.pids'))), { depends_on: [] }),
        step(1, 'Right', hangWithChild(JSON.stringify(join(wd, 'right.pids'))), { depends_on: [] }),
        step(2, 'After', py(emit('{}')), { depends_on: ['step-0', 'step-1'] })
      ])
    )
    const started = await runner.start(saved.id, { python: PYTHON, workingDirectory: wd, maxParallel: 2 })
    const pids = [...(await readPids(join(wd, 'left.pids'), 2)), ...(await readPids(join(wd, 'right.pids'), 2))]
    leftovers.push(...pids)
    runner.stop(started.executionId)
    const e = await started.done
    expect(e.status).toBe('CANCELLED')
    expect(stepRun(e, 'step-0').status).toBe('CANCELLED')
    expect(stepRun(e, 'step-1').status).toBe('CANCELLED')
    expect(stepRun(e, 'step-2').status).toBe('SKIPPED')
    expect(await waitFor(() => pids.every((p) => !isRunning(p)), 10_000)).toBe(true)
  })
})

describe('retries', () => {
  it('a step that fails twice then succeeds: SUCCESS after 3 attempts, each failed attempt kept with its own logs', async () => {
    const wd = workDir()
    const flaky = counting('flaky', 'print("attempt %d" % c, file=sys.stderr)\nif c < 3: sys.exit(10 + c)')
    const e = await run([step(0, 'Flaky', flaky, { retry: { count: 3, delay_seconds: 0, backoff: 1, exit_codes: null } })], {
      workingDirectory: wd
    })
    expect(e.status).toBe('SUCCESS')
    const s = stepRun(e, 'step-0')
    expect(s.attempts).toBe(3)
    expect(s.output).toEqual({ flaky: 3 })
    expect(s.logs).toContain('attempt 3')
    expect(s.logs).not.toContain('attempt 1')
    expect(s.previous_attempts.map((a) => [a.attempt, a.status, a.exit_code])).toEqual([
      [1, 'FAILED', 11],
      [2, 'FAILED', 12]
    ])
    expect(s.previous_attempts[0].logs).toContain('attempt 1')
    expect(s.previous_attempts[0].logs).toContain('[stepwise] attempt 1 of 4 failed; trying again')
    expect(s.previous_attempts[1].logs).toContain('attempt 2')
    const live = events.filter((ev) => ev.channel === 'run:step' && ev.payload.execution_id === e.id && ev.payload.status === 'RUNNING')
    expect(live.map((ev) => (ev.payload as { attempt: number }).attempt)).toEqual([1, 2, 3])
  })

  it('only the exit codes named are retried; another exit code fails at once', async () => {
    const wd = workDir()
    const e = await run(
      [step(0, 'Picky', counting('picky', 'sys.exit(1)'), { retry: { count: 5, delay_seconds: 0, backoff: 1, exit_codes: [75] } })],
      { workingDirectory: wd }
    )
    expect(e.status).toBe('FAILED')
    expect(stepRun(e, 'step-0').attempts).toBe(1)
    expect(countOf(wd, 'picky')).toBe(1)
  })

  it('Stop during the wait before a retry ends the run at once, the step CANCELLED with why it was retrying', async () => {
    const wd = workDir()
    const saved = store.saveWorkflow(
      workflow('long wait', [
        step(0, 'Waits', counting('waits', 'sys.exit(3)'), { retry: { count: 2, delay_seconds: 3600, backoff: 1, exit_codes: null } })
      ])
    )
    const started = await runner.start(saved.id, { python: PYTHON, workingDirectory: wd })
    expect(
      await waitFor(() => existsSync(join(wd, 'waits.count')) && store.getExecution(started.executionId).steps[0].attempts === 2, 20_000)
    ).toBe(true)
    runner.stop(started.executionId)
    const e = await started.done
    expect(e.status).toBe('CANCELLED')
    expect(e.steps[0].status).toBe('CANCELLED')
    expect(e.steps[0].error).toContain('Stopped while waiting to retry; attempt 1 had failed')
    expect(countOf(wd, 'waits')).toBe(1)
  })
})

describe('continue on error and on-failure steps', () => {
  it('a failing step with continue_on_error: recorded FAILED, its outputs unset, later steps run, run COMPLETED_WITH_ERRORS', async () => {
    const e = await run(
      [
        step(0, 'May_fail', py('print("no network", file=sys.stderr)', 'sys.exit(2)'), {
          continue_on_error: true,
          output_mapping: { data: 'data' }
        }),
        step(1, 'Goes_on', py(emit('{"saw_data": "data" in variables}')))
      ],
      { workingDirectory: workDir() }
    )
    expect(e.status).toBe('COMPLETED_WITH_ERRORS')
    expect(stepRun(e, 'step-0').status).toBe('FAILED')
    expect(stepRun(e, 'step-1').status).toBe('SUCCESS')
    expect(stepRun(e, 'step-1').output).toEqual({ saw_data: false })
    expect(e.variables).not.toHaveProperty('data')
    expect(e.error).toContain('1 step failed')
  })

  it('the on-failure step runs when the run fails, with the failed step, its error, exit code and log tail', async () => {
    const wd = workDir()
    const handler = py(
      'keys = ["failed_step", "failed_step_id", "exit_code", "execution_id", "error", "log_tail", "region"]',
      emit('{k: variables.get(k) for k in keys}')
    )
    const e = await run(
      [
        // First in the list: its place must not put it before the run's own steps in the record.
        { ...step(3, 'Alert', handler, { output_mapping: { code: 'exit_code' } }), order: 0 },
        { ...step(0, 'Prepare', py(emit('{"code": 7}')), { output_mapping: { code: 'code' } }), order: 1 },
        { ...step(1, 'Load', py('print("share not reachable", file=sys.stderr)', 'sys.exit(4)')), order: 2 },
        { ...step(2, 'Never', py(emit('{}'))), order: 3 }
      ],
      { workingDirectory: wd },
      { on_failure: ['step-3'], variables: { region: '서울' } }
    )
    expect(e.status).toBe('FAILED')
    // The record rebuilds each step's inputs from the order outputs were applied: the handler's output (which
    // sets "code" too) must not leak into the failed step's inputs nor the run's final variables.
    expect(stepRun(e, 'step-1').input_variables).toMatchObject({ code: 7, 'step-0': { code: 7 } })
    expect(stepRun(e, 'step-1').input_variables).not.toHaveProperty('step-3')
    expect(e.variables.code).toBe(7)
    const alert = stepRun(e, 'step-3')
    expect(alert.on_failure).toBe(true)
    expect(alert.status).toBe('SUCCESS')
    const got = alert.output as Record<string, unknown>
    expect(got).toMatchObject({ failed_step: 'Load', failed_step_id: 'step-1', exit_code: 4, execution_id: e.id, region: '서울' })
    expect(String(got.error)).toContain('exit code 4')
    expect(String(got.log_tail)).toContain('share not reachable')
    expect(stepRun(e, 'step-2').status).toBe('SKIPPED')
    expect(events.some((ev) => ev.channel === 'run:stepsAdded' && ev.payload.execution_id === e.id)).toBe(true)
  })

  it('a run that succeeds never runs nor records its on-failure step; a failing handler is named in the run error', async () => {
    const ok = await run(
      [step(0, 'Fine', py(emit('{}'))), step(1, 'Alert', py(emit('{}')))],
      { workingDirectory: workDir() },
      { on_failure: ['step-1'] }
    )
    expect(ok.status).toBe('SUCCESS')
    expect(ok.steps.map((s) => s.step_id)).toEqual(['step-0'])
    const bad = await run(
      [step(0, 'Breaks', py('sys.exit(1)')), step(1, 'Broken_alert', py('sys.exit(1)'))],
      { workingDirectory: workDir() },
      { on_failure: ['step-1'] }
    )
    expect(bad.status).toBe('FAILED')
    expect(bad.error).toContain('The on-failure step "Broken_alert" failed too.')
  })
})

describe('resume and partial runs', () => {
  const threeSteps = (wd: string): Step[] => [
    step(0, 'Fetch', counting('fetch'), { output_mapping: { fetched: 'fetch' } }),
    step(1, 'Process', counting('process', '', `if not os.path.exists(${JSON.stringify(join(wd, 'share-ok'))}): sys.exit(9)`), {
      output_mapping: { processed: 'process' }
    }),
    step(2, 'Save', py(emit('{"saved": [variables["fetched"], variables["processed"]]}')))
  ]

  it('resume reuses the steps that succeeded, runs the rest with the current code, and says where it came from', async () => {
    const wd = workDir()
    const saved = store.saveWorkflow(workflow('resume me', threeSteps(wd)))
    const first = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: wd })).done
    expect(first.status).toBe('FAILED')
    writeFileSync(join(wd, 'share-ok'), '')
    const resumed = await (await runner.resume(first.id, { python: PYTHON })).done
    expect(resumed.status).toBe('SUCCESS')
    expect(resumed.trigger).toBe('resume')
    expect(resumed.resumed_from).toBe(first.id)
    expect(stepRun(resumed, 'step-0').reused_from).toBe(first.id)
    expect(stepRun(resumed, 'step-0').attempts).toBe(0)
    expect(stepRun(resumed, 'step-0').output).toEqual({ fetch: 1 })
    expect(countOf(wd, 'fetch')).toBe(1)
    expect(stepRun(resumed, 'step-2').output).toEqual({ saved: [1, 1] })
    await expect(runner.resume(resumed.id)).rejects.toThrow(/succeeded; there is nothing to resume/)
  })

  it('run from a step and run only a step take the other steps from the latest successful run, and name it', async () => {
    const wd = workDir()
    writeFileSync(join(wd, 'share-ok'), '')
    const saved = store.saveWorkflow(workflow('partial', threeSteps(wd)))
    await expect(runner.start(saved.id, { python: PYTHON, workingDirectory: wd, fromStep: 'step-1' })).rejects.toThrow(
      /no successful run to take the values of the steps before "Process" from/
    )
    const full = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: wd })).done
    expect(full.status).toBe('SUCCESS')
    const from = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: wd, fromStep: 'Process' })).done
    expect(from.status).toBe('SUCCESS')
    expect(from.resumed_from).toBe(full.id)
    expect(stepRun(from, 'step-0').reused_from).toBe(full.id)
    expect(countOf(wd, 'fetch')).toBe(1)
    expect(countOf(wd, 'process')).toBe(2)
    expect(stepRun(from, 'step-2').output).toEqual({ saved: [1, 2] })

    // A replay of one step that succeeded since is not a run to take values from.
    expect((await (await runner.replayStep(from.id, 'step-2', { python: PYTHON })).done).status).toBe('SUCCESS')
    const only = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: wd, onlyStep: 'step-1' })).done
    expect(only.status).toBe('SUCCESS')
    // The latest successful run is now the run from a step.
    expect(only.resumed_from).toBe(from.id)
    expect(only.steps.map((s) => s.step_id)).toEqual(['step-0', 'step-1'])
    expect(countOf(wd, 'process')).toBe(3)
    await expect(runner.start(saved.id, { python: PYTHON, onlyStep: 'nope' })).rejects.toThrow(/"nope" is not a step of "partial"/)
  })
})

describe('bad input is refused by name and nothing stored changes', () => {
  const handlers = () => createRequestHandlers({ store, runner, platform: {} as DesktopPlatform })

  it.each([
    [
      'a cycle',
      { depends_on: ['step-1'] },
      { depends_on: ['step-0'] },
      /steps\[0\] "First"\.depends_on: the steps depend on each other in a circle: First → Second → First/
    ],
    ['a missing step', { depends_on: ['ghost'] }, {}, /steps\[0\] "First"\.depends_on: "ghost" is not a step of this workflow/],
    ['a retry count of -1', { retry: { count: -1 } }, {}, /steps\[0\] "First"\.retry\.count: must be between 0 and 20/],
    ['a retry count of 10000', { retry: { count: 10000 } }, {}, /steps\[0\] "First"\.retry\.count: must be between 0 and 20/],
    [
      'a delay of a year',
      { retry: { count: 1, delay_seconds: 31_536_000 } },
      {},
      /steps\[0\] "First"\.retry\.delay_seconds: must be at most 3600/
    ]
  ])('%s', async (_what, first, second, message) => {
    const saved = store.saveWorkflow(workflow('guarded', [step(0, 'First', py(emit('{}'))), step(1, 'Second', py(emit('{}')))]))
    const h = handlers() as unknown as Record<string, (p: unknown) => Promise<unknown>>
    const draft = {
      ...saved,
      created_at: undefined,
      updated_at: undefined,
      steps: [
        { ...saved.steps[0], ...first },
        { ...saved.steps[1], ...second }
      ]
    }
    await expect(h['workflows:save']({ workflow: draft })).rejects.toThrow(message)
    expect(store.getWorkflow(saved.id)).toEqual(saved)
  })
})
