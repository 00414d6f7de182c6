// Updates through electron-updater, from the feed the build named (scripts/dist.mjs writes it into
// app-update.yml). Without one, or in development, nothing is checked and nothing is said. Failures
// (offline is normal) are silent too: the person only ever hears of an update that is ready to install.
import { app } from 'electron'
// Its autoUpdater is made on first use, so importing it costs nothing when no feed is configured.
import { autoUpdater } from 'electron-updater'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { UpdateState } from '../services/shell-inbox/update-state'

const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

export function startUpdates(
  state: UpdateState,
  hooks: {
    /** Tells the window an update is ready ("Restart to update"). */
    announce: (version: string) => void
    /** Ends runs, schedules and the database cleanly before the installer takes over. */
    shutdown: () => Promise<void>
  }
): void {
  const resources = process.resourcesPath as string | undefined
  if (!app.isPackaged || !resources || !existsSync(join(resources, 'app-update.yml'))) return
  autoUpdater.logger = null
  autoUpdater.autoDownload = true
  // Quitting is the person's own choice and ends the runs first; the update then installs on the way out.
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.on('error', () => undefined)
  autoUpdater.on('update-downloaded', (info) => {
    state.ready(info.version, () => {
      void hooks.shutdown().then(() => autoUpdater.quitAndInstall())
    })
    hooks.announce(info.version)
  })
  const check = () => void autoUpdater.checkForUpdates().catch(() => undefined)
  check()
  setInterval(check, CHECK_EVERY_MS).unref()
}
