// The step debugger with real Python: the bootstrap's protocol, stepping, variables, post-mortem, a step
// that behaves as in a real run, and Stop ending the whole tree.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DebugEvent } from '../src/shared/debugger'
import { DebugService } from '../src/main/services/debugger'
import { DebugChannel } from '../src/main/services/debugger/channel'
import { SecretStore } from '../src/main/services/secrets'
import type { Store } from '../src/main/services/store'
import type { WorkflowRunner } from '../src/main/services/engine'
import { isRunning, readPids, waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { emit, openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

let dir: string
let store: Store
let runner: WorkflowRunner
let debug: DebugService
let events: DebugEvent[]
let logged: string[]

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-debugger-'))
  const services = openRealServices(dir)
  store = services.store
  runner = services.runner
  logged = []
  debug = new DebugService(store, { tempRoot: services.tempRoot, log: (line) => logged.push(line) })
  events = []
  debug.on((e) => events.push(e))
})

afterEach(async () => {
  await debug.stopAll()
  runner.dispose()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

function save(code: string, variables: Record<string, string | number> = {}) {
  return store.saveWorkflow(workflow('Debugged', [step(0, 'Work', code)], { python_path: PYTHON, working_directory: dir, variables }))
}

/** The next event of this kind after the `seen` first events; its index is returned too. */
async function next<K extends DebugEvent['kind']>(kind: K, after = 0): Promise<Extract<DebugEvent, { kind: K }> & { index: number }> {
  let index = -1
  await waitFor(() => (index = events.findIndex((e, i) => i >= after && e.kind === kind)) >= 0, 20_000)
  if (index < 0) throw new Error(`no ${kind} event; got ${events.map((e) => e.kind).join(', ')}`)
  return { ...(events[index] as Extract<DebugEvent, { kind: K }>), index }
}

const output = () =>
  events
    .filter((e): e is Extract<DebugEvent, { kind: 'output' }> => e.kind === 'output')
    .flatMap((e) => e.lines)
    .join('\n')

const SCRIPT = py(
  'def double(a):',
  '    b = a * 2',
  '',
  '    return b',
  'total = double(variables.get("n", 1))',
  'label = "done"',
  emit('{"total": total, "label": label}')
)
// Line numbers in SCRIPT: the prelude is 5 lines, so `def` is 6, `b = ...` 7, blank 8, `return` 9,
// `total = ...` 10, `label = ...` 11, the print 12.

describe('step debugger', () => {
  it('stops at a breakpoint, reads a local, steps over, evaluates, and ends with the output of a normal run', async () => {
    const wf = save(SCRIPT, { n: 21 })
    const started = await debug.start({
      workflowId: wf.id,
      stepId: 'step-0',
      breakpoints: [{ line: 8 }, { line: 10 }, { line: 500 }, { line: 11, condition: 'not a (valid' }]
    })
    expect(started.breakpoints[0]).toMatchObject({ line: 8, verified: true, actual_line: 9 })
    expect(started.breakpoints[0]!.message).toContain('moved to line 9')
    expect(started.breakpoints[1]).toMatchObject({ line: 10, verified: true, actual_line: 10 })
    expect(started.breakpoints[2]).toMatchObject({ verified: false })
    expect(started.breakpoints[2]!.message).toMatch(/has \d+ lines/)
    expect(started.breakpoints[3]).toMatchObject({ verified: false })

    const first = await next('stopped')
    expect(first).toMatchObject({ reason: 'breakpoint', line: 10 })
    // Only the script's frame: nothing of the bootstrap or bdb.
    expect(first.frames.map((f) => f.name)).toEqual(['<module>'])
    expect(first.frames[0]!.file).toMatch(/step_1_Work\.py$/)
    const session = debug.session(started.session_id)

    await session.command('continue')
    const inside = await next('stopped', first.index + 1)
    expect(inside).toMatchObject({ reason: 'breakpoint', line: 9 })
    expect(inside.frames.map((f) => f.name)).toEqual(['double', '<module>'])
    const [locals] = (await session.variables({ frame_id: 0 })).variables
    const children = await session.variables({ ref: locals!.ref })
    expect(children.variables.find((v) => v.name === 'b')).toMatchObject({ value: '42', type: 'int' })
    expect(await session.evaluate(0, 'a + b')).toMatchObject({ result: { value: '63' } })
    // An expression that raises is an answer; the session goes on.
    expect(await session.evaluate(0, 'a / 0')).toEqual({ error: 'ZeroDivisionError: division by zero' })
    expect(await session.evaluate(0, 'import sys; sys.exit(4)')).toMatchObject({ error: expect.stringContaining('SystemExit') })

    await session.command('next')
    const back = await next('stopped', inside.index + 1)
    expect(back).toMatchObject({ reason: 'step', line: 11 })
    await session.command('continue')
    const exited = await next('exited')
    expect(exited).toMatchObject({ status: 'SUCCESS', exit_code: 0, output: { total: 42, label: 'done' } })

    const normal = await saveAndRun({ store, runner }, workflow('Normal', [step(0, 'Work', SCRIPT)], { variables: { n: 21 } }))
    expect(normal.steps[0]!.output).toEqual(exited.output)
  })

  it('steps into a function and out of it again', async () => {
    const wf = save(SCRIPT)
    const started = await debug.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [{ line: 10 }] })
    const first = await next('stopped')
    const session = debug.session(started.session_id)
    await session.command('stepIn')
    const into = await next('stopped', first.index + 1)
    expect(into).toMatchObject({ reason: 'step', line: 7 })
    expect(into.frames[0]!.name).toBe('double')
    await session.command('stepOut')
    const out = await next('stopped', into.index + 1)
    expect(out.frames.map((f) => f.name)).toEqual(['<module>'])
    expect(out.line).toBe(11)
    await session.command('continue')
    expect(await next('exited')).toMatchObject({ status: 'SUCCESS' })
  })

  it('pauses a step busy in a loop of its own, at the line it was running', async () => {
    const marker = join(dir, 'spinning')
    const wf = save(py('def spin():', `    open(${JSON.stringify(marker)}, "w").close()`, '    while True:', '        pass', 'spin()'))
    const started = await debug.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [] })
    const session = debug.session(started.session_id)
    await waitFor(() => existsSync(marker), 10_000)
    await session.command('pause')
    const paused = await next('stopped')
    expect(paused.reason).toBe('pause')
    expect([8, 9]).toContain(paused.line)
    expect(paused.frames.map((f) => f.name)).toEqual(['spin', '<module>'])
    await debug.stop(started.session_id)
    expect(await next('exited')).toMatchObject({ status: 'CANCELLED' })
  })

  it('keeps the variables of a huge list paged and their reprs short', async () => {
    const wf = save(py('big = list(range(6_000_000))', 'text = "x" * 5_000_000', 'pass', emit('len(big)')))
    const started = await debug.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [{ line: 8 }] })
    await next('stopped')
    const session = debug.session(started.session_id)
    const [locals] = (await session.variables({ frame_id: 0 })).variables
    const vars = (await session.variables({ ref: locals!.ref })).variables
    const big = vars.find((v) => v.name === 'big')!
    expect(big).toMatchObject({ type: 'list', count: 6_000_000 })
    expect(big.value.length).toBeLessThanOrEqual(500)
    expect(vars.find((v) => v.name === 'text')!.value.length).toBeLessThanOrEqual(500)
    const page = await session.variables({ ref: big.ref, start: 5_999_998, count: 100 })
    expect(page.total).toBe(6_000_000)
    expect(page.variables.map((v) => [v.name, v.value])).toEqual([
      ['[5999998]', '5999998'],
      ['[5999999]', '5999999']
    ])
    await session.command('continue')
    expect(await next('exited')).toMatchObject({ status: 'SUCCESS', output: 6_000_000 })
  })

  it('stops post-mortem at the raising line with its locals, then fails as a real run does', async () => {
    const code = py(
      'def parse(row):',
      '    value = row["amount"]',
      '    return int(value)',
      'rows = [{"amount": "7"}, {"amount": "x"}]',
      'print(sum(parse(r) for r in rows))'
    )
    const wf = save(code)
    const started = await debug.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [] })
    const stopped = await next('stopped')
    expect(stopped).toMatchObject({ reason: 'exception', line: 8 })
    expect(stopped.exception).toContain("ValueError: invalid literal for int() with base 10: 'x'")
    expect(stopped.frames[stopped.frame_id]!.name).toBe('parse')
    expect(stopped.frames.every((f) => !/bootstrap|bdb\.py/.test(f.file))).toBe(true)
    const session = debug.session(started.session_id)
    const [locals] = (await session.variables({ frame_id: stopped.frame_id })).variables
    const names = (await session.variables({ ref: locals!.ref })).variables.map((v) => [v.name, v.value])
    expect(names).toContainEqual(['value', "'x'"])
    await session.command('continue')
    const exited = await next('exited')
    expect(exited).toMatchObject({ status: 'FAILED', exit_code: 1 })
    expect(exited.error).toContain('ValueError')
    expect(output()).toContain('line 8, in parse')
    expect(output()).not.toMatch(/bootstrap|bdb\.py/)
  })

  it('runs the script as a real run does: argv, __file__, path, stdin, chdir, children and sys.exit', async () => {
    const sub = join(dir, 'sub')
    const code = py(
      'import os',
      'child = subprocess.run([sys.executable, "-c", "import os; print(os.environ.get(\'STEPWISE_DEBUG_TOKEN\'))"], capture_output=True, text=True)',
      'os.makedirs("sub", exist_ok=True); os.chdir("sub")',
      'print(json.dumps({"argv": sys.argv[1:], "file": __file__ == sys.argv[0], "main": __name__, "path0": sys.path[0] == os.path.dirname(os.path.abspath(sys.argv[0])),',
      '  "stdin": sys.stdin.read() if sys.stdin else None, "cwd": os.getcwd(), "child": child.stdout.strip(), "token": "STEPWISE_DEBUG_TOKEN" in os.environ}))',
      'sys.exit(3)'
    )
    const wf = save(code)
    await debug.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [] })
    const exited = await next('exited')
    expect(exited).toMatchObject({ status: 'FAILED', exit_code: 3 })
    expect(exited.output).toMatchObject({
      argv: ['--variables-file', expect.stringMatching(/step_1_Work\.json$/)],
      file: true,
      main: '__main__',
      path0: true,
      stdin: '',
      cwd: sub,
      child: 'None',
      token: false
    })
  })

  it('uses the variables a past run recorded for the step', async () => {
    const wf = save(py(emit('{"n": variables["n"]}')), { n: 1 })
    const run = await runner.start(wf.id, { python: PYTHON, variables: { n: 99 } })
    await run.done
    await debug.start({ workflowId: wf.id, stepId: 'step-0', executionId: run.executionId, breakpoints: [] })
    expect(await next('exited')).toMatchObject({ status: 'SUCCESS', output: { n: 99 } })
  })

  it("gets the workflow's environment and secrets as a run does, and the window never sees a secret's value", async () => {
    const secrets = new SecretStore(store.path, { env: { STEPWISE_SECRET_KEY: 'debugger-test-key-0123456789' } })
    await secrets.set('TOKEN', 'hunter2-debug-secret')
    const withSecrets = new DebugService(store, { tempRoot: join(dir, 'tmp'), secrets, log: () => undefined })
    withSecrets.on((e) => events.push(e))
    const wf = store.saveWorkflow(
      workflow('Env', [step(0, 'Work', py('token = os.environ["API_TOKEN"]', 'mode = os.environ["MODE"]', emit('{"mode": mode}')))], {
        python_path: PYTHON,
        working_directory: dir,
        env: { API_TOKEN: { secret: 'TOKEN' }, MODE: 'fast' }
      })
    )
    const started = await withSecrets.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [{ line: 8 }] })
    await next('stopped')
    const session = withSecrets.session(started.session_id)
    const [locals] = (await session.variables({ frame_id: 0 })).variables
    const vars = (await session.variables({ ref: locals!.ref })).variables
    expect(vars.find((v) => v.name === 'token')!.value).toBe("'***'")
    expect(vars.find((v) => v.name === 'mode')!.value).toBe("'fast'")
    expect(JSON.stringify(await session.evaluate(0, 'token'))).not.toContain('hunter2')
    await session.command('continue')
    expect(await next('exited')).toMatchObject({ status: 'SUCCESS', output: { mode: 'fast' } })
  })

  it('Stop ends the whole tree, paused or hanging in C code', async () => {
    const pidfile = join(dir, 'pids')
    const code = py(
      'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])',
      `open(${JSON.stringify(pidfile)}, "w").write("%d %d" % (os.getpid(), child.pid))`,
      'time.sleep(60)'
    )
    const wf = save(code)
    const started = await debug.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [] })
    const pids = await readPids(pidfile, 2)
    expect(pids.every(isRunning)).toBe(true)
    expect(await debug.stop(started.session_id)).toBe(true)
    expect(await waitFor(() => !pids.some(isRunning), 5000)).toBe(true)
    expect(await next('exited')).toMatchObject({ status: 'CANCELLED' })

    // Paused at a breakpoint, the window closing (stopAll) ends it too.
    rmSync(pidfile)
    const paused = save(py(`open(${JSON.stringify(pidfile)}, "w").write(str(os.getpid()))`, 'x = 1', emit('x')))
    await debug.start({ workflowId: paused.id, stepId: 'step-0', breakpoints: [{ line: 7 }] })
    const [pid] = await readPids(pidfile, 1)
    await next('stopped')
    await debug.stopAll()
    expect(await waitFor(() => !isRunning(pid!), 5000)).toBe(true)
  })

  it('refuses a connection without the token and messages of the wrong shape, and logs them', async () => {
    const rejected: string[] = []
    const channel = new DebugChannel({ onEvent: () => undefined, onRejected: (why) => rejected.push(why) })
    const port = await channel.listen()
    const intruder = connect(port, '127.0.0.1')
    intruder.write(`${JSON.stringify({ v: 1, seq: 1, type: 'hello', token: 'guess', pid: 1, python: '3' })}\n`)
    await new Promise((r) => intruder.once('close', r))
    expect(rejected[0]).toContain('without this session')
    channel.handle('{"v":1,"seq":2,"type":"event","event":"stopped","body":{"reason":"boom"}}')
    channel.handle('{"v":2,"seq":3,"type":"event","event":"continued","body":{}}')
    channel.handle('not json')
    expect(rejected.slice(1)).toHaveLength(3)
    expect(rejected.slice(1).every((r) => r.startsWith('refused a debugger message'))).toBe(true)
    channel.close()
  })

  it('says why a step cannot be debugged: a script that does not compile', async () => {
    const wf = save('def broken(:\n    pass\n')
    const started = await debug.start({ workflowId: wf.id, stepId: 'step-0', breakpoints: [{ line: 1 }] })
    expect(started.breakpoints[0]).toMatchObject({ verified: false, message: expect.stringContaining('does not compile') })
    expect(await next('exited')).toMatchObject({ status: 'FAILED', exit_code: 1 })
    expect(output()).toContain('SyntaxError')
  })
})
