// The step debugger in the window (issue 13): the breakpoints of the step on screen, the one debug session
// (which step, paused where, its stack, output and end), watch expressions and the console's history.
import { createStore } from 'zustand/vanilla'
import type { Breakpoint, BreakpointResult, DebugCommand, DebugEvent, DebugFrame, DebugVariable } from '../../../shared/debugger'
import type { JsonValue } from '../../../shared/model'
import { call } from '../api'
import { loadBreakpoints, saveBreakpoints, toggled } from '../lib/breakpoints'
import { errorText, type ErrorText } from '../lib/error-text'
import { reportError } from './toast-store'

export type DebugStatus = 'starting' | 'running' | 'paused' | 'ended'

export interface ConsoleEntry {
  id: number
  expression: string
  result?: DebugVariable
  error?: string
}

export interface WatchValue {
  expression: string
  value: string | null
  error: string | null
}

export interface DebugSessionView {
  id: string | null
  workflowId: string
  stepId: string
  /** Set when the step runs on the inputs that execution recorded for it. */
  executionId: string | null
  status: DebugStatus
  line: number | null
  reason: string | null
  exception: string | null
  frames: DebugFrame[]
  selectedFrame: number
  output: string[]
  /** `explained`: a refusal main gave a code for, said in the window's language instead of `error`. */
  exit: { status: string; exitCode: number | null; output: JsonValue | null; error: string | null; explained?: ErrorText | null } | null
  breakpointResults: BreakpointResult[]
}

export interface DebugState {
  /** Keyed by "workflowId:stepId"; loaded from localStorage on first use. */
  breakpoints: Record<string, Breakpoint[]>
  session: DebugSessionView | null
  watches: string[]
  watchValues: WatchValue[]
  console: ConsoleEntry[]
  breakpointsOf(workflowId: string, stepId: string): Breakpoint[]
  toggleBreakpoint(workflowId: string, stepId: string, line: number): void
  setCondition(workflowId: string, stepId: string, line: number, condition: string): void
  start(workflowId: string, stepId: string, options?: { executionId?: string; code?: string }): Promise<void>
  command(command: DebugCommand): Promise<void>
  stop(): Promise<void>
  close(): void
  selectFrame(index: number): void
  addWatch(expression: string): void
  removeWatch(index: number): void
  evaluate(expression: string): Promise<void>
  apply(event: DebugEvent): void
}

const MAX_OUTPUT_LINES = 5000
let consoleId = 1
const keyOf = (workflowId: string, stepId: string) => `${workflowId}:${stepId}`

