// What the shell says about runs nobody watched: a failure becomes a badge, a notification's click opens
// that run.
import { onEvent } from './api'
import { openExecution } from './app-actions'
import { unattendedStore } from './stores/unattended-store'

export function listenForUnattendedRuns(): () => void {
  const offs = [
    onEvent('unattended:failed', (failure) => unattendedStore.getState().noteFailure(failure)),
    onEvent('unattended:open', ({ execution_id, workflow_id }) => void openExecution(execution_id, workflow_id))
  ]
  return () => offs.forEach((off) => off())
}
