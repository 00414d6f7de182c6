// Live runs as the pushed events describe them. Events arrive in batches (one per animation frame, see
// lib/event-batcher) and are applied in one state update by run-events-reducer; the shapes are in live-run.
import { createStore } from 'zustand/vanilla'
import { call } from '../api'
import type { RunEvent } from '../lib/event-batcher'
import { liveRunOf, recordOf } from './live-run'
import { pruneRuns, reduceEvents, type RunMaps } from './run-events-reducer'
import { runControlErrorKey } from '../lib/run-control-errors'
import type { MessageKey } from '../i18n'
import { packagesStore } from './packages-store'
import { reportError, toastStore } from './toast-store'

export * from './live-run'
export { activeRunOf, pruneRuns, reduceEvents } from './run-events-reducer'

/** A refusal main explains in English: in the person's language when it is a known one, else as main said it. */
function reportRunControlError(titleKey: MessageKey, err: unknown): void {
  const known = runControlErrorKey(err instanceof Error ? err.message : String(err))
  if (known) toastStore.getState().push({ kind: 'error', titleKey, detailKey: known })
  else reportError(titleKey, err)
}

export interface RunsState extends RunMaps {
  starting: boolean
  applyEvents(events: RunEvent[]): void
  start(workflowId: string, options?: { debug?: boolean; fromStep?: string; onlyStep?: string }): Promise<string | null>
  /** workflowId: whose packages preparation to show; by default the run's own, when the window holds it. */
  resume(executionId: string, options?: { debug?: boolean; workflowId?: string }): Promise<string | null>
  stop(executionId: string): Promise<void>
  replay(executionId: string, stepId: string, options?: { debug?: boolean }): Promise<string | null>
  fetchRecord(executionId: string): Promise<void>
  resumeActive(): Promise<void>
}

export const runsStore = createStore<RunsState>()((set, get) => ({
  runs: {},
  latestByWorkflow: {},
  replayByWorkflow: {},
  starting: false,
  applyEvents(events) {
    const { runs, latestByWorkflow, replayByWorkflow, finished, retried } = reduceEvents(
      get().runs,
      get().latestByWorkflow,
      events,
      get().replayByWorkflow
    )
    set({ runs, latestByWorkflow, replayByWorkflow })
    // A retried step's failed attempt is timed in the record only; the finished run's record has it all.
    for (const id of [...finished, ...retried]) void get().fetchRecord(id)
  },
  async start(workflowId, options = {}) {
    set({ starting: true })
    packagesStore.getState().begin(workflowId)
    try {
      const { execution_id } = await call('runs:start', {
        workflow_id: workflowId,
        debug: options.debug,
        ...(options.fromStep ? { from_step: options.fromStep } : {}),
        ...(options.onlyStep ? { only_step: options.onlyStep } : {})
      })
      packagesStore.getState().end(workflowId)
      return execution_id
    } catch (err) {
      // A failure of the packages is told in the run area, with the installer's output a click away.
      if (packagesStore.getState().fail(workflowId, err)) return null
      reportRunControlError(options.fromStep || options.onlyStep ? 'runControl.run.error.partial' : 'error.startRun', err)
      return null
    } finally {
      set({ starting: false })
    }
  },
  async resume(executionId, options = {}) {
    set({ starting: true })
    const workflowId = options.workflowId ?? get().runs[executionId]?.workflowId
    if (workflowId) packagesStore.getState().begin(workflowId)
    try {
      const { execution_id } = await call('runs:resume', { execution_id: executionId, debug: options.debug })
      if (workflowId) packagesStore.getState().end(workflowId)
      return execution_id
    } catch (err) {
      if (workflowId && packagesStore.getState().fail(workflowId, err)) return null
      reportRunControlError('runControl.run.error.resume', err)
      return null
    } finally {
      set({ starting: false })
    }
  },
  async stop(executionId) {
    try {
      await call('runs:stop', { execution_id: executionId })
    } catch (err) {
      reportError('error.stopRun', err)
    }
  },
  async replay(executionId, stepId, options = {}) {
    try {
      const { execution_id } = await call('runs:replayStep', { execution_id: executionId, step_id: stepId, debug: options.debug })
      return execution_id
    } catch (err) {
      reportError('error.replayStep', err)
      return null
    }
  },
  async fetchRecord(executionId) {
    try {
      const record = recordOf(await call('executions:get', { id: executionId }))
      // Gone when a newer run of the workflow started meanwhile and it was let go.
      const run = get().runs[executionId]
      if (run) set({ runs: { ...get().runs, [executionId]: { ...run, record } } })
    } catch {
      // The record only adds details (the interpreter path); the live run already shows the outcome.
    }
  },
  async resumeActive() {
    try {
      const ids = await call('runs:active', {})
      for (const id of ids) {
        if (get().runs[id]) continue
        const e = await call('executions:get', { id })
        if (get().runs[id]) continue
        const key = e.replay_of ? 'replayByWorkflow' : 'latestByWorkflow'
        const shown = { ...get()[key], [e.workflow_id]: id }
        const maps = { latestByWorkflow: get().latestByWorkflow, replayByWorkflow: get().replayByWorkflow, [key]: shown }
        set({ runs: pruneRuns({ ...get().runs, [id]: liveRunOf(e) }, maps.latestByWorkflow, maps.replayByWorkflow), ...maps })
      }
    } catch {
      // Nothing was running, or main is not reachable yet; the next events will tell.
    }
  }
}))
