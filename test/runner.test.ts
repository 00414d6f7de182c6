// The runner on the real services: a real SQLite file, real Python, the execution recorded as it goes.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Execution } from '../src/shared/model'
import type { Store } from '../src/main/services/store'
import { Store as StoreClass } from '../src/main/services/store'
import { RunInputError, WorkflowRunner as WorkflowRunnerClass, type RunnerEvent, type WorkflowRunner } from '../src/main/services/engine'
import { PYTHON } from './helpers/python'
import { isRunning, killQuietly, readPids, waitFor } from './helpers/processes'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, loadExample, openRealServices, py, saveAndRun, step, workflow, hangWithChild } from './helpers/workflows'

let dir: string
let store: Store
let runner: WorkflowRunner
let tempRoot: string
let dbPath: string
const events: RunnerEvent[] = []
const leftovers: number[] = []

beforeAll(() => {
  dir = makeTempDir('stepwise-runner-')
  ;({ store, runner, tempRoot, dbPath } = openRealServices(dir))
  runner.on((e) => events.push(e))
})
afterEach(() => killQuietly(leftovers.splice(0)))
afterAll(async () => {
  await runner.stopAll()
  store.close()
  cleanupTempDirs()
})

let n = 0
/** A fresh working folder per test. */
function workDir(name = `work-${++n}`): string {
  const p = join(dir, name)
  mkdirSync(p, { recursive: true })
  return p
}
const touch = (file: string): string => py(`open(${JSON.stringify(file)}, "w").close()`, emit('{"touched": True}'))
const stepRun = (e: Execution, id: string) => e.steps.find((s) => s.step_id === id)!
const eventsOf = (executionId: string) => events.filter((e) => 'execution_id' in e.payload && e.payload.execution_id === executionId)

