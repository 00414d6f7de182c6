// Pushed run events are applied at most once per frame: a script writing 10,000 lines a second sends
// dozens of run:log events, and re-rendering for each would freeze the window. The timer fallback keeps
// events flowing when the window is hidden and requestAnimationFrame stops firing.
import type { EventChannels, RunEventChannel } from '../../../shared/ipc-contract'

export type RunEvent = { [E in RunEventChannel]: { channel: E; payload: EventChannels[E] } }[RunEventChannel]

export interface Scheduler {
  frame(cb: () => void): () => void
  fallbackMs: number
}

// Typed loosely so the stores' unit tests (no DOM library) compile too.
const frames = globalThis as { requestAnimationFrame?: (cb: () => void) => number; cancelAnimationFrame?: (id: number) => void }

const browserScheduler: Scheduler = {
  frame(cb) {
    let done = false
    const run = (): void => {
      if (done) return
      done = true
      cb()
    }
    const raf = frames.requestAnimationFrame ? frames.requestAnimationFrame(run) : null
    const timer = setTimeout(run, 250)
    return () => {
      done = true
      if (raf !== null) frames.cancelAnimationFrame?.(raf)
      clearTimeout(timer)
    }
  },
  fallbackMs: 250
}

export interface EventBatcher {
  push(event: RunEvent): void
  flush(): void
  dispose(): void
}

export function createEventBatcher(apply: (events: RunEvent[]) => void, scheduler: Scheduler = browserScheduler): EventBatcher {
  let queue: RunEvent[] = []
  let cancel: (() => void) | null = null
  const flush = (): void => {
    cancel?.()
    cancel = null
    if (!queue.length) return
    const events = queue
    queue = []
    apply(events)
  }
  return {
    push(event) {
      queue.push(event)
      cancel ??= scheduler.frame(flush)
    },
    flush,
    dispose() {
      cancel?.()
      cancel = null
      queue = []
    }
  }
}
