// An update main has downloaded: the window offers "Restart to update" and never restarts during a run.
import { createStore } from 'zustand/vanilla'
import { call } from '../api'
import { reportError } from './toast-store'

export interface UpdateStoreState {
  /** The downloaded version; null: none (or updates are off, which the window never mentions). */
  ready: string | null
  restarting: boolean
  setReady(version: string | null): void
  restart(): Promise<void>
}

export const updateStore = createStore<UpdateStoreState>()((set) => ({
  ready: null,
  restarting: false,
  setReady(version) {
    set({ ready: version })
  },
  async restart() {
    set({ restarting: true })
    try {
      const { restarting } = await call('app:restartToUpdate', {})
      set({ restarting })
    } catch (err) {
      set({ restarting: false })
      reportError('everyday.update.failed', err)
    }
  }
}))
