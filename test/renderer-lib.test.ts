// The renderer's pure helpers: traceback reading, variable suggestions, event batching, formats, api.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, call, setTransport } from '../src/renderer/src/api'
import { createEventBatcher, type RunEvent, type Scheduler } from '../src/renderer/src/lib/event-batcher'
import { formatDuration } from '../src/renderer/src/lib/format'
import { rerunCommand } from '../src/shared/rerun-command'
import { parseVariablesText } from '../src/renderer/src/lib/json-text'
import { undefinedInputs, variableFlows, variablesBefore } from '../src/renderer/src/lib/mapping-suggestions'
import { lastScriptLine, scriptFrameOf, summarizeError, tracebackFrames } from '../src/renderer/src/lib/traceback'
import type { Step } from '../src/shared/model'
import type { StepwiseApi } from '../src/shared/ipc-contract'

const TRACEBACK = `Script failed with exit code 1:
averaging [3, 5, 8]
Traceback (most recent call last):
  File "C:\\Users\\민수\\AppData\\Local\\Temp\\stepwise-1a2b\\step_1_Summarize.py", line 19, in <module>
    print(json.dumps({"average": average(variables["numbers"])}))
  File "C:\\Python312\\Lib\\json\\__init__.py", line 231, in dumps
    return _default_encoder.encode(obj)
  File "C:\\Users\\민수\\AppData\\Local\\Temp\\stepwise-1a2b\\step_1_Summarize.py", line 15, in average
    return sum(numbers) / (len(numbers) - 3)
           ~~~~~~~~~~~~~^~~~~~~~~~~~~~~~~~~
ZeroDivisionError: division by zero`

describe('traceback', () => {
  it('finds only the frames in the failing step’s own script, on Windows and POSIX paths', () => {
    expect(tracebackFrames(TRACEBACK, 0).map((f) => f.line)).toEqual([19, 15])
    expect(tracebackFrames(TRACEBACK, 2)).toEqual([])
    expect(scriptFrameOf('  File "/tmp/stepwise-x/step_12_매출_정리.py", line 7, in main', 11)).toBe(7)
    expect(scriptFrameOf('  File "/tmp/stepwise-x/step_12_x.py", line 7', 1)).toBeNull()
    // A run recorded before kept files were numbered from 1 still jumps to its line.
    expect(scriptFrameOf('  File "/tmp/stepwise-x/step_11_매출_정리.py", line 7, in main', 11)).toBe(7)
    expect(scriptFrameOf('  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode', 0)).toBeNull()
    expect(lastScriptLine(TRACEBACK, 0)).toBe(15)
  })

  it('summarizes the error: headline, exception, frames with their code', () => {
    const s = summarizeError(TRACEBACK, 0)
    expect(s.headline).toBe('Script failed with exit code 1')
    expect(s.exception).toBe('ZeroDivisionError: division by zero')
    expect(s.frames).toEqual([
      { line: 19, func: '<module>', code: 'print(json.dumps({"average": average(variables["numbers"])}))' },
      { line: 15, func: 'average', code: 'return sum(numbers) / (len(numbers) - 3)' }
    ])
    const timeout = summarizeError('Timed out after 5 s; the script and every process it started were stopped.', 0)
    expect(timeout).toEqual({
      headline: 'Timed out after 5 s; the script and every process it started were stopped.',
      exception: null,
      frames: []
    })
  })
})

const step = (id: string, order: number, input: Record<string, string>, output: Record<string, string>): Step => ({
  id,
  order,
  name: id,
  step_type: 'PYTHON_SCRIPT',
  code: '',
  description: '',
  input_mapping: input,
  output_mapping: output,
  timeout_seconds: null,
  depends_on: null,
  retry: null,
  continue_on_error: false
})

describe('mapping suggestions', () => {
  const steps = [
    step('fetch', 0, {}, { sales: 'rows' }),
    step('sum', 1, { numbers: 'sales' }, { total: 'total' }),
    step('save', 2, { value: 'total', who: 'user' }, {})
  ]

  it('offers the initial variables and those set by earlier steps, with where they come from', () => {
    expect(variablesBefore(steps, 0, { user: 'kim' })).toEqual([{ name: 'user', stepId: null, stepName: null }])
    expect(variablesBefore(steps, 2, { user: 'kim' }).map((v) => [v.name, v.stepName])).toEqual([
      ['sales', 'fetch'],
      ['total', 'sum'],
      ['user', null]
    ])
  })

  it('flags input names no earlier step defines', () => {
    expect(undefinedInputs(steps, 2, {})).toEqual(['user'])
    expect(undefinedInputs(steps, 2, { user: 1 })).toEqual([])
    expect(undefinedInputs(steps, 1, {})).toEqual([])
  })

  it('links each input to the step it reads from', () => {
    expect(variableFlows(steps, { user: 1 })).toEqual([
      { from: 'fetch', to: 'sum', variable: 'sales', alias: 'numbers' },
      { from: 'sum', to: 'save', variable: 'total', alias: 'value' },
      { from: null, to: 'save', variable: 'user', alias: 'who' }
    ])
  })
})

