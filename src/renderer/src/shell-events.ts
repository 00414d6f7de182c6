// What the app shell hands the window outside of runs: workflow files the OS opened with Stepwise (each
// imported by main, then opened here) and a downloaded update.
import { ApiError, call, onEvent } from './api'
import { openWorkflow } from './app-actions'
import type { OpenedFile } from '../../shared/ipc-contract'
import { notify, reportError } from './stores/toast-store'
import { updateStore } from './stores/update-store'
import { workflowsStore } from './stores/workflows-store'

/** Opens the last workflow file handed over; says which were refused and why. Answers whether one was opened. */
export async function takeOpenedFiles(): Promise<boolean> {
  let files: OpenedFile[]
  try {
    files = await call('app:takeOpenedFiles', {})
  } catch {
    return false
  }
  let last: string | null = null
  for (const f of files) {
    if ('error' in f) {
      const { code, message, environment, key, params, detail } = f.error
      const err = new ApiError(code, message, 'app:takeOpenedFiles', environment, key ? { key, params, detail } : undefined)
      reportError('everyday.openFile.failed', err)
    } else {
      last = f.workflow_id
      notify('success', 'everyday.openFile.imported', { name: f.name })
    }
  }
  if (!last) return false
  await workflowsStore.getState().refresh()
  return openWorkflow(last)
}

export function listenForShell(): () => void {
  const offs = [
    onEvent('app:fileOpened', () => void takeOpenedFiles()),
    onEvent('app:updateReady', ({ version }) => updateStore.getState().setReady(version))
  ]
  void call('app:updateStatus', {})
    .then(({ ready }) => ready && updateStore.getState().setReady(ready))
    .catch(() => undefined)
  return () => offs.forEach((off) => off())
}
