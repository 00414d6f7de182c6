// The binder and the request handlers with a fake ipcMain: the checks every IPC call goes through.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { requestChannels, type IpcResult } from '../src/shared/ipc-contract'
import { fakePlatform } from './helpers/platform'

// The binder may take types from electron but must never load it: this mock fails any runtime import.
vi.mock('electron', () => {
  throw new Error('electron must not be imported by the binder or the services')
})

const { bindRequestHandlers, windowSenderCheck } = await import('../src/main/app/ipc-binder')
const { createRequestHandlers } = await import('../src/main/services/request-handlers')
const { openServices } = await import('../src/main/services/services')

type Handler = (event: unknown, params: unknown) => Promise<IpcResult<unknown>>

function fakeIpcMain() {
  const handlers = new Map<string, Handler>()
  return {
    handlers,
    handle: (channel: string, fn: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, fn)
    },
    removeHandler: (channel: string) => handlers.delete(channel)
  }
}

const APP_URL = 'app://stepwise/index.html'
const WINDOW_ID = 7
const trusted = { sender: { id: WINDOW_ID }, senderFrame: { url: APP_URL, parent: null } }

describe('IPC binder', () => {
  let dir: string
  let services: ReturnType<typeof openServices>
  let ipc: ReturnType<typeof fakeIpcMain>
  const opened: string[] = []

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-binder-'))
    services = openServices({ dbPath: join(dir, 'db.sqlite'), tempRoot: dir })
    ipc = fakeIpcMain()
    const handlers = createRequestHandlers({
      store: services.store,
      runner: services.runner,
      platform: fakePlatform({
        locale: () => 'ko-KR',
        pickSaveFile: async ({ defaultPath }) => join(dir, defaultPath.split(/[\\/]/).pop()!),
        pickFolder: async () => dir,
        openPath: async (p) => void opened.push(p),
        showItemInFolder: (p) => void opened.push(p),
        openInEditor: async (p) => (opened.push(p), 'VS Code')
      })
    })
    bindRequestHandlers(
      ipc as never,
      handlers,
      windowSenderCheck(
        () => WINDOW_ID,
        (url) => url === APP_URL
      )
    )
  })
  afterEach(async () => {
    await services.close()
    rmSync(dir, { recursive: true, force: true })
    opened.length = 0
  })

  const call = (channel: string, params: unknown, event: unknown = trusted) => ipc.handlers.get(channel)!(event, params)

  it('registers exactly the channels of the contract', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(requestChannels).sort())
  })

  it('serves a request from the app window', async () => {
    const created = await call('workflows:create', { name: '보고서' })
    expect(created.ok).toBe(true)
    const list = await call('workflows:list', {})
    expect(list).toMatchObject({ ok: true, value: [{ name: '보고서', step_count: 1 }] })
  })

  it('refuses a sender that is not the app window, and does nothing for it', async () => {
    const otherWindow = { sender: { id: 99 }, senderFrame: { url: APP_URL, parent: null } }
    const foreignPage = { sender: { id: WINDOW_ID }, senderFrame: { url: 'https://evil.example/', parent: null } }
    const subFrame = { sender: { id: WINDOW_ID }, senderFrame: { url: APP_URL, parent: {} } }
    for (const event of [otherWindow, foreignPage, subFrame]) {
      const r = await call('workflows:create', { name: 'x' }, event)
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(services.store.listWorkflows()).toEqual([])
  })

  it('rejects a bad payload with a message naming the field', async () => {
    const wrongType = await call('workflows:get', { id: 42 })
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!wrongType.ok && wrongType.error.message).toMatch(/id/)
    const extraKey = await call('settings:update', { patch: { default_timeout_seconds: 10, evil: true } })
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const badTimeout = await call('settings:update', { patch: { default_timeout_seconds: -1 } })
    expect(!badTimeout.ok && badTimeout.error.message).toMatch(/default_timeout_seconds/)
    expect(services.store.getSettings().default_timeout_seconds).toBe(300)
  })

  it('reports a missing record as NOT_FOUND', async () => {
    expect(await call('workflows:get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('opens only paths the app created or recorded', async () => {
    const made = join(dir, 'secret.txt')
    writeFileSync(made, 'x')
    expect(await call('shell:openPath', { path: made })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await call('shell:showInFolder', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(opened).toEqual([])

    // A workflow's working folder is whatever text the page saved: naming a program there opens nothing.
    const wf0 = (await call('workflows:create', { name: 'Sneaky' })) as { ok: true; value: { id: string; name: string; steps: unknown[] } }
    const saved = await call('workflows:save', { workflow: { ...wf0.value, working_directory: made } })
    expect(saved.ok).toBe(true)
    expect(await call('shell:openPath', { path: made })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(opened).toEqual([])

    // An export the person asked for is the app's own file: it may be shown afterwards.
    const wf = (await call('workflows:create', { name: 'Export me' })) as { ok: true; value: { id: string } }
    const exported = (await call('workflows:exportScripts', { id: wf.value.id })) as { ok: true; value: { folder: string } }
    expect(exported.ok).toBe(true)
    expect(await call('shell:showInFolder', { path: exported.value.folder })).toEqual({ ok: true, value: { shown: true } })
    expect(opened).toEqual([exported.value.folder])
  })
})
