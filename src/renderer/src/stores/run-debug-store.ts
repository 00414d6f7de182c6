// Debug for the runs started from the run bar: the toggle there is this session's choice for one
// workflow, over the default in Settings, and never changes that default behind the person's back.
import { createStore } from 'zustand/vanilla'
import { settingsStore } from './settings-store'

export interface RunDebugState {
  /** Workflow id → the run bar's choice; absent: the Settings default. */
  byWorkflow: Record<string, boolean>
  set(workflowId: string, debug: boolean): void
}

export const runDebugStore = createStore<RunDebugState>()((set) => ({
  byWorkflow: {},
  set(workflowId, debug) {
    set((s) => ({ byWorkflow: { ...s.byWorkflow, [workflowId]: debug } }))
  }
}))

/** Whether the next run of this workflow keeps its files: the run bar's choice, else the Settings default. */
export function debugForRun(workflowId: string | null | undefined, state = runDebugStore.getState()): boolean {
  const chosen = workflowId ? state.byWorkflow[workflowId] : undefined
  return chosen ?? settingsStore.getState().settings.debug_mode
}
