// The app's own scheduler: while the app runs it fires schedules and folder triggers (unless a
// `stepwise daemon` holds the lease), catches up after the computer wakes, and tells the person when an
// unattended run failed.
import { Notification, powerMonitor, type BrowserWindow } from 'electron'
import { UnattendedRunner } from '../services/schedule'
import type { Services } from '../services/services'

const FAILED_TEXT = {
  en: (name: string) => ({ title: 'An unattended run failed', body: `"${name}" did not succeed. Open Stepwise to see why.` }),
  ko: (name: string) => ({ title: '자동 실행이 실패했습니다', body: `"${name}" 실행이 실패했습니다. Stepwise에서 이유를 확인하세요.` })
}

export function startUnattended(services: Services, window: () => BrowserWindow | null, language: () => 'en' | 'ko'): UnattendedRunner {
  const unattended = new UnattendedRunner(services.store, services.runner)
  unattended.start()
  // Sleep stops the timers; on wake the missed run times are handled at once by the catch-up policy.
  powerMonitor.on('resume', () => void unattended.tick().catch(() => undefined))
  services.runner.on(({ channel, payload }) => {
    if (channel !== 'run:finished' || payload.status === 'SUCCESS' || payload.status === 'CANCELLED') return
    const execution = services.store.getExecution(payload.execution_id)
    if (execution.trigger !== 'schedule' && execution.trigger !== 'folder') return
    if (!Notification.isSupported()) return
    const note = new Notification(FAILED_TEXT[language()](execution.workflow_name))
    note.on('click', () => {
      const win = window()
      if (win && !win.isDestroyed()) {
        if (win.isMinimized()) win.restore()
        win.focus()
      }
    })
    note.show()
  })
  return unattended
}
