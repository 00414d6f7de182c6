// "Open in VS Code" for a step a debug-mode run kept: the script opens at the line, and a launch.json beside
// it runs the script as the run did (interpreter, arguments, working folder); other steps' entries stay.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createRequestHandlers, dispatchRequest, type RequestHandlers } from '../src/main/services/request-handlers'
import type { Store } from '../src/main/services/store'
import type { WorkflowRunner } from '../src/main/services/engine'
import { PYTHON } from './helpers/python'
import { fakePlatform } from './helpers/platform'
import { emit, openRealServices, py, step, workflow } from './helpers/workflows'

let dir: string
let store: Store
let runner: WorkflowRunner
let handlers: RequestHandlers
const opened: { path: string; line: number }[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-vscode-'))
  ;({ store, runner } = openRealServices(dir))
  opened.length = 0
  handlers = createRequestHandlers({
    store,
    runner,
    platform: fakePlatform({
      openInEditor: async (path, line) => (opened.push({ path, line }), 'VS Code')
    })
  })
})
afterEach(() => {
  runner.dispose()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

it('writes a launch.json that runs each kept step as the run did, and opens the script at the line', async () => {
  const wf = store.saveWorkflow(
    workflow('Kept', [step(0, 'Fetch', py(emit('{"a": 1}'))), step(1, 'Save 보고서', py(emit('{"b": 2}')))], { working_directory: dir })
  )
  const run = await runner.start(wf.id, { python: PYTHON, debug: true })
  const execution = await run.done
  const [first, second] = execution.steps

  const a = await dispatchRequest(handlers, 'debug:openInVsCode', { execution_id: execution.id, step_id: first!.step_id, line: 3 })
  const b = await dispatchRequest(handlers, 'debug:openInVsCode', { execution_id: execution.id, step_id: second!.step_id })
  expect(a.ok && b.ok).toBe(true)
  expect(opened).toEqual([
    { path: first!.script_path, line: 3 },
    { path: second!.script_path, line: 1 }
  ])
  const launchPath = join(dirname(first!.script_path!), '.vscode', 'launch.json')
  const launch = JSON.parse(readFileSync(launchPath, 'utf8')) as { configurations: Record<string, unknown>[] }
  expect(launch.configurations).toHaveLength(2)
  expect(launch.configurations[1]).toEqual({
    name: expect.stringContaining('Save'),
    type: 'debugpy',
    request: 'launch',
    program: second!.script_path,
    args: ['--variables-file', second!.variables_path],
    cwd: dir,
    python: execution.python_path,
    console: 'integratedTerminal',
    justMyCode: true
  })

  // A run without kept files has nothing to open.
  const plain = await (await runner.start(wf.id, { python: PYTHON, debug: false })).done
  const refused = await dispatchRequest(handlers, 'debug:openInVsCode', { execution_id: plain.id, step_id: plain.steps[0]!.step_id })
  expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('debug mode') } })
})
