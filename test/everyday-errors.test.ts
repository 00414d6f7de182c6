// The refusals a new user meets, as the window receives them: each carries a code and its parameters for
// the window to translate, while the message stays English for the CLI; and an import never makes a
// second workflow with the same name.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRequestHandlers, dispatchRequest, importWorkflowFile, type RequestHandlers } from '../src/main/services/request-handlers'
import { openServices, type Services } from '../src/main/services/services'
import type { IpcResult } from '../src/shared/ipc-contract'
import { uniqueName } from '../src/shared/unique-name'
import { PYTHON } from './helpers/python'
import { fakePlatform } from './helpers/platform'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, EXAMPLE_PATH, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

let dir: string
let services: Services
let handlers: RequestHandlers
let picked: string | null = null
beforeEach(() => {
  dir = makeTempDir('stepwise-everyday-')
  services = openServices({ dbPath: join(dir, 'db.sqlite'), tempRoot: dir })
  services.store.updateSettings({ python_path: PYTHON })
  handlers = createRequestHandlers({
    store: services.store,
    runner: services.runner,
    platform: fakePlatform({
      locale: () => 'ko-KR',
      pickOpenFile: async () => picked,
      pickFolder: async () => dir
    })
  })
})
afterEach(() => services.close())

const call = (channel: string, params: unknown) => dispatchRequest(handlers, channel, params)
const refusal = (r: IpcResult<unknown>) => {
  if (r.ok) throw new Error('expected a refusal')
  return r.error
}

describe('errors with a code the window translates', () => {
  it('a missing working folder names the folder; the English message stays for the CLI', async () => {
    const missing = join(dir, '보고서', 'missing')
    const wf = services.store.saveWorkflow(workflow('Daily', [step(0, 'A', py(emit('{}')))], { working_directory: missing }))
    const error = refusal(await call('runs:start', { workflow_id: wf.id }))
    expect(error).toMatchObject({ code: 'INVALID_INPUT', key: 'workingFolderMissing', params: { folder: missing } })
    expect(error.message).toMatch(/does not exist\. Create it or choose another one\./)
  })

  it('a workflow without steps, and one that is not there', async () => {
    const wf = services.store.saveWorkflow(workflow('Empty', []))
    expect(refusal(await call('runs:start', { workflow_id: wf.id }))).toMatchObject({ key: 'noSteps', params: { workflow: 'Empty' } })
    expect(refusal(await call('workflows:get', { id: 'gone' }))).toMatchObject({ code: 'NOT_FOUND', key: 'workflowNotFound' })
    expect(refusal(await call('executions:get', { id: 'gone' }))).toMatchObject({ code: 'NOT_FOUND', key: 'executionNotFound' })
  })

  it('a chosen Python that is not there', async () => {
    const wf = services.store.saveWorkflow(
      workflow('P', [step(0, 'A', py(emit('{}')))], { working_directory: dir, python_path: join(dir, 'nope', 'python') })
    )
    expect(refusal(await call('runs:start', { workflow_id: wf.id }))).toMatchObject({
      code: 'NO_PYTHON',
      key: 'pythonChosenMissing',
      params: { path: join(dir, 'nope', 'python') }
    })
  })

  it('run-control refusals: resume of a succeeded run, a partial run with no successful run yet, already running', async () => {
    const wf = services.store.saveWorkflow(
      workflow('R', [step(0, 'A', py('time.sleep(float(variables.get("wait", 0)))', emit('{"ok": 1}'))), step(1, 'B', py(emit('{}')))], {
        working_directory: dir
      })
    )
    expect(refusal(await call('runs:start', { workflow_id: wf.id, only_step: 'B' }))).toMatchObject({
      key: 'noSuccessfulRun',
      params: { workflow: 'R', step: 'B' }
    })
    const first = await services.runner.start(wf.id)
    await first.done
    expect(refusal(await call('runs:resume', { execution_id: first.executionId }))).toMatchObject({
      key: 'nothingToResume',
      params: { id: first.executionId.slice(0, 8) }
    })
    const slow = await services.runner.start(wf.id, { variables: { wait: 3 } })
    expect(refusal(await call('runs:start', { workflow_id: wf.id }))).toMatchObject({ key: 'alreadyRunning', params: { workflow: 'R' } })
    services.runner.stop(slow.executionId)
    await slow.done
  })

  it('an invalid workflow file: the sentence is translated, its problem lines come as detail', async () => {
    picked = join(dir, 'bad.stepwise.json')
    writeFileSync(picked, JSON.stringify({ name: 'Bad', steps: [{ name: 'A', order: 'first' }] }))
    const error = refusal(await call('workflows:import', {}))
    expect(error).toMatchObject({ code: 'INVALID_INPUT', key: 'invalidWorkflowFile', params: { file: picked } })
    expect(error.detail).toMatch(/steps\[0\]/)
  })
})

describe('importing a workflow whose name exists', () => {
  it('gives "name (2)", then "name (3)", never two identical names', async () => {
    const first = await importWorkflowFile(services.store, EXAMPLE_PATH)
    const second = await importWorkflowFile(services.store, EXAMPLE_PATH)
    const third = await importWorkflowFile(services.store, EXAMPLE_PATH)
    expect([second.name, third.name]).toEqual([`${first.name} (2)`, `${first.name} (3)`])
    const names = services.store.listWorkflows().map((w) => w.name)
    expect(new Set(names).size).toBe(names.length)
  })

  it('counts on from a numbered name, ignores case and keeps within the name limit', () => {
    expect(uniqueName('Report', [])).toBe('Report')
    expect(uniqueName('Report (2)', ['report', 'Report (2)'])).toBe('Report (3)')
    expect(uniqueName('일일 보고서', ['일일 보고서', '일일 보고서 (2)'])).toBe('일일 보고서 (3)')
    expect(uniqueName('x'.repeat(200), ['x'.repeat(200)])).toHaveLength(200)
  })
})