describe('event batcher', () => {
  it('applies all events of a frame at once, in order', () => {
    const frames: (() => void)[] = []
    const scheduler: Scheduler = { frame: (cb) => (frames.push(cb), () => undefined), fallbackMs: 0 }
    const apply = vi.fn()
    const b = createEventBatcher(apply, scheduler)
    const log = (n: number): RunEvent => ({ channel: 'run:log', payload: { execution_id: 'e', step_id: 's', lines: [`${n}`] } })
    for (let i = 0; i < 500; i++) b.push(log(i))
    expect(frames).toHaveLength(1)
    expect(apply).not.toHaveBeenCalled()
    frames[0]()
    expect(apply).toHaveBeenCalledTimes(1)
    expect(apply.mock.calls[0][0]).toHaveLength(500)
    b.push(log(500))
    expect(frames).toHaveLength(2)
  })
})

describe('formats and JSON text', () => {
  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('–')
    expect(formatDuration(317)).toBe('317 ms')
    expect(formatDuration(3200)).toBe('3.2 s')
    expect(formatDuration(75_000)).toBe('1m 15s')
  })

  it('the re-run command runs in PowerShell on Windows: the call operator first, paths taken literally', () => {
    expect(rerunCommand('C:\\Program Files\\Python312\\python.exe', 'C:\\Temp\\step_0_가.py', 'C:\\Temp\\step_0_가.json', 'win32')).toBe(
      "& 'C:\\Program Files\\Python312\\python.exe' 'C:\\Temp\\step_0_가.py' --variables-file 'C:\\Temp\\step_0_가.json'"
    )
    // $ and ` mean nothing inside single quotes; a quote in a path is doubled, typographic ones too.
    expect(rerunCommand('C:\\py\\python.exe', "C:\\Users\\O'Brien\\$x`y\\s.py", 'C:\\T\\it\u2019s.json', 'win32')).toBe(
      "& 'C:\\py\\python.exe' 'C:\\Users\\O''Brien\\$x`y\\s.py' --variables-file 'C:\\T\\it\u2019\u2019s.json'"
    )
  })

  it('the re-run command for POSIX shells single-quotes each path, so $ and spaces stay as they are', () => {
    expect(rerunCommand('/usr/bin/python3', '/tmp/my $HOME/step_0_가.py', "/tmp/it's/step_0_가.json", 'linux')).toBe(
      "'/usr/bin/python3' '/tmp/my $HOME/step_0_가.py' --variables-file '/tmp/it'\\''s/step_0_가.json'"
    )
    expect(rerunCommand('/opt/py/bin/python', '/t/a.py', '/t/a.json', 'darwin')).toBe(
      "'/opt/py/bin/python' '/t/a.py' --variables-file '/t/a.json'"
    )
    // Before app:info has answered, the interpreter's path tells the platform.
    expect(rerunCommand('C:\\py\\python.exe', 'C:\\t\\a.py', 'C:\\t\\a.json')).toMatch(/^& 'C:/)
    expect(rerunCommand('/usr/bin/python3', '/t/a.py', '/t/a.json', null)).toMatch(/^'\/usr/)
  })

  it('the re-run command changes into the working folder first, quoted like the paths', () => {
    expect(rerunCommand('C:\\py\\python.exe', 'C:\\t\\a.py', 'C:\\t\\a.json', 'win32', "C:\\Users\\민수\\O'Brien $x")).toBe(
      "cd -LiteralPath 'C:\\Users\\민수\\O''Brien $x' -ErrorAction Stop; & 'C:\\py\\python.exe' 'C:\\t\\a.py' --variables-file 'C:\\t\\a.json'"
    )
    expect(rerunCommand('/usr/bin/python3', '/t/a.py', '/t/a.json', 'linux', "/home/me/it's $HOME")).toBe(
      "cd '/home/me/it'\\''s $HOME' && '/usr/bin/python3' '/t/a.py' --variables-file '/t/a.json'"
    )
  })

  it('accepts only a JSON object as initial variables', () => {
    expect(parseVariablesText('')).toEqual({ ok: true, value: {} })
    expect(parseVariablesText('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } })
    expect(parseVariablesText('[1]')).toEqual({ ok: false, error: 'not-object' })
    expect(parseVariablesText('{a:1}').ok).toBe(false)
  })
})

describe('api', () => {
  afterEach(() => setTransport(null))

  it('unwraps results and turns errors into ApiError with main’s message', async () => {
    const invoke = vi.fn(async (channel: string) =>
      channel === 'workflows:list' ? { ok: true, value: [] } : { ok: false, error: { code: 'NOT_FOUND', message: 'No workflow "x".' } }
    )
    setTransport({ invoke, on: () => () => undefined } as unknown as StepwiseApi)
    await expect(call('workflows:list', {})).resolves.toEqual([])
    const err = await call('workflows:get', { id: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'No workflow "x".', channel: 'workflows:get' })
  })

  it('reports a broken connection as an ApiError too', async () => {
    setTransport({ invoke: async () => Promise.reject(new Error('socket closed')), on: () => () => undefined } as unknown as StepwiseApi)
    await expect(call('app:info', {})).rejects.toMatchObject({ name: 'ApiError', code: 'INTERNAL', message: 'socket closed' })
  })
})
