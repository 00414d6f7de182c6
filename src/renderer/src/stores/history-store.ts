// The executions of the open workflow, newest first (only those one kind of starter began, when the
// person filters by it), and the one opened for reading.
import { createStore } from 'zustand/vanilla'
import type { Execution, ExecutionSummary, ExecutionTrigger } from '../../../shared/model'
import { call } from '../api'
import { reportError } from './toast-store'

export interface HistoryState {
  workflowId: string | null
  list: ExecutionSummary[]
  /** null: every run; else only the runs this trigger started (the filter stays for the session). */
  trigger: ExecutionTrigger | null
  /** Whose runs: null the open workflow's, '*' every workflow's, else that workflow's id. */
  scope: string | null
  loading: boolean
  openId: string | null
  open: Execution | null
  load(workflowId: string): Promise<void>
  refresh(): Promise<void>
  setTrigger(trigger: ExecutionTrigger | null): Promise<void>
  setScope(scope: string | null): Promise<void>
  openExecution(id: string | null): Promise<void>
  remove(ids: string[]): Promise<number>
}

const HISTORY_LIMIT = 500

export const historyStore = createStore<HistoryState>()((set, get) => ({
  workflowId: null,
  list: [],
  trigger: null,
  scope: null,
  loading: false,
  openId: null,
  open: null,
  async load(workflowId) {
    if (get().workflowId !== workflowId) set({ workflowId, list: [], openId: null, open: null })
    await get().refresh()
  },
  async refresh() {
    const workflowId = get().workflowId
    if (!workflowId) return
    const { trigger, scope } = get()
    const whose = scope === '*' ? {} : { workflow_id: scope ?? workflowId }
    set({ loading: true })
    try {
      const list = await call('executions:list', { ...whose, limit: HISTORY_LIMIT, ...(trigger ? { trigger } : {}) })
      // An answer for another workflow or another filter, overtaken by a newer question, is dropped.
      if (get().workflowId === workflowId && get().trigger === trigger && get().scope === scope) set({ list })
      const openId = get().openId
      if (openId && list.some((e) => e.id === openId)) {
        const before = list.find((e) => e.id === openId)
        if (before && before.status !== get().open?.status) await get().openExecution(openId)
      }
    } catch (err) {
      reportError('error.loadHistory', err)
    } finally {
      set({ loading: false })
    }
  },
  async setTrigger(trigger) {
    if (get().trigger === trigger) return
    set({ trigger, list: [] })
    await get().refresh()
  },
  async setScope(scope) {
    if (get().scope === scope) return
    set({ scope, list: [] })
    await get().refresh()
  },
  async openExecution(id) {
    if (!id) {
      set({ openId: null, open: null })
      return
    }
    set({ openId: id })
    try {
      const open = await call('executions:get', { id })
      if (get().openId === id) set({ open })
    } catch (err) {
      reportError('error.loadExecution', err)
    }
  },
  async remove(ids) {
    try {
      const { deleted } = await call('executions:delete', { ids })
      if (get().openId && ids.includes(get().openId!)) set({ openId: null, open: null })
      await get().refresh()
      return deleted
    } catch (err) {
      reportError('error.deleteExecutions', err)
      return 0
    }
  }
}))
