// The Electron shell with a fake electron: the window's security settings and the guards on navigation,
// new windows and permissions, which no end-to-end test in a plain browser can see.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

const home = mkdtempSync(join(tmpdir(), 'stepwise-shell-'))
process.env.STEPWISE_HOME = home
// As a packaged app started with a hostile environment: the dev server's URL must be ignored.
process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/'
afterAll(() => rmSync(home, { recursive: true, force: true }))

const fake = vi.hoisted(() => {
  const state = {
    windows: [] as {
      options: Record<string, unknown> & { webPreferences: Record<string, unknown> }
      listeners: Map<string, (...a: unknown[]) => void>
      windowListeners: Map<string, (...a: unknown[]) => void>
      hidden: boolean
      id: number
      openHandler?: (d: unknown) => unknown
      loaded?: string
    }[],
    ipcChannels: [] as string[],
    ipcHandlers: new Map<string, (event: unknown, params: unknown) => Promise<unknown>>(),
    trays: [] as { tooltip?: string; menu?: { label?: string; type?: string; click?: () => void }[]; listeners: Map<string, () => void> }[],
    loginItem: { openAtLogin: false },
    permissionHandler: undefined as undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean),
    deviceCheck: undefined as undefined | ((...a: unknown[]) => boolean),
    schemes: [] as { scheme: string; privileges: Record<string, boolean>; beforeReady: boolean }[],
    protocolHandlers: new Map<string, (request: { url: string; method: string }) => Promise<Response>>(),
    isReady: false,
    ready: undefined as undefined | Promise<void>
  }
  let nextId = 1
  class BrowserWindow {
    static getAllWindows = () => state.windows
    webContents: Record<string, unknown>
    constructor(options: Record<string, unknown>) {
      const entry = {
        options,
        listeners: new Map<string, (...a: unknown[]) => void>(),
        windowListeners: new Map<string, (...a: unknown[]) => void>(),
        hidden: true,
        id: nextId++
      } as (typeof state.windows)[number]
      state.windows.push(entry)
      this.webContents = {
        id: entry.id,
        isLoading: () => false,
        on: (name: string, fn: (...a: unknown[]) => void) => entry.listeners.set(name, fn),
        setWindowOpenHandler: (fn: (d: unknown) => unknown) => (entry.openHandler = fn),
        send: () => undefined
      }
      Object.assign(this, {
        once: () => undefined,
        on: (name: string, fn: (...a: unknown[]) => void) => entry.windowListeners.set(name, fn),
        hide: () => void (entry.hidden = true),
        show: () => void (entry.hidden = false),
        focus: () => undefined,
        isMinimized: () => false,
        restore: () => undefined,
        loadFile: async (f: string) => void (entry.loaded = f),
        loadURL: async (u: string) => void (entry.loaded = u),
        isDestroyed: () => false
      })
    }
  }
  let resolveReady!: () => void
  state.ready = new Promise<void>((r) => (resolveReady = r)).then(() => void (state.isReady = true))
  const app = {
    isPackaged: true,
    setName: vi.fn(),
    setPath: vi.fn(),
    getVersion: () => '0.1.0',
    getPath: (name: string) => `${home}/${name}`,
    getLocale: () => 'ko',
    requestSingleInstanceLock: () => true,
    on: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
    getLoginItemSettings: () => ({ ...state.loginItem }),
    setLoginItemSettings: vi.fn((settings: { openAtLogin: boolean }) => void (state.loginItem = { ...settings })),
    whenReady: () => state.ready!.then(() => undefined)
  }
  const electron = {
    app,
    BrowserWindow,
    ipcMain: {
      handle: (c: string, fn: (event: unknown, params: unknown) => Promise<unknown>) => {
        state.ipcChannels.push(c)
        state.ipcHandlers.set(c, fn)
      },
      removeHandler: vi.fn()
    },
    Tray: class {
      entry = { listeners: new Map<string, () => void>() } as (typeof state.trays)[number]
      constructor() {
        state.trays.push(this.entry)
      }
      setToolTip(text: string) {
        this.entry.tooltip = text
      }
      setContextMenu(menu: (typeof state.trays)[number]['menu']) {
        this.entry.menu = menu
      }
      on(name: string, fn: () => void) {
        this.entry.listeners.set(name, fn)
      }
    },
    Menu: { buildFromTemplate: (items: unknown[]) => items },
    nativeImage: { createFromDataURL: (url: string) => ({ url }) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permissionHandler) => (state.permissionHandler = fn),
        setPermissionCheckHandler: (fn: typeof state.permissionCheck) => (state.permissionCheck = fn),
        setDevicePermissionHandler: (fn: typeof state.deviceCheck) => (state.deviceCheck = fn)
      }
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string; privileges: Record<string, boolean> }[]) =>
        schemes.forEach((s) => state.schemes.push({ ...s, beforeReady: !state.isReady })),
      handle: (scheme: string, fn: (request: { url: string; method: string }) => Promise<Response>) =>
        state.protocolHandlers.set(scheme, fn)
    },
    dialog: { showMessageBoxSync: vi.fn((_win: unknown, _options: Record<string, unknown>) => 0) },
    shell: {},
    powerMonitor: { on: vi.fn() },
    Notification: Object.assign(vi.fn(), { isSupported: () => false })
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
  })

  it('loads the page from app://, registered as a privileged scheme before ready, never the dev server when packaged', () => {
    expect(win.loaded).toBe('app://stepwise/index.html')
    expect(fake.state.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true }, beforeReady: true }
    ])
    expect([...fake.state.protocolHandlers.keys()]).toEqual(['app'])
  })

  it('serves app:// from the built renderer only, refusing paths outside it', async () => {
    const serve = fake.state.protocolHandlers.get('app')!
    for (const url of [
      'app://stepwise/../../package.json',
      'app://stepwise/%2e%2e/%2e%2e/package.json',
      'app://stepwise/..%2f..%2fpackage.json',
      'app://stepwise/..%5c..%5cpackage.json',
      'app://evil/index.html'
    ]) {
      expect((await serve({ url, method: 'GET' })).status, url).toBe(404)
    }
    expect((await serve({ url: 'app://stepwise/index.html', method: 'POST' })).status).toBe(405)
  })

  it('refuses webviews, and any web contents it did not create', async () => {
    const created = fake.electron.app.on.mock.calls.find((c: unknown[]) => c[0] === 'web-contents-created')![1] as (
      e: unknown,
      contents: unknown
    ) => void
    const listeners = new Map<string, (...a: unknown[]) => void>()
    let openHandler: ((d: unknown) => unknown) | undefined
    const foreign = {
      on: (name: string, fn: (...a: unknown[]) => void) => listeners.set(name, fn),
      setWindowOpenHandler: (fn: (d: unknown) => unknown) => (openHandler = fn),
      isDestroyed: () => false,
      close: vi.fn()
    }
    created({}, foreign)
    const attach = { preventDefault: vi.fn() }
    listeners.get('will-attach-webview')!(attach)
    expect(attach.preventDefault).toHaveBeenCalled()
    const away = { preventDefault: vi.fn() }
    listeners.get('will-navigate')!(away, 'https://example.com/')
    expect(away.preventDefault).toHaveBeenCalled()
    expect(openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    await vi.waitFor(() => expect(foreign.close).toHaveBeenCalled())

    // The app window itself refuses webviews too.
    const ownAttach = { preventDefault: vi.fn() }
    win.listeners.get('will-attach-webview')!(ownAttach)
    expect(ownAttach.preventDefault).toHaveBeenCalled()
  })

  it('keeps the window on the app page and opens no new windows', () => {
    const navigate = win.listeners.get('will-navigate')!
    const away = { preventDefault: vi.fn() }
    navigate(away, 'https://example.com/')
    expect(away.preventDefault).toHaveBeenCalled()
    // Neither the dev server nor a file:// page is the app (file:// shares its origin with every file).
    for (const url of ['http://localhost:5173/', 'file:///etc/passwd', 'app://evil/index.html']) {
      const other = { preventDefault: vi.fn() }
      navigate(other, url)
      expect(other.preventDefault, url).toHaveBeenCalled()
    }
    const home = { preventDefault: vi.fn() }
    navigate(home, 'app://stepwise/index.html#/settings')
    expect(home.preventDefault).not.toHaveBeenCalled()
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

  it('starts the in-process scheduler, which catches up when the computer wakes', () => {
    expect(fake.electron.powerMonitor.on).toHaveBeenCalledWith('resume', expect.any(Function))
  })

  /** A request as the window's own page sends it, through the bound IPC handlers. */
  const invoke = (channel: string, params: unknown) =>
    fake.state.ipcHandlers.get(channel)!(
      { sender: { id: win.id }, senderFrame: { parent: null, url: 'app://stepwise/index.html' } },
      params
    ) as Promise<{
      ok: boolean
      value: Record<string, unknown>
    }>
  const close = () => {
    const event = { preventDefault: vi.fn() }
    win.windowListeners.get('close')!(event)
    return event.preventDefault.mock.calls.length > 0
  }

  it('closes the window as before while nothing is scheduled', () => {
    expect(close()).toBe(false)
    expect(fake.state.trays).toHaveLength(0)
  })

  it('hides the window to a tray icon while a schedule exists; the tray opens it again or quits', async () => {
    const wf = await invoke('workflows:create', { name: 'Morning report' })
    expect(wf.ok).toBe(true)
    expect((await invoke('schedules:add', { workflow_id: wf.value.id, cron: '0 9 * * 1-5', tz: 'Asia/Seoul' })).ok).toBe(true)
    win.hidden = false
    expect(close()).toBe(true)
    expect(win.hidden).toBe(true)
    expect(fake.state.trays).toHaveLength(1)
    const tray = fake.state.trays[0]
    expect(tray.tooltip).toContain('예약')
    expect(tray.menu!.map((i) => i.label ?? i.type)).toEqual(['Stepwise 열기', 'separator', 'Stepwise 종료'])
    tray.menu![0].click!()
    expect(win.hidden).toBe(false)
    // Starting Stepwise again (a second instance) shows the hidden window too.
    expect(close()).toBe(true)
    const secondInstance = fake.electron.app.on.mock.calls.find((c: unknown[]) => c[0] === 'second-instance')![1] as () => void
    secondInstance()
    expect(win.hidden).toBe(false)
    expect(fake.state.windows).toHaveLength(1)
    tray.listeners.get('click')!()
    expect(close()).toBe(true) // closing again hides again, with the same single tray icon
    expect(fake.state.trays).toHaveLength(1)

    // The setting off: closing closes, schedules or not.
    expect((await invoke('settings:update', { patch: { keep_running_in_background: false } })).value).toMatchObject({
      keep_running_in_background: false
    })
    expect(close()).toBe(false)
    await invoke('settings:update', { patch: { keep_running_in_background: true } })
  })

  it('registers the app as a login item when the setting is turned on, and removes it when off', async () => {
    expect(fake.state.loginItem.openAtLogin).toBe(false)
    expect((await invoke('settings:update', { patch: { start_at_login: true } })).value).toMatchObject({ start_at_login: true })
    expect(fake.electron.app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true })
    await invoke('settings:update', { patch: { start_at_login: false } })
    expect(fake.state.loginItem.openAtLogin).toBe(false)
    expect(await invoke('settings:update', { patch: { start_at_login: 'yes' } })).toMatchObject({ ok: false })
  })

  it("the tray's Quit is a real quit: the window then closes instead of hiding", () => {
    fake.state.trays[0].menu![2].click!()
    expect(fake.electron.app.quit).toHaveBeenCalled()
    expect(close()).toBe(false)
  })

  it('closes the database only once every window has closed (will-quit), then exits', async () => {
    // before-quit only marks a real quit (the window then closes instead of hiding); cleanup waits for will-quit.
    const beforeQuit = fake.electron.app.on.mock.calls.filter((c: unknown[]) => c[0] === 'before-quit')
    expect(beforeQuit).toHaveLength(1)
    const willQuit = fake.electron.app.on.mock.calls.find((c: unknown[]) => c[0] === 'will-quit')![1] as (e: {
      preventDefault: () => void
    }) => void
    const event = { preventDefault: vi.fn() }
    willQuit(event)
    expect(event.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(fake.electron.app.exit).toHaveBeenCalledWith(0))
  })

  it('denies every permission request and every permission check', () => {
    const answers: boolean[] = []
    fake.state.permissionHandler?.({}, 'media', (ok) => answers.push(ok))
    fake.state.permissionHandler?.({}, 'geolocation', (ok) => answers.push(ok))
    expect(answers).toEqual([false, false])
    for (const permission of ['clipboard-read', 'notifications', 'media', 'hid', 'serial', 'usb']) {
      expect(fake.state.permissionCheck?.({}, permission, 'app://stepwise', {}), permission).toBe(false)
    }
    expect(fake.state.deviceCheck?.({ deviceType: 'usb', origin: 'app://stepwise' })).toBe(false)
  })

  it('binds every request channel of the contract, and keeps its database in the user-data folder', async () => {
    const { requestChannels } = await import('../src/shared/ipc-contract')
    expect([...fake.state.ipcChannels].sort()).toEqual(Object.keys(requestChannels).sort())
    expect(fake.electron.app.setPath).toHaveBeenCalledWith('userData', home)
  })
})

