// The app shell: the window, its security settings, the IPC binding and the event forwarding.
// Everything else lives in services/, which never imports electron.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, type WebContents } from 'electron'
import { join } from 'node:path'
import { APP_PAGE_URL, handleAppProtocol, isAppSchemeUrl, registerAppScheme } from './app-protocol'
import { electronPlatform } from './desktop-platform'
import { bindRequestHandlers, windowSenderCheck } from './ipc-binder'
import { userDataDir } from '../services/app-paths'
import { createRequestHandlers } from '../services/request-handlers'
import { openServices, type Services } from '../services/services'
import type { UnattendedRunner } from '../services/schedule'
import { startUnattended } from './unattended'
import { createBackground, type Background } from './background'
import { listSchedules, listTriggers } from '../services/schedule'
import { adoptLoginShellPath } from '../services/python'
import { OpenedFiles, workflowFilesIn } from '../services/shell-inbox/opened-files'
import { UpdateState } from '../services/shell-inbox/update-state'
import { startUpdates } from './updates'

app.setName('Stepwise')
app.setPath('userData', userDataDir())
registerAppScheme(protocol)

// The shell's only own words; everything else the person reads comes from the renderer's i18n.
const UNSAVED_CLOSE_TEXT = {
  en: {
    title: 'Unsaved changes',
    message: 'This workflow has unsaved changes.',
    detail: 'Close Stepwise without saving them?',
    buttons: ['Close without saving', 'Keep editing']
  },
  ko: {
    title: '저장하지 않은 변경 사항',
    message: '이 워크플로에 저장하지 않은 변경 사항이 있습니다.',
    detail: '저장하지 않고 Stepwise를 닫을까요?',
    buttons: ['저장하지 않고 닫기', '계속 편집']
  }
} as const

let mainWindow: BrowserWindow | null = null
let services: Services | null = null
let unattended: UnattendedRunner | null = null
let background: Background | null = null
let openedFiles: OpenedFiles | null = null
const updates = new UpdateState()
/** Files the OS handed over before the services were open (macOS sends open-file before ready). */
const filesBeforeReady: string[] = workflowFilesIn(process.argv.slice(1))

/** A double-clicked .stepwise.json: imported, then the window is told (it takes the result when it is ready). */
function openWorkflowFiles(paths: string[]): void {
  if (!paths.length) return
  if (!openedFiles) {
    filesBeforeReady.push(...paths)
    return
  }
  const inbox = openedFiles
  void Promise.all(paths.map((p) => inbox.add(p))).then(() => {
    const win = showWindow()
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', () => win.webContents.send('app:fileOpened', {}))
    else win.webContents.send('app:fileOpened', {})
  })
}

// electron-vite's dev server, in development only: a packaged app never loads a page from the network,
// whatever its environment says.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const rendererRoot = join(__dirname, '../renderer')
const isAppUrl = (url: string): boolean => {
  if (!devServerUrl) return isAppSchemeUrl(url)
  // The dev server: same origin exactly (a prefix test would let http://localhost:5173.evil.com through).
  try {
    return new URL(url).origin === new URL(devServerUrl).origin
  } catch {
    return false
  }
}

/** Every web contents, ours or not: no webviews, no navigation away from the app, no new windows. */
function guardWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** Set while createWindow builds our one window, so web-contents-created can tell ours from any other. */
let creatingWindow = false

function createWindow(): BrowserWindow {
  creatingWindow = true
  let win: BrowserWindow
  try {
    win = newWindow()
  } finally {
    creatingWindow = false
  }
  return win
}

function newWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Stepwise',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  // The window shows the app's page and nothing else.
  guardWebContents(win.webContents)
  // The page holds back closing while its workflow has unsaved changes; the person decides here.
  win.webContents.on('will-prevent-unload', (event) => {
    const language = services?.store.getSettings().language ?? (app.getLocale().startsWith('ko') ? 'ko' : 'en')
    const text = UNSAVED_CLOSE_TEXT[language]
    const leave = dialog.showMessageBoxSync(win, { type: 'question', defaultId: 1, cancelId: 1, ...text, buttons: [...text.buttons] })
    if (leave === 0) event.preventDefault()
  })
  // With schedules to fire (and the setting on), closing hides the window to the tray instead.
  win.on('close', (event) => {
    if (!background?.hideInsteadOfClose(win)) return
    event.preventDefault()
    // Hidden or closed, nobody is left to drive a paused step: its whole process tree ends.
    void services?.debugger.stopAll()
  })
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
    void services?.debugger.stopAll()
  })
  void win.loadURL(devServerUrl ?? APP_PAGE_URL)
  return win
}

