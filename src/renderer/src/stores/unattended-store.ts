// Failed runs that a schedule or folder trigger started while nobody watched: the badge on the Schedules
// button counts them until the person has seen them (opened the Schedules view or the run itself).
import { createStore } from 'zustand/vanilla'
import type { EventChannels } from '../../../shared/ipc-contract'

export type UnattendedFailure = EventChannels['unattended:failed']

export interface UnattendedState {
  failures: UnattendedFailure[]
  noteFailure(failure: UnattendedFailure): void
  /** The Schedules view was opened: every failure has been seen. */
  seenAll(): void
  seen(executionId: string): void
}

export const unattendedStore = createStore<UnattendedState>()((set, get) => ({
  failures: [],
  noteFailure(failure) {
    if (get().failures.some((f) => f.execution_id === failure.execution_id)) return
    set({ failures: [...get().failures, failure] })
  },
  seenAll() {
    if (get().failures.length) set({ failures: [] })
  },
  seen(executionId) {
    set({ failures: get().failures.filter((f) => f.execution_id !== executionId) })
  }
}))
