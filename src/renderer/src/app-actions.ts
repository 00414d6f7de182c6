// What the person's commands do across stores: open a workflow (asking first when the draft has unsaved
// changes), save, run, stop, replay, delete. Kept out of components so keyboard shortcuts, buttons and
// menus share one behaviour.
import type { Variables } from '../../shared/model'
import { call } from './api'
import { DraftInvalidError, draftStore } from './stores/draft-store'
import { historyStore } from './stores/history-store'
import { activeRunOf, runsStore } from './stores/runs-store'
import { debugForRun } from './stores/run-debug-store'
import { notify, reportError, toastStore } from './stores/toast-store'
import { uiStore } from './stores/ui-store'
import { unattendedStore } from './stores/unattended-store'
import { workflowsStore } from './stores/workflows-store'

export async function saveDraft(): Promise<boolean> {
  const draft = draftStore.getState()
  if (!draft.draft) return false
  try {
    await draft.save()
    void workflowsStore.getState().refresh()
    return true
  } catch (err) {
    if (err instanceof DraftInvalidError) {
      const first = err.problems[0]
      if (first.stepId) {
        draftStore.getState().selectStep(first.stepId)
        uiStore.getState().setTab('steps')
      } else if (first.field === 'requirements') uiStore.getState().setTab('workflowSettings')
      for (const p of err.problems.slice(0, 3))
        toastStore.getState().push({ kind: 'error', titleKey: 'error.cannotSave', params: p.params, detailKey: p.key })
      return false
    }
    reportError('error.saveWorkflow', err)
    return false
  }
}

/** True when it is fine to leave the current draft: nothing unsaved, saved now, or discarded. */
export async function confirmLeaveDraft(): Promise<boolean> {
  const { dirty, draft } = draftStore.getState()
  if (!dirty || !draft) return true
  const answer = await uiStore.getState().confirm({
    titleKey: 'confirm.unsavedTitle',
    messageKey: 'confirm.unsavedMessage',
    params: { name: draft.name },
    confirmKey: 'action.save',
    alternateKey: 'action.dontSave'
  })
  if (answer === 'cancel') return false
  if (answer === 'confirm') return saveDraft()
  return true
}

export async function openWorkflow(id: string, options: { force?: boolean } = {}): Promise<boolean> {
  const current = draftStore.getState().draft?.id
  if (current === id && !options.force) {
    uiStore.getState().setScreen('workflow')
    return true
  }
  if (current !== id && !(await confirmLeaveDraft())) return false
  try {
    const wf = await call('workflows:get', { id })
    workflowsStore.getState().select(id)
    draftStore.getState().load(wf)
    uiStore.getState().setScreen('workflow')
    uiStore.getState().setRunPanelStep(null)
    if (uiStore.getState().tab === 'history' || current !== id) uiStore.getState().setTab('steps')
    void historyStore.getState().load(id)
    return true
  } catch (err) {
    reportError('error.openWorkflow', err)
    return false
  }
}

/** A run opened from outside the window (a notification's click): its workflow, History, that run. */
export async function openExecution(executionId: string, workflowId: string): Promise<boolean> {
  if (!(await openWorkflow(workflowId))) return false
  uiStore.getState().setTab('history')
  await historyStore.getState().load(workflowId)
  await historyStore.getState().openExecution(executionId)
  unattendedStore.getState().seen(executionId)
  return true
}

export async function createWorkflow(): Promise<void> {
  const name = await uiStore.getState().prompt({
    titleKey: 'workflow.newTitle',
    labelKey: 'workflow.nameLabel',
    initial: '',
    confirmKey: 'action.create'
  })
  if (!name?.trim()) return
  if (!(await confirmLeaveDraft())) return
  const wf = await workflowsStore.getState().create(name.trim())
  if (wf) await openWorkflow(wf.id, { force: true })
}

export async function renameWorkflow(id: string, currentName: string): Promise<void> {
  const name = await uiStore.getState().prompt({
    titleKey: 'workflow.renameTitle',
    labelKey: 'workflow.nameLabel',
    initial: currentName,
    confirmKey: 'action.rename'
  })
  if (!name?.trim() || name.trim() === currentName) return
  const wf = await workflowsStore.getState().rename(id, name.trim())
  if (wf && draftStore.getState().draft?.id === id) draftStore.getState().applyRename(wf.name)
}

export async function duplicateWorkflow(id: string): Promise<void> {
  const wf = await workflowsStore.getState().duplicate(id)
  if (wf) await openWorkflow(wf.id)
}

