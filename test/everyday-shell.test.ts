// What the OS and the build hand the app: a double-clicked .stepwise.json (only a full path with that
// suffix is taken, and it is imported like Import), the update feed named at build time (or none), the
// signing credentials it finds, "Restart to update" that waits for runs, and the example of the first screen.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { distConfig, signingPlan } from '../scripts/dist-options.mjs'
import { createRequestHandlers, dispatchRequest, type RequestHandlers } from '../src/main/services/request-handlers'
import { openServices, type Services } from '../src/main/services/services'
import { OpenedFiles, workflowFilesIn } from '../src/main/services/shell-inbox/opened-files'
import { UpdateState } from '../src/main/services/shell-inbox/update-state'
import { PYTHON } from './helpers/python'
import { fakePlatform } from './helpers/platform'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { EXAMPLE_PATH, loadExample, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

describe('workflow files on the command line', () => {
  it('takes only full paths ending in .stepwise.json, whatever else the launcher passes', () => {
    const win = 'C:\\Users\\김민수\\Desktop\\일일 보고서.Stepwise.JSON'
    expect(
      workflowFilesIn([
        'C:\\Program Files\\Stepwise\\Stepwise.exe',
        '--allow-file-access-from-files',
        win,
        '/Users/me/report.stepwise.json',
        'relative.stepwise.json',
        '--inspect=/tmp/x.stepwise.json',
        '/tmp/plain.json',
        `/tmp/evil\0.stepwise.json`,
        `/${'a'.repeat(5000)}.stepwise.json`,
        42
      ])
    ).toEqual([win, '/Users/me/report.stepwise.json'])
  })
})

describe('opened files, update and example through the request handlers', () => {
  let dir: string
  let services: Services
  let handlers: RequestHandlers
  let opened: OpenedFiles
  let updates: UpdateState
  let restarted = 0
  beforeEach(() => {
    dir = makeTempDir('stepwise-shell-')
    services = openServices({ dbPath: join(dir, 'db.sqlite'), tempRoot: dir })
    services.store.updateSettings({ python_path: PYTHON, default_working_directory: dir })
    opened = new OpenedFiles(services.store)
    updates = new UpdateState()
    restarted = 0
    handlers = createRequestHandlers({
      store: services.store,
      runner: services.runner,
      platform: fakePlatform({
        locale: () => 'en-US'
      }),
      openedFiles: opened,
      updates
    })
  })
  afterEach(() => services.close())
  const call = (channel: string, params: unknown = {}) => dispatchRequest(handlers, channel, params)

  it('a double-clicked file is imported once and handed to the window once; a broken one comes with its translatable error', async () => {
    const good = join(dir, '보고서.stepwise.json')
    writeFileSync(good, readFileSync(EXAMPLE_PATH))
    const bad = join(dir, 'broken.stepwise.json')
    writeFileSync(bad, '{"name": "x", "steps": [')
    await opened.add(good)
    await opened.add(good)
    await opened.add(bad)
    const taken = await call('app:takeOpenedFiles')
    expect(taken.ok).toBe(true)
    const files = (taken as { value: { workflow_id?: string; name?: string; error?: { key?: string } }[] }).value
    expect(files.map((f) => f.name ?? f.error?.key)).toEqual([loadExample().name, `${loadExample().name} (2)`, 'invalidWorkflowFile'])
    expect(services.store.getWorkflow(files[0].workflow_id!).steps).toHaveLength(3)
    expect(await call('app:takeOpenedFiles')).toEqual({ ok: true, value: [] })
  })

  it('no update: the status says none and a restart does nothing', async () => {
    expect(await call('app:updateStatus')).toEqual({ ok: true, value: { ready: null } })
    expect(await call('app:restartToUpdate')).toEqual({ ok: true, value: { restarting: false } })
  })

  it('Restart to update is refused while a run is going, and restarts once it has ended', async () => {
    updates.ready('0.2.0', () => restarted++)
    expect(await call('app:updateStatus')).toEqual({ ok: true, value: { ready: '0.2.0' } })
    const wf = services.store.saveWorkflow(workflow('Slow', [step(0, 'Wait', py('time.sleep(2)', 'print("{}")'))]))
    const run = await services.runner.start(wf.id)
    const refused = await call('app:restartToUpdate')
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', key: 'updateWhileRunning' } })
    expect(restarted).toBe(0)
    await run.done
    expect(await call('app:restartToUpdate')).toEqual({ ok: true, value: { restarting: true } })
    expect(restarted).toBe(1)
  })

  it('Open example adds the repository example, validated, and numbers it when opened again', async () => {
    const first = await call('workflows:openExample')
    const second = await call('workflows:openExample')
    const name = loadExample().name
    expect(first).toMatchObject({ ok: true, value: { name } })
    expect(second).toMatchObject({ ok: true, value: { name: `${name} (2)` } })
    const wf = (first as { value: { id: string } }).value
    expect(services.store.getWorkflow(wf.id).steps.map((s) => s.name)).toEqual(loadExample().steps.map((s) => s.name))
  })
})

describe('the build: update feed and signing from the environment', () => {
  it('no feed unless STEPWISE_UPDATE_URL names an https one', () => {
    expect(distConfig({})).toEqual({ config: {}, feed: null })
    expect(distConfig({ STEPWISE_UPDATE_URL: '  ' })).toEqual({ config: {}, feed: null })
    expect(distConfig({ STEPWISE_UPDATE_URL: 'https://updates.example.com/stepwise/' })).toEqual({
      config: { publish: { provider: 'generic', url: 'https://updates.example.com/stepwise/' } },
      feed: 'https://updates.example.com/stepwise/'
    })
    expect(() => distConfig({ STEPWISE_UPDATE_URL: 'http://updates.example.com/' })).toThrow(/https/)
    expect(() => distConfig({ STEPWISE_UPDATE_URL: 'not a url' })).toThrow(/not a URL/)
  })

  it('signs and notarizes only with the credentials electron-builder reads', () => {
    expect(signingPlan({})).toEqual({ windows: false, macos: false, notarize: false })
    expect(signingPlan({ WIN_CSC_LINK: 'cert.pfx' })).toMatchObject({ windows: true, macos: false })
    expect(signingPlan({ CSC_LINK: 'cert.p12', APPLE_ID: 'me@example.com' })).toEqual({ windows: true, macos: true, notarize: true })
  })
})
