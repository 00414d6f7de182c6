// The code of a step as it ran in a past run, opened read-only from a line of that run's traceback.
import { createStore } from 'zustand/vanilla'

export interface RecordedCodeView {
  executionId: string
  stepId: string
  name: string
  code: string
  line: number
  /** null: the step is no longer in the workflow, so there is nothing to compare with. */
  differs: boolean | null
}

export interface RecordedCodeState {
  view: RecordedCodeView | null
  show(view: RecordedCodeView): void
  close(): void
}

export const recordedCodeStore = createStore<RecordedCodeState>()((set) => ({
  view: null,
  show(view) {
    set({ view })
  },
  close() {
    set({ view: null })
  }
}))