export async function deleteWorkflow(id: string, name: string): Promise<void> {
  const answer = await uiStore.getState().confirm({
    titleKey: 'confirm.deleteWorkflowTitle',
    messageKey: 'confirm.deleteWorkflowMessage',
    params: { name },
    confirmKey: 'action.delete',
    danger: true
  })
  if (answer !== 'confirm') return
  const deleted = await workflowsStore.getState().remove(id)
  if (deleted && draftStore.getState().draft?.id === id) {
    draftStore.getState().clear()
    const next = workflowsStore.getState().list[0]
    if (next) await openWorkflow(next.id, { force: true })
  }
}

export async function importWorkflow(): Promise<void> {
  if (!(await confirmLeaveDraft())) return
  const wf = await workflowsStore.getState().importFile()
  if (wf) await openWorkflow(wf.id, { force: true })
}

/** The example workflow (fetch, process, save), added as a new workflow and opened. */
export async function openExampleWorkflow(): Promise<void> {
  if (!(await confirmLeaveDraft())) return
  try {
    const wf = await call('workflows:openExample', {})
    await workflowsStore.getState().refresh()
    await openWorkflow(wf.id, { force: true })
  } catch (err) {
    reportError('everyday.firstRun.exampleFailed', err)
  }
}

/** Saves first when needed: exports and runs use the stored workflow, and should match what is on screen. */
async function savedBeforeUse(): Promise<string | null> {
  const { draft, dirty } = draftStore.getState()
  if (!draft) return null
  if (dirty && !(await saveDraft())) return null
  return draft.id
}

export async function exportWorkflow(): Promise<void> {
  const id = await savedBeforeUse()
  if (id) await workflowsStore.getState().exportFile(id)
}

export async function exportScripts(): Promise<void> {
  const id = await savedBeforeUse()
  if (id) await workflowsStore.getState().exportScripts(id)
}

/** The open workflow's run that is still going, whichever started last: Stop targets it, Run waits for it. */
export function activeRunId(): string | null {
  return activeRunOf(runsStore.getState(), draftStore.getState().draft?.id)?.executionId ?? null
}

export function isRunning(): boolean {
  return activeRunId() !== null
}

/** Runs the open workflow; `variables` (Run with…) are this run's own initial values, over the workflow's. */
export async function runWorkflow(variables?: Variables): Promise<void> {
  if (isRunning() || runsStore.getState().starting) return
  const id = await savedBeforeUse()
  if (!id) return
  uiStore.getState().setRunPanelStep(null)
  uiStore.getState().setRunPanelOpen(true)
  await runsStore.getState().start(id, { debug: debugForRun(id), ...(variables ? { variables } : {}) })
}

export async function stopRun(): Promise<void> {
  const runId = activeRunId()
  if (runId) await runsStore.getState().stop(runId)
}

export async function replayStep(executionId: string, stepId: string): Promise<void> {
  // A replay alongside a run of the same workflow would hide that run (main refuses it too).
  if (isRunning()) return
  const { dirty } = draftStore.getState()
  // The replay runs the step's stored code: save first so it is the code on screen.
  if (dirty && !(await saveDraft())) return
  const id = await runsStore.getState().replay(executionId, stepId, { debug: debugForRun(draftStore.getState().draft?.id) })
  if (id) {
    uiStore.getState().setRunPanelStep(stepId)
    uiStore.getState().setRunPanelOpen(true)
    notify('info', 'toast.replayStarted')
  }
}

export function jumpToLine(stepId: string, line: number): void {
  const draft = draftStore.getState().draft
  if (!draft?.steps.some((s) => s.id === stepId)) {
    notify('error', 'error.stepGone')
    return
  }
  uiStore.getState().setScreen('workflow')
  uiStore.getState().setTab('steps')
  draftStore.getState().requestJump(stepId, line)
}

/** A kept file in a text editor found on this machine; never the system's "open", which runs a script. */
export async function openInEditor(path: string, line?: number): Promise<void> {
  try {
    const { editor } = await call('shell:openInEditor', { path, line })
    notify('info', 'toast.openedInEditor', { editor })
  } catch (err) {
    reportError('error.openEditor', err)
  }
}

export async function openPath(path: string, kind: 'open' | 'reveal'): Promise<void> {
  try {
    if (kind === 'open') await call('shell:openPath', { path })
    else await call('shell:showInFolder', { path })
  } catch (err) {
    reportError('error.openPath', err)
  }
}

/** A step's output as the step wrote it, to a file the person picks: any size, shown in the window or not. */
export async function saveStepOutput(executionId: string, stepId: string): Promise<void> {
  try {
    const result = await call('executions:saveOutput', { id: executionId, step_id: stepId })
    if (!result) return
    notify(
      'success',
      'values.saved',
      { path: result.path },
      { labelKey: 'action.showInFolder', run: () => void openPath(result.path, 'reveal') }
    )
  } catch (err) {
    reportError('values.saveFailed', err)
  }
}

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    notify('success', 'toast.copied')
  } catch {
    notify('info', 'toast.copyManually')
  }
}
