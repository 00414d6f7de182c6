// The step executor on real Python: one script, its variables file, its pipes, its exit code, its process tree.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { parseOutput, runPythonStep, type StepRunRequest } from '../src/main/services/engine'
import { parseJsonText } from '../src/shared/json-text'
import { PYTHON } from './helpers/python'
import { stepRequest } from './helpers/step-request'
import { isRunning, killQuietly, readPids, waitFor } from './helpers/processes'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, hangWithChild, shownOutput } from './helpers/workflows'

const root = makeTempDir('stepwise-executor-')
const leftovers: number[] = []
afterEach(() => killQuietly(leftovers.splice(0)))
afterAll(cleanupTempDirs)

const request = (code: string, extra: Partial<StepRunRequest> = {}): StepRunRequest => stepRequest(root, code, extra)

describe('runPythonStep', () => {
  it('passes the variables in a file, takes stdout JSON as the output and stderr as the logs', async () => {
    const lines: string[] = []
    const req = request(
      py(
        'print("reading " + ",".join(sorted(variables)), file=sys.stderr)',
        'print("second line", file=sys.stderr)',
        emit('{"sum": variables["a"] + variables["b"], "cwd": os.getcwd(), "argv": sys.argv}')
      ),
      { variables: { a: 2, b: 40 }, onLog: (l) => lines.push(l) }
    )
    const r = await runPythonStep(req)
    expect(r.status).toBe('SUCCESS')
    expect(r.exitCode).toBe(0)
    expect(r.error).toBeNull()
    const out = shownOutput(r) as Record<string, unknown>
    expect(out.sum).toBe(42)
    expect(realpathSync(out.cwd as string)).toBe(realpathSync(req.workingDirectory))
    expect(out.argv).toEqual([join(req.tempDir, 'step_0_Test.py'), '--variables-file', join(req.tempDir, 'step_0_Test.json')])
    expect(r.stderr).toBe('reading a,b\nsecond line\n')
    expect(lines).toEqual(['reading a,b', 'second line'])
    // Normal mode: nothing of the step is left in its temp folder.
    expect(r.scriptPath).toBeNull()
    expect(r.variablesPath).toBeNull()
    expect(readdirSync(req.tempDir)).toEqual([])
  })

  it('takes stdout that is not JSON as {"result": text stripped}', async () => {
    const r = await runPythonStep(request(py('print("  hello, 세계  ")', 'print("not json either")')))
    expect(r.status).toBe('SUCCESS')
    expect(shownOutput(r)).toEqual({ result: 'hello, 세계  \nnot json either' })
    const empty = await runPythonStep(request(py('pass')))
    expect(shownOutput(empty)).toEqual({ result: '' })
    expect(parseJsonText(parseOutput('  {"a": 1}\n').text)).toEqual({ a: 1 })
    expect(parseJsonText(parseOutput('{"a": 1}\n{"b": 2}\n').text)).toEqual({ result: '{"a": 1}\n{"b": 2}' })
  })

  it('a non-zero exit fails the step with the exit code and the end of stderr', async () => {
    const r = await runPythonStep(
      request(
        py(
          'for i in range(2000): print("noise line %d" % i, file=sys.stderr)',
          'print("Error: the input file is missing", file=sys.stderr)',
          emit('{"status": "error"}'),
          'sys.exit(3)'
        )
      )
    )
    expect(r.status).toBe('FAILED')
    expect(r.exitCode).toBe(3)
    expect(r.error).toMatch(/^Script failed with exit code 3:/)
    expect(r.error).toContain('Error: the input file is missing')
    // Only the end of a long stderr goes into the message; all of it stays in the logs.
    expect(r.error).not.toContain('noise line 0\n')
    expect(r.error!.length).toBeLessThan(4200)
    expect(r.stderr).toContain('noise line 0\n')
    expect(shownOutput(r)).toEqual({ status: 'error' })
  })

  it('an uncaught exception fails the step with the traceback in the error', async () => {
    const r = await runPythonStep(request(py('raise ValueError("잘못된 값")')))
    expect(r.status).toBe('FAILED')
    expect(r.exitCode).toBe(1)
    expect(r.error).toContain('ValueError: 잘못된 값')
    expect(shownOutput(r)).toBeNull()
  })

  it('an interpreter that does not exist fails the step with a message naming it', async () => {
    const r = await runPythonStep(request(py(emit('{}')), { python: join(root, 'no-such-python') }))
    expect(r.status).toBe('FAILED')
    expect(r.exitCode).toBeNull()
    expect(r.error).toContain('Could not start Python')
    expect(r.error).toContain('no-such-python')
  })

  it('a timeout ends the script and the child it started, keeping the logs written before it', async () => {
    const pidfile = join(root, 'timeout-child.pid')
    const req = request(
      py(
        'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])',
        'with open(variables["pidfile"], "w") as f: f.write("%d %d" % (os.getpid(), child.pid))',
        'print("started child %d" % child.pid, file=sys.stderr, flush=True)',
        'time.sleep(60)'
      ),
      { variables: { pidfile }, timeoutMs: 1000 }
    )
    const t0 = Date.now()
    const pending = runPythonStep(req)
    const [script, child] = await readPids(pidfile, 2)
    leftovers.push(script, child)
    expect(isRunning(child)).toBe(true)
    const r = await pending
    expect(Date.now() - t0).toBeLessThan(6000)
    expect(r.status).toBe('TIMED_OUT')
    expect(r.error).toContain('Timed out after 1 s')
    expect(r.stderr).toContain(`started child ${child}`)
    expect(await waitFor(() => !isRunning(child) && !isRunning(script), 3000)).toBe(true)
  })

  it.skipIf(process.platform === 'win32')('an AbortSignal cancels the step and ends its whole process tree', async () => {
    const pidfile = join(root, 'abort-child.pid')
    const abort = new AbortController()
    const pending = runPythonStep(
      request(hangWithChild('variables["pidfile"]', 'working'), { variables: { pidfile }, signal: abort.signal })
    )
    const [script, child] = await readPids(pidfile, 2)
    leftovers.push(script, child)
    abort.abort()
    const r = await pending
    expect(r.status).toBe('CANCELLED')
    expect(r.error).toBe('Stopped by the user.')
    expect(r.stderr).toContain('working')
    expect(await waitFor(() => !isRunning(child) && !isRunning(script), 3000)).toBe(true)
  })

  it('a step whose signal is already aborted never starts', async () => {
    const marker = join(root, 'never-started.txt')
    const abort = new AbortController()
    abort.abort()
    const r = await runPythonStep(request(py(`open(${JSON.stringify(marker)}, "w").close()`), { signal: abort.signal }))
    expect(r.status).toBe('CANCELLED')
    expect(existsSync(marker)).toBe(false)
  })

  it('does not wait for a background process that keeps the pipes open after the script exited', async () => {
    const pidfile = join(root, 'background.pid')
    const t0 = Date.now()
    const r = await runPythonStep(
      request(
        py(
          'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])',
          'with open(variables["pidfile"], "w") as f: f.write(str(child.pid))',
          emit('{"done": True}')
        ),
        { variables: { pidfile } }
      )
    )
    leftovers.push(...(await readPids(pidfile)))
    expect(r.status).toBe('SUCCESS')
    expect(shownOutput(r)).toEqual({ done: true })
    expect(Date.now() - t0).toBeLessThan(5000)
  })

  it('debug mode keeps the script and the variables file under the step name', async () => {
    const req = request(py(emit('{"x": variables["x"]}')), { variables: { x: '값' }, debug: true, fileStem: 'step_2_보고서_저장' })
    const r = await runPythonStep(req)
    expect(r.scriptPath).toBe(join(req.tempDir, 'step_2_보고서_저장.py'))
    expect(r.variablesPath).toBe(join(req.tempDir, 'step_2_보고서_저장.json'))
    expect(readFileSync(r.scriptPath!, 'utf8')).toBe(req.code)
    expect(JSON.parse(readFileSync(r.variablesPath!, 'utf8'))).toEqual({ x: '값' })
    // Run by hand, exactly as the step ran: the same stdout, byte for byte.
    const byHand = spawnSync(PYTHON, [r.scriptPath!, '--variables-file', r.variablesPath!], { cwd: req.workingDirectory, encoding: 'utf8' })
    expect(byHand.status).toBe(0)
    expect(byHand.stdout).toBe(r.stdout)
    expect(r.stdout).toBe('{"x": "값"}\n')
  })
})
