// Faults of the step executor found in the field, each on real Python: a log burst, the environment a
// step inherits, one enormous log line, processes that escape with setsid, a cut-off output, and the
// Windows bootstrap's parity with `python script.py --variables-file vars.json`.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isRuntimeVariable, stepEnvironment } from '../src/main/services/engine/step-env'
import { LineSplitter } from '../src/main/services/engine/line-splitter'
import { LogRecorder } from '../src/main/services/engine/log-recorder'
import { BOOTSTRAP_FILE_NAME, bootstrapSource, stepArguments } from '../src/main/services/engine/step-command'
import { runPythonStep, type StepRunRequest } from '../src/main/services/engine'
import { isRunning, killQuietly, readPids, waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { stepRequest } from './helpers/step-request'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, saveAndRun, shownOutput, step, workflow } from './helpers/workflows'

let root: string
const leftovers: number[] = []
beforeAll(() => {
  root = makeTempDir('stepwise-faults-')
})
afterEach(() => killQuietly(leftovers.splice(0)))
afterAll(cleanupTempDirs)

const request = (code: string, extra: Partial<StepRunRequest> = {}): StepRunRequest => stepRequest(root, code, extra, 60_000)

describe('a burst of 150,000 log lines in one write', () => {
  it('the live log recorder takes them in one batch on a log already being recorded, without overflowing the stack', () => {
    const { store } = openRealServices(makeTempDir('stepwise-recorder-'))
    try {
      const saved = store.saveWorkflow(workflow('Burst', [step(0, 'Burst', py(emit('{}')))]))
      const executionId = store.createExecution({
        workflow: saved,
        steps: saved.steps,
        initialVariables: new Map(),
        debug: false,
        workingDirectory: root,
        pythonPath: PYTHON
      })
      let sent = 0
      const recorder = new LogRecorder(store, executionId, (_step, lines) => (sent += lines.length))
      recorder.log('step-0', 'starting')
      recorder.flush()
      for (let i = 0; i < 150_000; i++) recorder.log('step-0', `line ${i}`)
      expect(() => recorder.flush()).not.toThrow()
      recorder.close()
      expect(sent).toBe(150_001)
      const logs = store.getExecution(executionId).steps[0].logs
      expect(logs.startsWith('starting\nline 0\nline 1\n')).toBe(true)
      expect(logs.endsWith('[stepwise] (the rest of the log is saved when the step ends)\n')).toBe(true)
    } finally {
      store.close()
    }
  })

  it('through the runner: the run succeeds, the logs are kept, no process is left', async () => {
    const services = openRealServices(makeTempDir('stepwise-burst-'))
    const pidfile = join(root, 'burst.pid')
    const liveLines: number[] = []
    services.runner.on((e) => e.channel === 'run:log' && liveLines.push(e.payload.lines.length))
    const code = py(
      `open(${JSON.stringify(pidfile)}, "w").write(str(os.getpid()))`,
      // A line first, so the burst lands on a log that is already being recorded.
      'print("starting", file=sys.stderr, flush=True)',
      'time.sleep(0.3)',
      "sys.stderr.write(''.join(f'line {i}\\n' for i in range(150000)))",
      'sys.stderr.flush()',
      emit('{"ok": True}')
    )
    try {
      const e = await saveAndRun(services, workflow('Burst', [step(0, 'Burst', code)]), { workingDirectory: root })
      const [pid] = await readPids(pidfile)
      leftovers.push(pid)
      expect(e.status).toBe('SUCCESS')
      const logs = e.steps[0].logs
      expect(logs.startsWith('starting\nline 0\nline 1\n')).toBe(true)
      expect(logs.endsWith('line 149999\n')).toBe(true)
      expect(liveLines.reduce((a, b) => a + b, 0)).toBe(150001)
      expect(await waitFor(() => !isRunning(pid), 2000)).toBe(true)
    } finally {
      services.store.close()
    }
  }, 60_000)
})

