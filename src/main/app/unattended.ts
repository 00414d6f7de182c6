// The app's own scheduler: while the app runs it fires schedules and folder triggers (unless a
// `stepwise daemon` holds the lease), catches up after the computer wakes, and tells the person when an
// unattended run failed: a badge in the window, and a notification whose click opens that run.
import { Notification, powerMonitor, type BrowserWindow } from 'electron'
import { UnattendedRunner } from '../services/schedule'
import type { Services } from '../services/services'
import type { EventChannel, EventChannels } from '../../shared/ipc-contract'

const FAILED_TEXT = {
  en: (name: string) => ({ title: 'An unattended run failed', body: `"${name}" did not succeed. Click to see why.` }),
  ko: (name: string) => ({ title: '자동 실행이 실패했습니다', body: `"${name}" 실행이 실패했습니다. 클릭하여 이유를 확인하세요.` })
}

export interface UnattendedWindow {
  /** The window if it exists (closed to the tray it may not). */
  current(): BrowserWindow | null
  /** The window brought to the front, created if needed. */
  show(): BrowserWindow
}

/** Sends to the page once it can listen: a window just created for a click has not loaded yet. */
function sendWhenLoaded<E extends EventChannel>(win: BrowserWindow, channel: E, payload: EventChannels[E]): void {
  if (win.isDestroyed()) return
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', () => win.webContents.send(channel, payload))
  else win.webContents.send(channel, payload)
}

export function startUnattended(services: Services, window: UnattendedWindow, language: () => 'en' | 'ko'): UnattendedRunner {
  const unattended = new UnattendedRunner(services.store, services.runner)
  unattended.start()
  // Sleep stops the timers; on wake the missed run times are handled at once by the catch-up policy.
  powerMonitor.on('resume', () => void unattended.tick().catch(() => undefined))
  services.runner.on(({ channel, payload }) => {
    if (channel !== 'run:finished' || payload.status === 'SUCCESS' || payload.status === 'CANCELLED') return
    const execution = services.store.getExecution(payload.execution_id)
    if (execution.trigger !== 'schedule' && execution.trigger !== 'folder') return
    const failed = { execution_id: execution.id, workflow_id: execution.workflow_id, workflow_name: execution.workflow_name }
    const open = window.current()
    if (open) sendWhenLoaded(open, 'unattended:failed', failed)
    if (!Notification.isSupported()) return
    const note = new Notification(FAILED_TEXT[language()](execution.workflow_name))
    note.on('click', () => {
      const win = window.show()
      sendWhenLoaded(win, 'unattended:open', { execution_id: failed.execution_id, workflow_id: failed.workflow_id })
    })
    note.show()
  })
  return unattended
}
