// Starting the step debugger from the editor or from a past run's step, and its keyboard shortcuts.
import { call } from './api'
import { saveDraft } from './app-actions'
import { debugStore } from './stores/debug-store'
import { draftStore } from './stores/draft-store'
import { notify, reportError } from './stores/toast-store'
import { uiStore } from './stores/ui-store'

/**
 * Debugs a step of the workflow on screen; with an execution, on the inputs that run recorded for it.
 * The stored step is what runs, so unsaved changes are saved first (as for a replay).
 */
export async function debugStep(stepId: string, executionId?: string): Promise<void> {
  const { draft, dirty } = draftStore.getState()
  if (!draft?.steps.some((s) => s.id === stepId)) {
    notify('error', 'error.stepGone')
    return
  }
  if (dirty && !(await saveDraft())) return
  uiStore.getState().setScreen('workflow')
  uiStore.getState().setTab('steps')
  draftStore.getState().selectStep(stepId)
  await debugStore.getState().start(draft.id, stepId, { executionId })
}

/**
 * Ctrl+F5 debugs the step (F5 alone runs the workflow, as before); while the step is debugged F5 continues
 * and Shift+F5 stops it; F10/F11/Shift+F11 step: the keys of the common debuggers. Runs in the capture
 * phase, so the window's own F5 sees the key as handled.
 */
export function handleDebugKey(event: KeyboardEvent, stepId: string): boolean {
  const { session, command, stop } = debugStore.getState()
  const ours = session && session.stepId === stepId && session.status !== 'ended' ? session : null
  const paused = ours?.status === 'paused'
  if (event.key === 'F5' && (event.ctrlKey || event.metaKey)) {
    if (!ours) void debugStep(stepId)
  } else if (event.key === 'F5' && event.shiftKey && ours) void stop()
  else if (event.key === 'F5' && !event.shiftKey && ours) {
    if (paused) void command('continue')
  } else if (event.key === 'F10' && paused) void command('next')
  else if (event.key === 'F11' && paused) void command(event.shiftKey ? 'stepOut' : 'stepIn')
  else return false
  event.preventDefault()
  return true
}

/** A kept script in VS Code, with a launch.json beside it that runs it as the run did. */
export async function openInVsCode(executionId: string, stepId: string): Promise<void> {
  try {
    const { editor } = await call('debug:openInVsCode', { execution_id: executionId, step_id: stepId })
    notify('info', 'toast.openedInEditor', { editor })
  } catch (err) {
    reportError('error.openEditor', err)
  }
}