describe('a run end to end', () => {
  it('runs the reference example and records it: statuses, logs, inputs, outputs, variables, output.json', async () => {
    const wd = workDir()
    const e = await saveAndRun({ store, runner }, loadExample(), { workingDirectory: wd })
    expect(e.status).toBe('SUCCESS')
    expect(e.error).toBeNull()
    expect(e.completed_at).not.toBeNull()
    expect(e.python_path).toBe(PYTHON)
    expect(e.steps.map((s) => [s.name, s.status, s.exit_code])).toEqual([
      ['Fetch_Data', 'SUCCESS', 0],
      ['Process_Data', 'SUCCESS', 0],
      ['Save_Data', 'SUCCESS', 0]
    ])
    expect(e.steps.map((s) => s.logs)).toEqual(['Fetching data...\n', 'Processing 3 items\n', 'Saving 3 items to output.json\n'])
    const processed = [1, 2, 3].map((id) => ({ id, processed: true }))
    expect(e.variables).toEqual({ fetched_data: [{ id: 1 }, { id: 2 }, { id: 3 }], processed_data: processed })
    expect(Object.keys(e.step_outputs)).toEqual(['step-0', 'step-1', 'step-2'])
    expect(stepRun(e, 'step-2').input_variables).toMatchObject({
      'step-0': e.step_outputs['step-0'],
      'step-1': e.step_outputs['step-1'],
      data_to_save: processed
    })
    expect(stepRun(e, 'step-1').input_variables).toHaveProperty('input', [{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(JSON.parse(readFileSync(join(wd, 'output.json'), 'utf8'))).toEqual(processed)
    for (const s of e.steps) {
      expect(s.duration_ms).toBeGreaterThan(0)
      expect(Date.parse(s.finished_at!)).toBeGreaterThanOrEqual(Date.parse(s.started_at!))
    }

    // What the window sees: started, each step running then done, its log lines, finished.
    const seen = eventsOf(e.id)
    expect(seen[0].channel).toBe('run:started')
    expect(seen.at(-1)).toMatchObject({ channel: 'run:finished', payload: { status: 'SUCCESS' } })
    const steps = seen.flatMap((ev) => (ev.channel === 'run:step' ? [`${ev.payload.step_id}:${ev.payload.status}`] : []))
    expect(steps).toEqual(['step-0:RUNNING', 'step-0:SUCCESS', 'step-1:RUNNING', 'step-1:SUCCESS', 'step-2:RUNNING', 'step-2:SUCCESS'])
    const logs = seen.flatMap((ev) => (ev.channel === 'run:log' ? ev.payload.lines.map((l) => `${ev.payload.step_id}:${l}`) : []))
    expect(logs).toEqual(['step-0:Fetching data...', 'step-1:Processing 3 items', 'step-2:Saving 3 items to output.json'])

    // The record is in the file: another connection reads the same.
    const again = new StoreClass(dbPath)
    try {
      expect(again.getExecution(e.id)).toEqual(e)
      expect(again.listExecutions()[0].id).toBe(e.id)
    } finally {
      again.close()
    }
  })

  it('refuses a working folder that does not exist, recording nothing', async () => {
    const saved = store.saveWorkflow(workflow('Nowhere', [step(0, 'A', py(emit('{}')))]))
    const before = store.listExecutions().length
    await expect(runner.start(saved.id, { python: PYTHON, workingDirectory: join(dir, 'missing folder') })).rejects.toThrow(RunInputError)
    await expect(runner.start(saved.id, { python: PYTHON, workingDirectory: join(dir, 'missing folder') })).rejects.toThrow(
      /missing folder" does not exist/
    )
    expect(store.listExecutions()).toHaveLength(before)
  })
})

describe('when Stepwise itself cannot run the steps', () => {
  it('a temp folder that cannot be created ends the run FAILED with the reason, not a run stuck in RUNNING', async () => {
    const broken = new WorkflowRunnerClass(store, { tempRoot: join(dir, 'no such temp root') })
    const seen: RunnerEvent[] = []
    broken.on((ev) => seen.push(ev))
    const saved = store.saveWorkflow(workflow('No temp', [step(0, 'A', touch('a.txt')), step(1, 'B', touch('b.txt'))]))
    const wd = workDir()
    const run = await broken.start(saved.id, { python: PYTHON, workingDirectory: wd })
    const e = await run.done
    expect(e.status).toBe('FAILED')
    expect(e.error).toContain('Stepwise could not run this workflow')
    expect(e.error).toContain('no such temp root')
    expect(e.steps.map((s) => s.status)).toEqual(['SKIPPED', 'SKIPPED'])
    expect(existsSync(join(wd, 'a.txt'))).toBe(false)
    expect(seen.at(-1)).toMatchObject({ channel: 'run:finished', payload: { status: 'FAILED' } })
    expect(broken.activeExecutions()).toEqual([])
  })
})

describe('options and settings', () => {
  it("a step's own timeout_seconds wins over the run's default", async () => {
    const t0 = Date.now()
    const e = await saveAndRun(
      { store, runner },
      workflow('Own timeout', [step(0, 'Slow', py('time.sleep(20)'), { timeout_seconds: 0.5 })]),
      {
        workingDirectory: workDir(),
        timeoutSeconds: 60
      }
    )
    expect(e.status).toBe('TIMED_OUT')
    expect(e.steps[0].error).toContain('Timed out after 0.5 s')
    expect(Date.now() - t0).toBeLessThan(5000)
  })

  it('debug mode from the settings applies when the run does not say', async () => {
    store.updateSettings({ debug_mode: true })
    try {
      const e = await saveAndRun({ store, runner }, workflow('Debug by settings', [step(0, 'A', py(emit('{}')))]), {
        workingDirectory: workDir()
      })
      expect(e.debug).toBe(true)
      expect(existsSync(e.steps[0].script_path!)).toBe(true)
      const off = await saveAndRun({ store, runner }, workflow('Debug off', [step(0, 'A', py(emit('{}')))]), {
        workingDirectory: workDir(),
        debug: false
      })
      expect(off.steps[0].script_path).toBeNull()
    } finally {
      store.updateSettings({ debug_mode: false })
    }
  })

  it('refuses a workflow without steps', async () => {
    const saved = store.saveWorkflow(workflow('Empty', []))
    await expect(runner.start(saved.id, { python: PYTHON })).rejects.toThrow('has no steps to run')
  })
})

describe('mappings in the record', () => {
  it('a missing output key is a "[stepwise] warning: output_mapping: ..." line in the step logs, and the run succeeds', async () => {
    const e = await saveAndRun(
      { store, runner },
      workflow('Missing key', [
        step(0, 'Produce', py('print("made it", file=sys.stderr)', emit('{"have": 1}')), {
          output_mapping: { want: 'wanted', have: 'have' }
        }),
        step(1, 'Next', py(emit('{"ok": True}')))
      ]),
      { workingDirectory: workDir() }
    )
    expect(e.status).toBe('SUCCESS')
    expect(stepRun(e, 'step-0').logs).toBe(
      'made it\n[stepwise] warning: output_mapping: the output has no key "wanted" (its keys: have); variable "want" was not set.\n'
    )
    expect(e.variables).toEqual({ have: 1 })
    expect(stepRun(e, 'step-1').status).toBe('SUCCESS')
    const lines = eventsOf(e.id).flatMap((ev) => (ev.channel === 'run:log' ? ev.payload.lines : []))
    expect(lines.some((l) => l.startsWith('[stepwise] warning: output_mapping:'))).toBe(true)
  })

  it('an input_mapping naming an undefined variable fails the step before it starts; the later steps are SKIPPED and never run', async () => {
    const wd = workDir()
    const e = await saveAndRun(
      { store, runner },
      workflow(
        'Bad alias',
        [
          step(0, 'Fetch_Data', py(emit('{"data": [1, 2]}')), { output_mapping: { fetched_data: 'data' } }),
          step(1, 'Process_Data', touch('process.txt'), { input_mapping: { input: 'fetchd_data' } }),
          step(2, 'Save_Data', touch('save.txt'))
        ],
        { variables: { user_input: 'hello' } }
      ),
      { workingDirectory: wd }
    )
    expect(e.status).toBe('FAILED')
    const bad = stepRun(e, 'step-1')
    expect(bad.status).toBe('FAILED')
    expect(bad.error).toContain('"input" → "fetchd_data"')
    expect(bad.error).toContain('Defined variables: user_input, fetched_data.')
    expect(bad.exit_code).toBeNull()
    expect(bad.input_variables).toBeNull()
    expect(e.error).toContain('Step "Process_Data" could not start')
    const later = stepRun(e, 'step-2')
    expect(later.status).toBe('SKIPPED')
    expect(later.started_at).toBeNull()
    expect(existsSync(join(wd, 'process.txt'))).toBe(false)
    expect(existsSync(join(wd, 'save.txt'))).toBe(false)
    expect(
      eventsOf(e.id).some((ev) => ev.channel === 'run:step' && ev.payload.step_id === 'step-2' && ev.payload.status === 'RUNNING')
    ).toBe(false)
  })
})

describe('a step that does not succeed stops the run', () => {
  it('FAILED with the exit code and the end of stderr; the later steps SKIPPED', async () => {
    const wd = workDir()
    const e = await saveAndRun(
      { store, runner },
      workflow('Fails', [
        step(0, 'Fine', py(emit('{"n": 1}')), { output_mapping: { n: 'n' } }),
        step(1, 'Crash', py('print("Traceback: something broke", file=sys.stderr)', 'sys.exit(7)')),
        step(2, 'After', touch('after.txt'))
      ]),
      { workingDirectory: wd }
    )
    expect(e.status).toBe('FAILED')
    expect(e.steps.map((s) => s.status)).toEqual(['SUCCESS', 'FAILED', 'SKIPPED'])
    const crash = stepRun(e, 'step-1')
    expect(crash.exit_code).toBe(7)
    expect(crash.error).toContain('exit code 7')
    expect(crash.error).toContain('Traceback: something broke')
    expect(crash.logs).toBe('Traceback: something broke\n')
    expect(e.error).toContain('Step "Crash"')
    expect(e.variables).toEqual({ n: 1 })
    expect(existsSync(join(wd, 'after.txt'))).toBe(false)
  })

  it('TIMED_OUT: the run timeout ends the script and its child, the logs before it are kept', async () => {
    const wd = workDir()
    const pidfile = join(wd, 'pids')
    const pending = saveAndRun(
      { store, runner },
      workflow('Times out', [
        step(0, 'Hang', hangWithChild(JSON.stringify(pidfile), 'before the timeout')),
        step(1, 'After', touch('after.txt'))
      ]),
      { workingDirectory: wd, timeoutSeconds: 1 }
    )
    const pids = await readPids(pidfile, 2)
    leftovers.push(...pids)
    const e = await pending
    expect(e.status).toBe('TIMED_OUT')
    expect(e.steps.map((s) => s.status)).toEqual(['TIMED_OUT', 'SKIPPED'])
    expect(stepRun(e, 'step-0').logs).toBe('before the timeout\n')
    expect(stepRun(e, 'step-0').error).toContain('Timed out after 1 s')
    expect(await waitFor(() => pids.every((p) => !isRunning(p)), 3000)).toBe(true)
    expect(existsSync(join(wd, 'after.txt'))).toBe(false)
  })

  it('runner.stop cancels: CANCELLED, the process tree gone, the later steps SKIPPED', async () => {
    const wd = workDir()
    const pidfile = join(wd, 'pids')
    const saved = store.saveWorkflow(
      workflow('Stopped', [step(0, 'Long', hangWithChild(JSON.stringify(pidfile))), step(1, 'After', touch('after.txt'))])
    )
    const run = await runner.start(saved.id, { python: PYTHON, workingDirectory: wd })
    expect(runner.activeExecutions()).toContain(run.executionId)
    const pids = await readPids(pidfile, 2)
    leftovers.push(...pids)
    expect(store.getExecution(run.executionId).status).toBe('RUNNING')
    expect(runner.stop(run.executionId)).toBe(true)
    const e = await run.done
    expect(e.status).toBe('CANCELLED')
    expect(e.steps.map((s) => s.status)).toEqual(['CANCELLED', 'SKIPPED'])
    expect(await waitFor(() => pids.every((p) => !isRunning(p)), 3000)).toBe(true)
    expect(existsSync(join(wd, 'after.txt'))).toBe(false)
    expect(runner.activeExecutions()).not.toContain(run.executionId)
    expect(runner.stop(run.executionId)).toBe(false)
  })
})

describe('text and volume', () => {
  it('carries Korean and emoji through variables, stdout and stderr, in a folder named with a space and Korean letters', async () => {
    const wd = makeTempDir('작업 폴더 ')
    const e = await saveAndRun(
      { store, runner },
      workflow(
        '한글 워크플로우',
        [
          step(
            0,
            '인사',
            py(
              'city = variables["도시"]',
              'print("처리 중: " + city, file=sys.stderr)',
              'open("결과 파일.txt", "w", encoding="utf-8").write(city)',
              emit('{"메시지": "안녕하세요 👋", "도시": city, "cwd": os.getcwd()}')
            ),
            { output_mapping: { 인사말: '메시지' } }
          ),
          // ensure_ascii=True: the same text as \\u escapes on stdout.
          step(
            1,
            '확인',
            py('print("받음: " + variables["받은_인사"], file=sys.stderr)', 'print(json.dumps({"echo": variables["받은_인사"]}))'),
            {
              input_mapping: { 받은_인사: '인사말' },
              output_mapping: { 메아리: 'echo' }
            }
          )
        ],
        { variables: { 도시: '서울 🌆' } }
      ),
      { workingDirectory: wd }
    )
    expect(e.status).toBe('SUCCESS')
    const first = stepRun(e, 'step-0')
    expect(first.logs).toBe('처리 중: 서울 🌆\n')
    expect(first.output).toMatchObject({ 메시지: '안녕하세요 👋', 도시: '서울 🌆' })
    expect(realpathSync((first.output as { cwd: string }).cwd)).toBe(realpathSync(wd))
    expect(stepRun(e, 'step-1').logs).toBe('받음: 안녕하세요 👋\n')
    expect(stepRun(e, 'step-1').output).toEqual({ echo: '안녕하세요 👋' })
    expect(e.variables).toEqual({ 도시: '서울 🌆', 인사말: '안녕하세요 👋', 메아리: '안녕하세요 👋' })
    expect(readFileSync(join(wd, '결과 파일.txt'), 'utf8')).toBe('서울 🌆')
    const lines = eventsOf(e.id).flatMap((ev) => (ev.channel === 'run:log' ? ev.payload.lines : []))
    expect(lines).toEqual(['처리 중: 서울 🌆', '받음: 안녕하세요 👋'])
  })

  it('8 MB on stdout and 8 MB on stderr at once, interleaved, multi-byte characters split across reads: no deadlock, the output whole, the full log in a file and its ends stored', async () => {
    // One unit is 8 bytes of UTF-8 ("가" 3, "😀" 4, "a" 1), so 1024 units are 8 KiB per write.
    const e = await saveAndRun(
      { store, runner },
      workflow('Big pipes', [
        step(
          0,
          'Flood',
          py(
            'unit = "가😀a"',
            'out, err = sys.stdout, sys.stderr',
            'out.write(\'{"data": "\')',
            'for i in range(1024):',
            '    out.write(unit * 1024)',
            '    err.write((unit * 127 + "\\n") * 8)',
            "out.write('\"}\\n')"
          )
        )
      ]),
      { workingDirectory: workDir(), debug: true }
    )
    expect(e.status).toBe('SUCCESS')
    const s = stepRun(e, 'step-0')
    // 8 MB: kept in a file beside the database, the window gets a note of its size.
    const text = store.executionTexts(e.id).outputs.get('step-0')!
    if (text.file === undefined) throw new Error('an 8 MB output is kept in a file')
    expect(s.output).toMatch(/^\[8\.4 MB value/)
    const bytes = readFileSync(text.file).subarray(text.start, text.end)
    const data = (JSON.parse(bytes.toString('utf8')) as { data: string }).data
    expect(data.length).toBe(1024 * 1024 * 4) // UTF-16 units: 가 1, 😀 2, a 1
    expect(Buffer.byteLength(data)).toBe(8 * 1024 * 1024)
    expect(data === '가😀a'.repeat(1024 * 1024)).toBe(true)
    // The whole stderr is in the step's log file; the record keeps its first and last 512 K characters.
    const whole = ('가😀a'.repeat(127) + '\n').repeat(8 * 1024)
    const logFile = s.script_path!.replace(/\.py$/, '.log')
    expect(readFileSync(logFile, 'utf8') === whole).toBe(true)
    const half = 512 * 1024
    const [head, omitted, tail] = s.logs.split(/\n?\[stepwise\] … (\d+) characters of the log omitted here \(the full log is in .*\) …\n/)
    expect(s.logs).toContain(`(the full log is in ${logFile})`)
    // Cut on whole characters only: no half of an emoji turned into U+FFFD.
    expect(head.length).toBeGreaterThanOrEqual(half - 1)
    expect(tail.length).toBeGreaterThanOrEqual(half - 1)
    expect(head === whole.slice(0, head.length)).toBe(true)
    expect(tail === whole.slice(-tail.length)).toBe(true)
    expect(Number(omitted)).toBe(whole.length - head.length - tail.length)
  })
})

describe('debug mode and temp files', () => {
  it('debug mode keeps the script and variables files; running them by hand gives the same output', async () => {
    const wd = workDir()
    const e = await saveAndRun(
      { store, runner },
      workflow(
        'Debugged',
        [
          step(0, 'First', py(emit('{"n": variables["start"] + 1}')), { output_mapping: { n: 'n' } }),
          step(
            1,
            'Second Step',
            py('print("doubling", file=sys.stderr)', emit('{"twice": variables["value"] * 2, "keys": sorted(variables)}')),
            {
              input_mapping: { value: 'n' }
            }
          )
        ],
        { variables: { start: 20 } }
      ),
      { workingDirectory: wd, debug: true }
    )
    expect(e.status).toBe('SUCCESS')
    expect(e.debug).toBe(true)
    const second = stepRun(e, 'step-1')
    expect(second.script_path).toMatch(/step_2_Second_Step\.py$/)
    expect(second.variables_path).toMatch(/step_2_Second_Step\.json$/)
    expect(dirname(second.script_path!).startsWith(tempRoot)).toBe(true)
    for (const s of e.steps) {
      expect(existsSync(s.script_path!)).toBe(true)
      expect(existsSync(s.variables_path!)).toBe(true)
      expect(readFileSync(s.script_path!, 'utf8')).toBe(s.code)
      expect(JSON.parse(readFileSync(s.variables_path!, 'utf8'))).toEqual(s.input_variables)
    }
    expect(JSON.parse(readFileSync(second.variables_path!, 'utf8'))).toEqual({ start: 20, n: 21, 'step-0': { n: 21 }, value: 21 })

    const byHand = spawnSync(PYTHON, [second.script_path!, '--variables-file', second.variables_path!], { cwd: wd, encoding: 'utf8' })
    expect(byHand.status).toBe(0)
    expect(byHand.stderr).toBe('doubling\n')
    expect(JSON.parse(byHand.stdout)).toEqual(second.output)
    expect(second.output).toEqual({ twice: 42, keys: ['n', 'start', 'step-0', 'value'] })
  })

  it('normal mode deletes the files and the execution temp folder, whatever the outcome', async () => {
    const before = readdirSync(tempRoot).filter((f) => f.startsWith('stepwise-'))
    const ok = await saveAndRun({ store, runner }, workflow('Clean', [step(0, 'A', py(emit('{}')))]), { workingDirectory: workDir() })
    const failed = await saveAndRun({ store, runner }, workflow('Clean fail', [step(0, 'A', py('sys.exit(1)'))]), {
      workingDirectory: workDir()
    })
    expect(ok.status).toBe('SUCCESS')
    expect(failed.status).toBe('FAILED')
    for (const e of [ok, failed]) {
      expect(e.steps[0].script_path).toBeNull()
      expect(e.steps[0].variables_path).toBeNull()
    }
    expect(readdirSync(tempRoot).filter((f) => f.startsWith('stepwise-'))).toEqual(before)
  })
})
