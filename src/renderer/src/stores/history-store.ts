// The executions of the open workflow, newest first, and the one opened for reading.
import { createStore } from 'zustand/vanilla'
import type { Execution, ExecutionSummary } from '../../../shared/model'
import { call } from '../api'
import { reportError } from './toast-store'

export interface HistoryState {
  workflowId: string | null
  list: ExecutionSummary[]
  loading: boolean
  openId: string | null
  open: Execution | null
  load(workflowId: string): Promise<void>
  refresh(): Promise<void>
  openExecution(id: string | null): Promise<void>
  remove(ids: string[]): Promise<number>
}

const HISTORY_LIMIT = 500

export const historyStore = createStore<HistoryState>()((set, get) => ({
  workflowId: null,
  list: [],
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
    set({ loading: true })
    try {
      const list = await call('executions:list', { workflow_id: workflowId, limit: HISTORY_LIMIT })
      if (get().workflowId === workflowId) set({ list })
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
