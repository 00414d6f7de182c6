// The workflow list in the sidebar and the operations on whole workflows (create, rename, duplicate,
// delete, import, export). Which workflow is open lives here too; the editor's draft is its own store.
import { createStore } from 'zustand/vanilla'
import type { Workflow, WorkflowSummary } from '../../../shared/model'
import { call } from '../api'
import { notify, reportError } from './toast-store'

export interface WorkflowsState {
  list: WorkflowSummary[]
  query: string
  loading: boolean
  loaded: boolean
  selectedId: string | null
  refresh(): Promise<void>
  setQuery(query: string): Promise<void>
  select(id: string | null): void
  create(name: string): Promise<Workflow | null>
  rename(id: string, name: string): Promise<Workflow | null>
  duplicate(id: string): Promise<Workflow | null>
  remove(id: string): Promise<boolean>
  importFile(): Promise<Workflow | null>
  exportFile(id: string): Promise<string | null>
  exportScripts(id: string): Promise<{ folder: string; files: string[] } | null>
}

let refreshSeq = 0

export const workflowsStore = createStore<WorkflowsState>()((set, get) => ({
  list: [],
  query: '',
  loading: false,
  loaded: false,
  selectedId: null,
  async refresh() {
    const seq = ++refreshSeq
    set({ loading: true })
    try {
      const query = get().query.trim()
      const list = await call('workflows:list', query ? { query } : {})
      // A slower, older search must not overwrite the answer to what the person typed last.
      if (seq === refreshSeq) set({ list, loaded: true })
    } catch (err) {
      reportError('error.loadWorkflows', err)
    } finally {
      if (seq === refreshSeq) set({ loading: false })
    }
  },
  async setQuery(query) {
    set({ query })
    await get().refresh()
  },
  select(id) {
    set({ selectedId: id })
  },
  async create(name) {
    try {
      const wf = await call('workflows:create', { name })
      await get().refresh()
      return wf
    } catch (err) {
      reportError('error.createWorkflow', err)
      return null
    }
  },
  async rename(id, name) {
    try {
      const wf = await call('workflows:rename', { id, name })
      await get().refresh()
      return wf
    } catch (err) {
      reportError('error.renameWorkflow', err)
      return null
    }
  },
  async duplicate(id) {
    try {
      const wf = await call('workflows:duplicate', { id })
      await get().refresh()
      return wf
    } catch (err) {
      reportError('error.duplicateWorkflow', err)
      return null
    }
  },
  async remove(id) {
    try {
      const { deleted } = await call('workflows:delete', { id })
      if (get().selectedId === id) set({ selectedId: null })
      await get().refresh()
      return deleted
    } catch (err) {
      reportError('error.deleteWorkflow', err)
      return false
    }
  },
  async importFile() {
    try {
      const wf = await call('workflows:import', {})
      if (!wf) return null
      await get().refresh()
      notify('success', 'toast.imported', { name: wf.name })
      return wf
    } catch (err) {
      reportError('error.importWorkflow', err)
      return null
    }
  },
  async exportFile(id) {
    try {
      const result = await call('workflows:export', { id })
      if (!result) return null
      notify(
        'success',
        'toast.exported',
        { path: result.path },
        {
          labelKey: 'action.showInFolder',
          run: () => void call('shell:showInFolder', { path: result.path }).catch((e) => reportError('error.openPath', e))
        }
      )
      return result.path
    } catch (err) {
      reportError('error.exportWorkflow', err)
      return null
    }
  },
  async exportScripts(id) {
    try {
      const result = await call('workflows:exportScripts', { id })
      if (!result) return null
      notify(
        'success',
        'toast.scriptsExported',
        { count: result.files.length, folder: result.folder },
        {
          labelKey: 'action.showFolder',
          run: () => void call('shell:openPath', { path: result.folder }).catch((e) => reportError('error.openPath', e))
        }
      )
      return result
    } catch (err) {
      reportError('error.exportScripts', err)
      return null
    }
  }
}))
