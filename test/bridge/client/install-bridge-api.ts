// Gives the renderer, in a plain browser, the same window.stepwise the preload gives it in Electron,
// carried over the test bridge's WebSocket. Loaded before the renderer's own entry script, so it first
// loads what the renderer's entry loads first: the CSP settings (zod without eval) that must precede any schema.
import '../../../src/renderer/src/lib/csp'
import { isEventChannel, isRequestChannel, type EventChannel, type IpcResult, type StepwiseApi } from '../../../src/shared/ipc-contract'

type Pending = (result: IpcResult<unknown>) => void

function connect(): StepwiseApi {
  const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ipc`)
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener('error', () => reject(new Error('The test bridge is not reachable.')), { once: true })
  })
  const pending = new Map<number, Pending>()
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>()
  let nextId = 1

  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as { id?: number; result?: IpcResult<unknown>; event?: EventChannel; payload?: unknown }
    if (data.event) {
      for (const l of listeners.get(data.event) ?? []) l(data.payload)
    } else if (data.id !== undefined && data.result) {
      pending.get(data.id)?.(data.result)
      pending.delete(data.id)
    }
  })

  return {
    async invoke(channel, params) {
      if (!isRequestChannel(channel))
        return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown request channel "${String(channel)}".` } }
      await opened
      const id = nextId++
      // A round trip through JSON, as structured cloning over Electron's IPC would make of it.
      const result = new Promise<IpcResult<unknown>>((resolve) => pending.set(id, resolve))
      socket.send(JSON.stringify({ id, channel, params }))
      return result as never
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new Error(`Unknown event channel "${String(channel)}".`)
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set)
      const l = listener as (payload: unknown) => void
      set.add(l)
      return () => {
        set.delete(l)
      }
    }
  }
}

window.stepwise = connect()