describe('the app:// handler', async () => {
  const { serveAppRequest } = await import('../src/main/app/app-protocol')
  const base = mkdtempSync(join(tmpdir(), 'stepwise-protocol-'))
  const root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(
    join(root, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="style-src 'self' 'nonce-STEPWISE_CSP_NONCE'" />` +
      '<meta property="csp-nonce" nonce="STEPWISE_CSP_NONCE" /><title>Stepwise</title>'
  )
  writeFileSync(join(root, 'assets', 'index-1.js'), 'export {}')
  writeFileSync(join(root, 'assets', 'index-1.css'), 'body{}')
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>')
  writeFileSync(join(root, 'assets', '글꼴.woff2'), 'x')
  writeFileSync(join(base, 'secret.txt'), 'hunter2')
  mkdirSync(join(base, 'renderer-evil'))
  writeFileSync(join(base, 'renderer-evil', 'index.html'), 'evil')
  afterAll(() => rmSync(base, { recursive: true, force: true }))
  const get = (url: string) => serveAppRequest({ url, method: 'GET' }, root)

  it('serves the built files with their MIME types', async () => {
    const cases: [string, string][] = [
      ['app://stepwise/', 'text/html; charset=utf-8'],
      ['app://stepwise/index.html', 'text/html; charset=utf-8'],
      ['app://stepwise/assets/index-1.js', 'text/javascript; charset=utf-8'],
      ['app://stepwise/assets/index-1.css', 'text/css; charset=utf-8'],
      ['app://stepwise/assets/logo.svg', 'image/svg+xml'],
      [`app://stepwise/assets/${encodeURIComponent('글꼴')}.woff2`, 'font/woff2']
    ]
    for (const [url, type] of cases) {
      const response = await get(url)
      expect(response.status, url).toBe(200)
      expect(response.headers.get('content-type'), url).toBe(type)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
    expect(await (await get('app://stepwise/index.html')).text()).toContain('<title>Stepwise</title>')
  })

  it('gives the page a fresh nonce for its <style> elements on every load, the same in its CSP and its meta', async () => {
    const nonces = []
    for (let i = 0; i < 2; i++) {
      const page = await (await get('app://stepwise/index.html')).text()
      expect(page).not.toContain('STEPWISE_CSP_NONCE')
      const inPolicy = /'nonce-([^']+)'/.exec(page)?.[1]
      expect(inPolicy).toMatch(/^[A-Za-z0-9+/]{24}$/)
      expect(page).toContain(`nonce="${inPolicy}"`)
      nonces.push(inPolicy)
    }
    expect(nonces[0]).not.toBe(nonces[1])
  })

  it('refuses `..`, encoded separators, absolute paths, other hosts and sibling folders', async () => {
    for (const url of [
      'app://stepwise/../secret.txt',
      'app://stepwise/%2e%2e/secret.txt',
      'app://stepwise/..%2fsecret.txt',
      'app://stepwise/..%5csecret.txt',
      `app://stepwise/${encodeURIComponent(join(base, 'secret.txt'))}`,
      'app://stepwise/../renderer-evil/index.html',
      'app://stepwise/%00index.html',
      'app://stepwise/assets',
      'app://stepwise/missing.js',
      'app://other/index.html',
      'file:///etc/passwd'
    ]) {
      const response = await get(url)
      expect(response.status, url).toBe(404)
      expect(await response.text(), url).not.toMatch(/hunter2|evil/)
    }
  })
})