/** The one window in front of the person: made again if it was closed, restored if minimized. */
function showWindow(): BrowserWindow {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow()
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
  return mainWindow
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Starting Stepwise again (Start menu, a shortcut, a double-clicked workflow file) while it runs shows its window.
  app.on('second-instance', (_event, argv) => {
    const files = workflowFilesIn((argv ?? []).slice(1))
    if (files.length) openWorkflowFiles(files)
    else void showWindow()
  })
  // macOS hands files over by event, also before ready; the path is checked like a command line's.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    openWorkflowFiles(workflowFilesIn([path]))
  })

  void app.whenReady().then(() => {
    // The app needs no camera, notifications, clipboard-read, USB or anything else a page may ask for.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
    session.defaultSession.setDevicePermissionHandler(() => false)
    handleAppProtocol(protocol, rendererRoot)
    app.on('web-contents-created', (_e, contents) => {
      if (creatingWindow) return // our window: createWindow guards it
      guardWebContents(contents)
      // Nothing else may live here. In development the DevTools are web contents too: leave those.
      if (app.isPackaged) {
        setImmediate(() => {
          if (!contents.isDestroyed()) contents.close()
        })
      }
    })

    // Launched from the Finder, PATH is launchd's short one: the login shell's is read once, in the
    // background; runs and Python discovery wait for it.
    void adoptLoginShellPath()
    // Launched from the Finder or the Start menu the current folder is / or the install folder: steps
    // that name no working folder run in ~/Stepwise instead.
    services = openServices({ defaultWorkingDirectory: join(app.getPath('home'), 'Stepwise') })
    const opened = services
    const language = (): 'en' | 'ko' => opened.store.getSettings().language ?? (app.getLocale().startsWith('ko') ? 'ko' : 'en')
    background = createBackground({
      wanted: () =>
        opened.store.getSettings().keep_running_in_background &&
        (listSchedules(opened.store.db).length > 0 || listTriggers(opened.store.db).length > 0),
      language,
      show: () => void showWindow()
    })
    background.applyLoginItem(services.store.getSettings().start_at_login)
    openedFiles = new OpenedFiles(services.store)
    const handlers = createRequestHandlers({
      store: services.store,
      runner: services.runner,
      secrets: services.secrets,
      platform: electronPlatform(() => mainWindow),
      openedFiles,
      updates,
      debugger: services.debugger
    })
    // The login item lives in the OS, not the database: a changed setting is applied there at once.
    const updateSettings = handlers['settings:update']
    handlers['settings:update'] = async (params) => {
      const settings = await updateSettings(params)
      background?.applyLoginItem(settings.start_at_login)
      return settings
    }
    bindRequestHandlers(
      ipcMain,
      handlers,
      windowSenderCheck(() => mainWindow?.webContents.id, isAppUrl)
    )
    services.runner.on(({ channel, payload }) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload)
    })
    services.debugger.on((event) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send('debug:event', event)
    })

    unattended = startUnattended(services, { current: () => mainWindow, show: showWindow }, language)

    mainWindow = createWindow()
    openWorkflowFiles(filesBeforeReady.splice(0))
    startUpdates(updates, {
      announce: (version) => mainWindow?.webContents.send('app:updateReady', { version }),
      shutdown
    })
    // The Dock icon (macOS) brings back a window hidden to the tray as well as a closed one.
    app.on('activate', () => void showWindow())
  })

  // Cleanup waits for will-quit: closing the windows comes first and may be cancelled by the person
  // (unsaved changes), and the database must still be open if they decide to stay.
  let closing = false
  /** Stops running steps (and everything they started) and closes the database; once. */
  const shutdown = async (): Promise<void> => {
    if (closing || !services) return
    closing = true
    const open = services
    await (unattended?.stop() ?? Promise.resolve()).catch(() => undefined)
    await open.close()
  }
  app.on('will-quit', (event) => {
    if (closing || !services) return
    event.preventDefault()
    void shutdown().finally(() => app.exit(0))
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