describe("the step's environment", () => {
  it('has no variable of Stepwise, Node, Electron, npm or vitest, and keeps the user own', async () => {
    const planted = {
      ELECTRON_RUN_AS_NODE: '1',
      ELECTRON_NO_ATTACH_CONSOLE: '1',
      NODE_OPTIONS: '--max-old-space-size=64',
      npm_config_cache: '/tmp/npm',
      npm_lifecycle_event: 'test',
      STEPWISE_HOME: '/tmp/stepwise-home',
      VITEST_POOL_ID: '1',
      MY_OWN_SETTING: '값',
      HTTPS_PROXY: 'http://proxy.example:8080',
      PYTHONPATH: '/opt/my-python-libs'
    }
    const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]))
    Object.assign(process.env, planted)
    let r
    try {
      r = await runPythonStep(request(py(emit('dict(os.environ)'))))
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
    expect(r.status).toBe('SUCCESS')
    const env = shownOutput(r) as Record<string, string>
    const runtime = Object.keys(env).filter((k) => isRuntimeVariable(k) && k !== 'STEPWISE_STEP_TOKEN')
    expect(runtime).toEqual([])
    expect(Object.keys(env).filter((k) => /^(ELECTRON_|NODE_OPTIONS$|npm_|VITEST)/i.test(k))).toEqual([])
    expect(env.MY_OWN_SETTING).toBe('값')
    expect(env.HTTPS_PROXY).toBe('http://proxy.example:8080')
    expect(env.PYTHONPATH).toBe('/opt/my-python-libs')
    expect(env.PATH).toBe(process.env.PATH)
    expect(env.HOME).toBe(process.env.HOME)
    expect(env.PYTHONIOENCODING).toBe('utf-8')
  })

  it('is decided by one function, case-insensitively as Windows names are', () => {
    const env = stepEnvironment({
      Path: 'C:\\Windows',
      APPDATA: 'C:\\Users\\김\\AppData\\Roaming',
      Electron_Run_As_Node: '1',
      NPM_CONFIG_PREFIX: 'x'
    })
    expect(env).toEqual({
      Path: 'C:\\Windows',
      APPDATA: 'C:\\Users\\김\\AppData\\Roaming',
      PYTHONIOENCODING: 'utf-8',
      PYTHONUNBUFFERED: '1'
    })
  })
})

describe('one enormous log line', () => {
  it('is split in work linear in its size, holding at most the kept part of the line', () => {
    const lines: string[] = []
    const splitter = new LineSplitter((l) => lines.push(l), 1000)
    let maxHeld = 0
    const piece = 'x'.repeat(4096)
    for (let i = 0; i < 5000; i++) {
      splitter.write(piece)
      maxHeld = Math.max(maxHeld, splitter.heldChars)
    }
    splitter.write('\nshort\r\nlast')
    splitter.end()
    expect(maxHeld).toBe(1000)
    // Every character looked at once: 20 MB of chunks, 20 MB of work.
    expect(splitter.scanned).toBe(5000 * 4096 + '\nshort\r\nlast'.length)
    expect(lines).toEqual([
      `${'x'.repeat(1000)} … [stepwise] ${5000 * 4096 - 1000} more characters of this line are in the step's full log`,
      'short',
      'last'
    ])
  })

  it('a 64 MB stderr line through a real step: SUCCESS, the live line and the stored log bounded, the full log kept in debug mode', async () => {
    const lines: string[] = []
    const req = request(
      py(
        "piece = ('0123456789abcdef' * 65536)",
        'for _ in range(64):',
        '    sys.stderr.write(piece)',
        "sys.stderr.write('\\nafter\\n')",
        emit('{"ok": True}')
      ),
      { onLog: (l) => lines.push(l), debug: true }
    )
    const r = await runPythonStep(req)
    expect(r.status).toBe('SUCCESS')
    expect(lines.length).toBe(2)
    expect(lines[0].length).toBeLessThan(70 * 1024)
    expect(lines[1]).toBe('after')
    expect(r.stderr.length).toBeLessThan(1024 * 1024 + 500)
    expect(r.stderr).toContain(`characters of the log omitted here (the full log is in ${join(req.tempDir, 'step_0_Test.log')})`)
    expect(r.stderr.endsWith('0123456789abcdef\nafter\n')).toBe(true)
    const size = spawnSync('wc', ['-c', join(req.tempDir, 'step_0_Test.log')], { encoding: 'utf8' })
      .stdout.trim()
      .split(' ')[0]
    expect(Number(size)).toBe(64 * 1024 * 1024 + '\nafter\n'.length)
  }, 120_000)
})

/** A script that double-forks a daemon with setsid (its parent chain gone at once), writes its pid, then `then`. */
const daemonize = (pidfile: string, ...then: string[]): string =>
  py(
    'pid = os.fork()',
    'if pid == 0:',
    '    os.setsid()',
    '    if os.fork() == 0:',
    '        null = os.open(os.devnull, os.O_RDWR)',
    '        for fd in (0, 1, 2): os.dup2(null, fd)',
    `        open(${JSON.stringify(pidfile)}, "w").write(str(os.getpid()))`,
    '        time.sleep(120)',
    '    os._exit(0)',
    'os.waitpid(pid, 0)',
    `while not os.path.exists(${JSON.stringify(pidfile)}) or not open(${JSON.stringify(pidfile)}).read(): time.sleep(0.02)`,
    ...then
  )

