// A workflow's packages being prepared before its run starts (the window's own runs only): pip's lines as
// they stream in, and, when preparing failed, why and where the installer's whole output is. Nothing shows
// for a workflow whose environment is ready: the panel appears with the first line.
import { createStore } from 'zustand/vanilla'
import type { EnvironmentProblemKind } from '../../../shared/ipc-contract'
import { ApiError } from '../api'
import { stripAnsi } from '../lib/ansi'

/** Lines kept, like the tail of a log: pip can print thousands while it resolves and downloads. */
export const MAX_PREPARATION_LINES = 200

export interface PreparationFailure {
  /** Main's readable sentence, without the log's path (offered as a button instead). */
  message: string
  problem: EnvironmentProblemKind
  logPath: string | null
  /** The same sentence as a code, said in the window's language. */
  explained?: ApiError['explained']
}

export interface Preparation {
  state: 'preparing' | 'failed'
  lines: string[]
  /** Lines that scrolled out of the kept tail. */
  dropped: number
  visible: boolean
  failure: PreparationFailure | null
}

export interface PackagesState {
  byWorkflow: Record<string, Preparation>
  begin(workflowId: string): void
  line(workflowId: string, line: string): void
  /** The run started (or failed for another reason): the preparation is over. */
  end(workflowId: string): void
  /** True when the error was the packages' and is now shown in the run area. */
  fail(workflowId: string, err: unknown): boolean
  dismiss(workflowId: string): void
}

/** Main adds where the log is to its sentence; the window offers the log as a button. */
export function sentenceOf(message: string): string {
  return stripAnsi(message)
    .replace(/\n?The full output of the installer: [^\n]*$/, '')
    .trim()
}

export const packagesStore = createStore<PackagesState>()((set, get) => {
  const put = (workflowId: string, p: Preparation | null): void => {
    const byWorkflow = { ...get().byWorkflow }
    if (p) byWorkflow[workflowId] = p
    else delete byWorkflow[workflowId]
    set({ byWorkflow })
  }
  return {
    byWorkflow: {},
    begin(workflowId) {
      put(workflowId, { state: 'preparing', lines: [], dropped: 0, visible: false, failure: null })
    },
    line(workflowId, line) {
      const p = get().byWorkflow[workflowId]
      if (p?.state !== 'preparing') return
      const lines = [...p.lines, stripAnsi(line)]
      const over = Math.max(0, lines.length - MAX_PREPARATION_LINES)
      put(workflowId, { ...p, lines: over ? lines.slice(over) : lines, dropped: p.dropped + over, visible: true })
    },
    end(workflowId) {
      if (get().byWorkflow[workflowId]) put(workflowId, null)
    },
    fail(workflowId, err) {
      if (!(err instanceof ApiError) || err.code !== 'ENVIRONMENT') {
        get().end(workflowId)
        return false
      }
      const p = get().byWorkflow[workflowId]
      put(workflowId, {
        state: 'failed',
        lines: p?.lines ?? [],
        dropped: p?.dropped ?? 0,
        visible: true,
        failure: {
          message: sentenceOf(err.message),
          problem: err.environment?.problem ?? 'other',
          logPath: err.environment?.log_path ?? null,
          explained: err.explained
        }
      })
      return true
    },
    dismiss(workflowId) {
      put(workflowId, null)
    }
  }
})
