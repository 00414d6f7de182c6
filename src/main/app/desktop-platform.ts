// Dialogs and the OS shell for the request handlers, from Electron. Part of the app shell.
import { statSync } from 'node:fs'
import { app, dialog, shell, type BrowserWindow } from 'electron'
import { errorMessage } from '../../shared/error-messages'
import { assertSafeToOpen } from '../services/os-open-guard'
import type { DesktopPlatform } from '../services/request-handlers'
import { openInTextEditor } from '../services/text-editor'

export function electronPlatform(getWindow: () => BrowserWindow | null): DesktopPlatform {
  const parent = (): BrowserWindow | undefined => getWindow() ?? undefined
  return {
    version: app.getVersion(),
    locale: () => app.getLocale(),
    async pickOpenFile({ title, filters }) {
      const w = parent()
      const opts = { title, filters, properties: ['openFile' as const] }
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async pickSaveFile({ title, defaultPath, filters }) {
      const w = parent()
      const opts = { title, defaultPath, filters }
      const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts)
      return r.canceled ? null : (r.filePath ?? null)
    },
    async pickFolder({ title, defaultPath }) {
      const w = parent()
      const opts = { title, defaultPath, properties: ['openDirectory' as const, 'createDirectory' as const] }
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async openPath(path) {
      // Checked again right here, next to the open verb, so no caller can ever hand it a script.
      assertSafeToOpen(path, statSync(path))
      const error = await shell.openPath(path)
      if (error)
        throw Object.assign(new Error(`The system could not open "${path}": ${error}`), {
          explanation: errorMessage('osOpenFailed', { path }, error)
        })
    },
    showItemInFolder(path) {
      shell.showItemInFolder(path)
    },
    async openInEditor(path, line) {
      return (await openInTextEditor(path, line)).name
    }
  }
}