describe.skipIf(process.platform === 'win32')('a process that escaped with setsid and a double fork', () => {
  it('is ended by Stop', async () => {
    const pidfile = join(root, 'daemon-stop.pid')
    const abort = new AbortController()
    const running = runPythonStep(request(daemonize(pidfile, 'time.sleep(60)'), { signal: abort.signal }))
    const [daemon] = await readPids(pidfile)
    leftovers.push(daemon)
    // Let the watch see it once (it polls every half second).
    await new Promise((r) => setTimeout(r, 800))
    abort.abort()
    const r = await running
    expect(r.status).toBe('CANCELLED')
    expect(await waitFor(() => !isRunning(daemon), 3000)).toBe(true)
  }, 30_000)

  it('is ended when the step ends, and the log says so', async () => {
    const pidfile = join(root, 'daemon-end.pid')
    const lines: string[] = []
    const r = await runPythonStep(request(daemonize(pidfile, 'time.sleep(0.8)', emit('{"ok": True}')), { onLog: (l) => lines.push(l) }))
    const [daemon] = await readPids(pidfile)
    leftovers.push(daemon)
    expect(r.status).toBe('SUCCESS')
    expect(await waitFor(() => !isRunning(daemon), 3000)).toBe(true)
    expect(r.notes).toEqual([`[stepwise] ended 1 process(es) the step left running: ${daemon}`])
    expect(lines).toContain(r.notes[0])
  }, 30_000)
})

describe('an output cut off by a process holding the pipe', () => {
  it('fails the step with the reason instead of recording a partial output as SUCCESS', async () => {
    const pidfile = join(root, 'holder.pid')
    const r = await runPythonStep(
      request(
        py(
          'sys.stdout.write(\'{"rows": [1, 2, \')',
          'sys.stdout.flush()',
          // The rest of the output would come from a child, after the script has exited with 0.
          'child = subprocess.Popen([sys.executable, "-c", "import time, sys; time.sleep(5); sys.stdout.write(\'3]}\')"])',
          `open(${JSON.stringify(pidfile)}, "w").write(str(child.pid))`
        )
      )
    )
    leftovers.push(...(await readPids(pidfile)))
    expect(r.exitCode).toBe(0)
    expect(r.status).toBe('FAILED')
    expect(shownOutput(r)).toBeNull()
    expect(r.error).toMatch(/exited with code 0 but its output was cut off: a process it started still held its output open/)
  }, 30_000)
})

describe('the Windows job-object bootstrap', () => {
  it('is what a step runs through on win32, and only there', () => {
    expect(stepArguments('win32', 'C:\\t\\s.py', 'C:\\t\\v.json', 'C:\\t\\b.py')).toEqual([
      'C:\\t\\b.py',
      'C:\\t\\s.py',
      '--variables-file',
      'C:\\t\\v.json'
    ])
    expect(stepArguments('linux', '/t/s.py', '/t/v.json', '/t/b.py')).toEqual(['/t/s.py', '--variables-file', '/t/v.json'])
    expect(stepArguments('darwin', '/t/s.py', '/t/v.json', '/t/b.py')).toEqual(['/t/s.py', '--variables-file', '/t/v.json'])
    expect(bootstrapSource).toContain('JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000')
  })

  it('gives the script the same argv, path, globals, output and traceback as running it directly', async () => {
    const code = py(
      'def fail():',
      '    raise ValueError("broken on purpose")',
      'print("log line", file=sys.stderr)',
      'print(json.dumps({"argv": sys.argv, "path0": sys.path[0], "name": __name__, "file": __file__,',
      '  "spec": repr(__spec__), "package": repr(__package__), "doc": repr(__doc__), "loader": type(__loader__).__name__,',
      '  "main": sorted(k for k in dir(sys.modules["__main__"]) if not k.startswith("__")), "same_main": sys.modules["__main__"].fail is fail}))',
      'sys.stdout.flush()',
      'if variables.get("fail"):',
      '    fail()'
    )
    for (const variables of [{ fail: false }, { fail: true }]) {
      const base = request(code, { variables, debug: true })
      const direct = await runPythonStep(base)
      const viaBootstrap = await runPythonStep({ ...base, platform: 'win32' })
      expect(readdirSync(base.tempDir)).toContain(BOOTSTRAP_FILE_NAME)
      expect(viaBootstrap.exitCode).toBe(direct.exitCode)
      expect(viaBootstrap.stdout).toBe(direct.stdout)
      expect(viaBootstrap.stderr).toBe(direct.stderr)
      expect(viaBootstrap.error).toBe(direct.error)
      expect(viaBootstrap.stderr).not.toContain(BOOTSTRAP_FILE_NAME)
    }
    const last = request(code, { variables: { fail: true }, platform: 'win32' })
    const failed = await runPythonStep(last)
    expect(failed.stderr).toMatch(/Traceback \(most recent call last\):\n {2}File ".*step_0_Test\.py", line \d+, in <module>\n/)
    expect(failed.stderr).toContain('ValueError: broken on purpose')
    expect(JSON.parse(failed.stdout)).toMatchObject({ name: '__main__', same_main: true, spec: 'None', package: 'None' })
  }, 30_000)

  it('keeps a syntax error looking as Python shows it', async () => {
    const base = request('x = (\n')
    const direct = await runPythonStep(base)
    const viaBootstrap = await runPythonStep({ ...base, platform: 'win32' })
    expect(direct.exitCode).toBe(1)
    expect(viaBootstrap.exitCode).toBe(1)
    expect(viaBootstrap.stderr).toBe(direct.stderr)
    expect(existsSync(join(base.tempDir, BOOTSTRAP_FILE_NAME))).toBe(true)
  })
})
