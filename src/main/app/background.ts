// Keeping schedules alive without the window: closing it while schedules or folder triggers exist (and
// "keep running in the background" is on) hides it to a tray icon instead, whose menu opens it again or
// quits; and the "start with Windows/macOS login" setting as the OS's login item.
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron'

// 32×32, in the code: the installers ship only out/, and the tray must not depend on a file beside it.
const TRAY_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAe0lEQVR42mNgwAFUk1//pyZmIAZQ21KSHEMvy7E6gt6WYzhiZDtgoCyHO4IUxSAw4A6AgQF3ALUcQZEDqOEIih1AqUOo5gByHUFVB5DjCKo7gFSH0MwBxDpi+DpgZCbCkVkQjdzKaGQ2SIZdu3C0WT54umaDonM6UN1zAE9R+EgOgzEtAAAAAElFTkSuQmCC'

const TEXT = {
  en: { tooltip: 'Stepwise: schedules and folder triggers keep running', open: 'Open Stepwise', quit: 'Quit Stepwise' },
  ko: { tooltip: 'Stepwise: 예약과 폴더 트리거가 계속 실행됩니다', open: 'Stepwise 열기', quit: 'Stepwise 종료' }
} as const

export interface BackgroundOptions {
  /** The setting is on and there is something to fire. */
  wanted(): boolean
  language(): 'en' | 'ko'
  show(): void
}

export interface Background {
  /** For the window's close event: true when it was hidden to the tray and must not close. */
  hideInsteadOfClose(win: BrowserWindow): boolean
  /** Registers or removes the app as a login item (packaged apps only: in development it would be Electron). */
  applyLoginItem(openAtLogin: boolean): void
}

export function createBackground(options: BackgroundOptions): Background {
  let tray: Tray | null = null
  // A real quit (the tray's Quit, Cmd+Q, the OS logging out) closes the window instead of hiding it.
  let quitting = false
  app.on('before-quit', () => (quitting = true))

  const showTray = (): void => {
    if (tray) return
    const text = TEXT[options.language()]
    tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON))
    tray.setToolTip(text.tooltip)
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: text.open, click: () => options.show() },
        { type: 'separator' },
        {
          label: text.quit,
          click: () => {
            quitting = true
            app.quit()
          }
        }
      ])
    )
    // On Windows a click on the icon is how people reopen a program; the menu is on the right button.
    tray.on('click', () => options.show())
  }

  return {
    hideInsteadOfClose(win) {
      if (quitting || !options.wanted()) return false
      win.hide()
      showTray()
      return true
    },
    applyLoginItem(openAtLogin) {
      if (!app.isPackaged) return
      if (app.getLoginItemSettings().openAtLogin !== openAtLogin) app.setLoginItemSettings({ openAtLogin })
    }
  }
}