export const debugStore = createStore<DebugState>()((set, get) => {
  const persist = (workflowId: string, stepId: string, list: Breakpoint[]): void => {
    saveBreakpoints(workflowId, stepId, list)
    set((s) => ({ breakpoints: { ...s.breakpoints, [keyOf(workflowId, stepId)]: list } }))
    const session = get().session
    if (session?.id && session.status !== 'ended' && session.workflowId === workflowId && session.stepId === stepId) {
      void call('debug:setBreakpoints', { session_id: session.id, breakpoints: list })
        .then((r) => patchSession({ breakpointResults: r.breakpoints }))
        .catch(() => undefined)
    }
  }
  const patchSession = (patch: Partial<DebugSessionView>): void => {
    const session = get().session
    if (session) set({ session: { ...session, ...patch } })
  }
  const refreshWatches = async (): Promise<void> => {
    const session = get().session
    if (!session?.id || session.status !== 'paused') return
    const values = await Promise.all(
      get().watches.map(async (expression): Promise<WatchValue> => {
        try {
          const r = await call('debug:evaluate', { session_id: session.id!, frame_id: session.selectedFrame, expression })
          return { expression, value: r.result?.value ?? null, error: r.error ?? null }
        } catch (err) {
          return { expression, value: null, error: err instanceof Error ? err.message : String(err) }
        }
      })
    )
    set({ watchValues: values })
  }

  return {
    breakpoints: {},
    session: null,
    watches: [],
    watchValues: [],
    console: [],
    breakpointsOf(workflowId, stepId) {
      const key = keyOf(workflowId, stepId)
      const known = get().breakpoints[key]
      if (known) return known
      const loaded = loadBreakpoints(workflowId, stepId)
      set((s) => ({ breakpoints: { ...s.breakpoints, [key]: loaded } }))
      return loaded
    },
    toggleBreakpoint(workflowId, stepId, line) {
      persist(workflowId, stepId, toggled(get().breakpointsOf(workflowId, stepId), line))
    },
    setCondition(workflowId, stepId, line, condition) {
      const list = get()
        .breakpointsOf(workflowId, stepId)
        .map((b) => (b.line === line ? (condition.trim() ? { line, condition } : { line }) : b))
      persist(workflowId, stepId, list)
    },
    async start(workflowId, stepId, options = {}) {
      const running = get().session
      if (running?.id && running.status !== 'ended') await get().stop()
      set({
        console: [],
        watchValues: [],
        session: {
          id: null,
          workflowId,
          stepId,
          executionId: options.executionId ?? null,
          status: 'starting',
          line: null,
          reason: null,
          exception: null,
          frames: [],
          selectedFrame: 0,
          output: [],
          exit: null,
          breakpointResults: []
        }
      })
      try {
        const started = await call('debug:start', {
          workflow_id: workflowId,
          step_id: stepId,
          execution_id: options.executionId,
          breakpoints: get().breakpointsOf(workflowId, stepId),
          code: options.code
        })
        const session = get().session
        if (session && session.id === null && session.stepId === stepId) {
          set({
            session: {
              ...session,
              id: started.session_id,
              status: session.status === 'starting' ? 'running' : session.status,
              breakpointResults: started.breakpoints
            }
          })
        }
      } catch (err) {
        patchSession({
          status: 'ended',
          exit: { status: 'FAILED', exitCode: null, output: null, error: String((err as Error).message), explained: errorText(err) }
        })
        reportError('debugger.error.start', err)
      }
    },
    async command(command) {
      const session = get().session
      if (!session?.id) return
      try {
        await call('debug:command', { session_id: session.id, command })
      } catch (err) {
        reportError('debugger.error.command', err)
      }
    },
    async stop() {
      const session = get().session
      if (!session?.id || session.status === 'ended') return
      await call('debug:stop', { session_id: session.id }).catch(() => undefined)
    },
    close() {
      void get().stop()
      set({ session: null, console: [], watchValues: [] })
    },
    selectFrame(index) {
      patchSession({ selectedFrame: index })
      void refreshWatches()
    },
    addWatch(expression) {
      if (!expression.trim()) return
      set((s) => ({ watches: [...s.watches, expression.trim()] }))
      void refreshWatches()
    },
    removeWatch(index) {
      set((s) => ({ watches: s.watches.filter((_, i) => i !== index), watchValues: s.watchValues.filter((_, i) => i !== index) }))
    },
    async evaluate(expression) {
      const session = get().session
      if (!session?.id || session.status !== 'paused' || !expression.trim()) return
      const entry: ConsoleEntry = { id: consoleId++, expression }
      try {
        const r = await call('debug:evaluate', { session_id: session.id, frame_id: session.selectedFrame, expression })
        Object.assign(entry, r)
      } catch (err) {
        entry.error = err instanceof Error ? err.message : String(err)
      }
      set((s) => ({ console: [...s.console, entry].slice(-200) }))
      void refreshWatches()
    },
    apply(event) {
      const session = get().session
      // Events may come before debug:start answers with the session's id.
      if (!session || (session.id !== null && session.id !== event.session_id)) return
      const id = event.session_id
      switch (event.kind) {
        case 'stopped':
          patchSession({
            id,
            status: 'paused',
            line: event.line,
            reason: event.reason,
            exception: event.exception,
            frames: event.frames,
            selectedFrame: event.frame_id
          })
          void refreshWatches()
          break
        case 'continued':
          patchSession({ id, status: 'running', line: null, reason: null, frames: [] })
          break
        case 'output':
          patchSession({ id, output: [...session.output, ...event.lines].slice(-MAX_OUTPUT_LINES) })
          break
        case 'exited':
          patchSession({
            id,
            status: 'ended',
            line: null,
            frames: [],
            exit: { status: event.status, exitCode: event.exit_code, output: event.output, error: event.error }
          })
      }
    }
  }
})
