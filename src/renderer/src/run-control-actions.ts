// What the run-control buttons do: resume a failed run, run from or only one step, open the run whose values
// were reused, and go to a traceback's line in the code as it ran. Kept beside app-actions, whose rules
// (save first, one run of a workflow at a time) they follow.
import { call } from './api'
import { isRunning, jumpToLine, openExecution, saveDraft } from './app-actions'
import { draftStore } from './stores/draft-store'
import { recordedCodeStore } from './stores/recorded-code-store'
import { runsStore } from './stores/runs-store'
import { settingsStore } from './stores/settings-store'
import { reportError } from './stores/toast-store'
import { uiStore } from './stores/ui-store'

/** The run panel shows the new run; it is under every tab but the history. */
function showRunPanel(): void {
  uiStore.getState().setRunPanelStep(null)
  uiStore.getState().setRunPanelOpen(true)
  if (uiStore.getState().tab === 'history') uiStore.getState().setTab('steps')
}

/** The steps that did not succeed run with the current code: save first so it is the code on screen. */
async function readyToStart(): Promise<boolean> {
  if (isRunning() || runsStore.getState().starting) return false
  return !draftStore.getState().dirty || (await saveDraft())
}

export async function resumeRun(executionId: string): Promise<void> {
  if (!(await readyToStart())) return
  const id = await runsStore
    .getState()
    .resume(executionId, { debug: settingsStore.getState().settings.debug_mode, workflowId: draftStore.getState().draft?.id })
  if (id) showRunPanel()
}

export async function runPartial(stepId: string, mode: 'from' | 'only'): Promise<void> {
  const workflowId = draftStore.getState().draft?.id
  if (!workflowId || !(await readyToStart())) return
  const debug = settingsStore.getState().settings.debug_mode
  const id = await runsStore.getState().start(workflowId, mode === 'from' ? { debug, fromStep: stepId } : { debug, onlyStep: stepId })
  if (id) showRunPanel()
}

/** A run named by another (the one it resumed or reused values from), opened in the history. */
export async function openRun(executionId: string): Promise<void> {
  const workflowId = draftStore.getState().draft?.id
  if (workflowId) await openExecution(executionId, workflowId)
}

/**
 * A traceback's line, in the code as it ran: the editor when that is still the code on screen and the run
 * is the one in the run panel (`live`); otherwise that run's code, read-only, saying whether it differs.
 */
export async function goToRecordedLine(target: {
  executionId: string
  stepId: string
  line: number
  live: boolean
  code?: string
  name?: string
}): Promise<void> {
  const current = draftStore.getState().draft?.steps.find((s) => s.id === target.stepId) ?? null
  let code = target.code
  let name = target.name ?? current?.name ?? target.stepId
  if (code === undefined) {
    try {
      const recorded = (await call('executions:get', { id: target.executionId })).steps.find((s) => s.step_id === target.stepId)
      code = recorded?.code
      name = recorded?.name ?? name
    } catch (err) {
      reportError('error.loadExecution', err)
      return
    }
  }
  if (code === undefined || (target.live && current && current.code === code)) {
    jumpToLine(target.stepId, target.line)
    return
  }
  recordedCodeStore.getState().show({
    executionId: target.executionId,
    stepId: target.stepId,
    name,
    code,
    line: target.line,
    differs: current ? current.code !== code : null
  })
}
