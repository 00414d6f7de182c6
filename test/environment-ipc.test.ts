// What the window gets when a workflow's packages cannot be prepared: runs:start refused with its own error
// code, the reason's kind and the installer log's path; that log read through env:readLog, which serves only
// `.log` files inside the environments folder (never the database, a path climbing out, or a symlink out).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IpcResult, KeptFileText } from '../src/shared/ipc-contract'
import { createRequestHandlers, dispatchRequest, type RequestHandlers } from '../src/main/services/request-handlers'
import type { WorkflowRunner } from '../src/main/services/engine'
import type { Store } from '../src/main/services/store'
import { PYTHON } from './helpers/python'
import { fakePlatform } from './helpers/platform'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { buildWheel } from './helpers/wheel'
import { emit, openRealServices, py, step, workflow } from './helpers/workflows'

let dir: string
let store: Store
let runner: WorkflowRunner
let handlers: RequestHandlers
const call = (channel: string, params: unknown): Promise<IpcResult<unknown>> => dispatchRequest(handlers, channel, params)

beforeAll(() => {
  dir = makeTempDir('stepwise-env-ipc-')
  const wheels = join(dir, 'wheels')
  mkdirSync(wheels)
  buildWheel(wheels, 'stepwise-demo-pkg', '1.2.0', 'GREETING = "hi"\n')
  ;({ store, runner } = openRealServices(dir))
  store.updateSettings({ package_offline: true, package_find_links: wheels, python_path: PYTHON })
  handlers = createRequestHandlers({
    store,
    runner,
    platform: fakePlatform()
  })
})
afterAll(async () => {
  await runner.stopAll()
  store.close()
  cleanupTempDirs()
})

describe('a failed package install, as the window gets it', () => {
  let logPath = ''

  it('runs:start is refused with ENVIRONMENT, the kind of problem and the log of pip’s output', async () => {
    const saved = store.saveWorkflow(
      workflow('missing wheel', [step(0, 'Uses', py('import stepwise_no_such_pkg', emit('{}')))], {
        requirements: ['stepwise-no-such-pkg']
      })
    )
    const result = await call('runs:start', { workflow_id: saved.id })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('ENVIRONMENT')
    expect(result.error.message).toContain('The package stepwise-no-such-pkg was not found in the wheel folder')
    expect(result.error.environment?.problem).toBe('not-found')
    logPath = result.error.environment!.log_path!
    expect(logPath.startsWith(join(dir, 'environments'))).toBe(true)
    expect(store.listExecutions(saved.id)).toEqual([])
  }, 180_000)

  it('env:readLog reads that log whole, as the in-app viewer shows kept files', async () => {
    const result = (await call('env:readLog', { path: logPath })) as IpcResult<KeptFileText>
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.text).toContain('No matching distribution found for stepwise-no-such-pkg')
    expect(result.value.truncated).toBe(false)
    expect(result.value.size).toBeGreaterThan(0)
  })

  it('env:readLog refuses anything but a .log inside the environments folder', async () => {
    const envRoot = join(dir, 'environments')
    writeFileSync(join(dir, 'outside.log'), 'secret')
    writeFileSync(join(envRoot, 'notes.txt'), 'not a log')
    // Windows without developer mode may not make symlinks; the other paths still say it all there.
    let linked = true
    try {
      symlinkSync(join(dir, 'outside.log'), join(envRoot, 'link.log'))
    } catch {
      linked = false
    }
    for (const path of [
      join(dir, 'stepwise.db'),
      join(dir, 'outside.log'),
      join(envRoot, '..', 'outside.log'),
      join(envRoot, 'notes.txt'),
      ...(linked ? [join(envRoot, 'link.log')] : []),
      envRoot
    ]) {
      const result = await call('env:readLog', { path })
      expect(result.ok, path).toBe(false)
      if (!result.ok) expect(result.error.code, path).toBe('FORBIDDEN')
    }
    const gone = await call('env:readLog', { path: join(envRoot, 'gone.log') })
    expect(gone.ok).toBe(false)
  })
})
