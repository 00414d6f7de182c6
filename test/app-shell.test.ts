// The Electron shell with a fake electron: the window's security settings and the guards on navigation,
// new windows and permissions, which no end-to-end test in a plain browser can see.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

const home = mkdtempSync(join(tmpdir(), 'stepwise-shell-'))
process.env.STEPWISE_HOME = home
afterAll(() => rmSync(home, { recursive: true, force: true }))

const fake = vi.hoisted(() => {
  const state = {
    windows: [] as {
      options: Record<string, unknown> & { webPreferences: Record<string, unknown> }
      listeners: Map<string, (...a: unknown[]) => void>
      openHandler?: (d: unknown) => unknown
      loaded?: string
    }[],
    ipcChannels: [] as string[],
    permissionHandler: undefined as undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    ready: undefined as undefined | Promise<void>
  }
  let nextId = 1
  class BrowserWindow {
    static getAllWindows = () => state.windows
    webContents: Record<string, unknown>
    constructor(options: Record<string, unknown>) {
      const entry = { options, listeners: new Map<string, (...a: unknown[]) => void>() } as (typeof state.windows)[number]
      state.windows.push(entry)
      this.webContents = {
        id: nextId++,
        on: (name: string, fn: (...a: unknown[]) => void) => entry.listeners.set(name, fn),
        setWindowOpenHandler: (fn: (d: unknown) => unknown) => (entry.openHandler = fn),
        send: () => undefined
      }
      Object.assign(this, {
        once: () => undefined,
        on: () => undefined,
        loadFile: async (f: string) => void (entry.loaded = f),
        loadURL: async (u: string) => void (entry.loaded = u),
        isDestroyed: () => false
      })
    }
  }
  let resolveReady!: () => void
  state.ready = new Promise<void>((r) => (resolveReady = r))
  const app = {
    setName: vi.fn(),
    setPath: vi.fn(),
    getVersion: () => '0.1.0',
    getPath: (name: string) => `${home}/${name}`,
    getLocale: () => 'ko',
    requestSingleInstanceLock: () => true,
    on: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: () => state.ready!.then(() => undefined)
  }
  const electron = {
    app,
    BrowserWindow,
    ipcMain: { handle: (c: string) => state.ipcChannels.push(c), removeHandler: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permissionHandler) => (state.permissionHandler = fn),
        setPermissionCheckHandler: vi.fn()
      }
    },
    dialog: { showMessageBoxSync: vi.fn((_win: unknown, _options: Record<string, unknown>) => 0) },
    shell: {}
  }
  return { state, electron, resolveReady: () => resolveReady() }
})

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }))

describe('the app shell', async () => {
  await import('../src/main/app/index')
  fake.resolveReady()
  await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1))
  const win = fake.state.windows[0]

  it('opens an isolated, sandboxed window without Node', () => {
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(win.options.webPreferences.preload).toMatch(/preload[\\/]index\.js$/)
    expect(win.loaded).toMatch(/renderer[\\/]index\.html$/)
  })

  it('keeps the window on the app page and opens no new windows', () => {
    const navigate = win.listeners.get('will-navigate')!
    const away = { preventDefault: vi.fn() }
    navigate(away, 'https://example.com/')
    expect(away.preventDefault).toHaveBeenCalled()
    expect(win.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
  })

  it('asks before closing over unsaved changes, in the language the person reads', () => {
    const preventUnload = win.listeners.get('will-prevent-unload')!
    const close = { preventDefault: vi.fn() }
    fake.electron.dialog.showMessageBoxSync.mockReturnValueOnce(0)
    preventUnload(close)
    expect(close.preventDefault).toHaveBeenCalled() // "close without saving": the unload goes ahead
    expect(fake.electron.dialog.showMessageBoxSync.mock.calls[0][1]).toMatchObject({ buttons: ['저장하지 않고 닫기', '계속 편집'] })
    const stay = { preventDefault: vi.fn() }
    fake.electron.dialog.showMessageBoxSync.mockReturnValueOnce(1)
    preventUnload(stay)
    expect(stay.preventDefault).not.toHaveBeenCalled()
  })

  it('closes the database only once every window has closed (will-quit), then exits', async () => {
    const events = fake.electron.app.on.mock.calls.map((c: unknown[]) => c[0])
    expect(events).not.toContain('before-quit')
    const willQuit = fake.electron.app.on.mock.calls.find((c: unknown[]) => c[0] === 'will-quit')![1] as (e: {
      preventDefault: () => void
    }) => void
    const event = { preventDefault: vi.fn() }
    willQuit(event)
    expect(event.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(fake.electron.app.exit).toHaveBeenCalledWith(0))
  })

  it('denies every permission request', () => {
    const answers: boolean[] = []
    fake.state.permissionHandler?.({}, 'media', (ok) => answers.push(ok))
    fake.state.permissionHandler?.({}, 'geolocation', (ok) => answers.push(ok))
    expect(answers).toEqual([false, false])
  })

  it('binds every request channel of the contract, and keeps its database in the user-data folder', async () => {
    const { requestChannels } = await import('../src/shared/ipc-contract')
    expect([...fake.state.ipcChannels].sort()).toEqual(Object.keys(requestChannels).sort())
    expect(fake.electron.app.setPath).toHaveBeenCalledWith('userData', home)
  })
})
