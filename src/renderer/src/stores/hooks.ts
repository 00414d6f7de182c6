// React bindings of the vanilla stores; the stores themselves stay free of React for unit tests.
import { useStore } from 'zustand'
import { debugStore, type DebugState } from './debug-store'
import { draftStore, type DraftState } from './draft-store'
import { historyStore, type HistoryState } from './history-store'
import { runsStore, type RunsState } from './runs-store'
import { settingsStore, type SettingsState } from './settings-store'
import { toastStore } from './toast-store'
import { uiStore, type UiState } from './ui-store'
import { unattendedStore, type UnattendedState } from './unattended-store'
import { workflowsStore, type WorkflowsState } from './workflows-store'

export const useWorkflows = <T>(select: (s: WorkflowsState) => T): T => useStore(workflowsStore, select)
export const useDraft = <T>(select: (s: DraftState) => T): T => useStore(draftStore, select)
export const useRuns = <T>(select: (s: RunsState) => T): T => useStore(runsStore, select)
export const useHistory = <T>(select: (s: HistoryState) => T): T => useStore(historyStore, select)
export const useSettings = <T>(select: (s: SettingsState) => T): T => useStore(settingsStore, select)
export const useUi = <T>(select: (s: UiState) => T): T => useStore(uiStore, select)
export const useUnattended = <T>(select: (s: UnattendedState) => T): T => useStore(unattendedStore, select)
export const useToasts = () => useStore(toastStore, (s) => s.toasts)
export const useDebug = <T>(select: (s: DebugState) => T): T => useStore(debugStore, select)
