// Starts the renderer's side of things: settings first (they decide the language), the live event pump,
// the workflow list, and the workflow to show.
import { onEvent } from './api'
import { openWorkflow } from './app-actions'
import { listenForUnattendedRuns } from './unattended-events'
import { listenForShell, takeOpenedFiles } from './shell-events'
import { listenForPackagePreparation } from './package-events'
import { createEventBatcher, type RunEvent } from './lib/event-batcher'
import { runEventChannels } from '../../shared/ipc-contract'
import { debugStore } from './stores/debug-store'
import { draftStore } from './stores/draft-store'
import { historyStore } from './stores/history-store'
import { runsStore } from './stores/runs-store'
import { settingsStore } from './stores/settings-store'
import { workflowsStore } from './stores/workflows-store'

function startEventPump(): () => void {
  const batcher = createEventBatcher((events: RunEvent[]) => {
    runsStore.getState().applyEvents(events)
    const finished = events.filter((e) => e.channel === 'run:finished' || e.channel === 'run:started')
    if (finished.length) {
      void workflowsStore.getState().refresh()
      const wf = historyStore.getState().workflowId
      if (finished.some((e) => e.payload.workflow_id === wf)) void historyStore.getState().refresh()
    }
  })
  const offs = runEventChannels.map((channel) => onEvent(channel, (payload) => batcher.push({ channel, payload } as RunEvent)))
  offs.push(listenForUnattendedRuns(), listenForPackagePreparation(), listenForShell())
  offs.push(onEvent('debug:event', (event) => debugStore.getState().apply(event)))
  return () => {
    offs.forEach((off) => off())
    batcher.dispose()
  }
}

/**
 * Closing the window (or reloading) with unsaved changes is held back; in Electron the main process then
 * asks the person whether to leave (will-prevent-unload), in a browser the browser asks.
 */
function guardUnsavedChangesOnClose(): void {
  window.addEventListener('beforeunload', (event) => {
    if (!draftStore.getState().dirty) return
    event.preventDefault()
    event.returnValue = ''
  })
}

export async function bootstrap(): Promise<void> {
  guardUnsavedChangesOnClose()
  startEventPump()
  await settingsStore.getState().load()
  await workflowsStore.getState().refresh()
  void runsStore.getState().resumeActive()
  // A workflow file double-clicked to start Stepwise is what the person wants to see first.
  if (await takeOpenedFiles()) return
  const first = workflowsStore.getState().list[0]
  if (first) await openWorkflow(first.id)
}
