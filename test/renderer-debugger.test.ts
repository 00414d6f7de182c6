// The window's side of the step debugger: breakpoints persist per step (workflow + step) and follow the
// session, and the session view follows the main process's events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setTransport } from '../src/renderer/src/api'
import { breakpointKey, loadBreakpoints, toggled } from '../src/renderer/src/lib/breakpoints'
import { debugStore } from '../src/renderer/src/stores/debug-store'
import type { StepwiseApi } from '../src/shared/ipc-contract'
import { translate } from '../src/renderer/src/i18n'

const calls: { channel: string; params: unknown }[] = []
const answers: Record<string, unknown> = {}

/** An answer that is main refusing the request. */
class Refusal {
  constructor(readonly error: Record<string, unknown>) {}
}

class MemoryStorage {
  private readonly items = new Map<string, string>()
  getItem = (k: string) => this.items.get(k) ?? null
  setItem = (k: string, v: string) => void this.items.set(k, v)
  removeItem = (k: string) => void this.items.delete(k)
}

let storage: MemoryStorage

beforeEach(() => {
  storage = new MemoryStorage()
  ;(globalThis as { localStorage?: unknown }).localStorage = storage
  calls.length = 0
  setTransport({
    invoke: async (channel: string, params: unknown) => {
      calls.push({ channel, params })
      const answer = answers[channel]
      if (answer instanceof Refusal) return { ok: false, error: answer.error }
      return { ok: true, value: answer ?? {} }
    },
    on: () => () => undefined
  } as unknown as StepwiseApi)
  debugStore.setState({ breakpoints: {}, session: null, watches: [], watchValues: [], console: [] })
})
afterEach(() => {
  setTransport(null)
  delete (globalThis as { localStorage?: unknown }).localStorage
})

describe('breakpoints', () => {
  it('toggle on and off, sorted, and persist per workflow and step', () => {
    expect(toggled([{ line: 9 }], 3)).toEqual([{ line: 3 }, { line: 9 }])
    expect(toggled([{ line: 3 }, { line: 9 }], 3)).toEqual([{ line: 9 }])
    const store = debugStore.getState()
    store.toggleBreakpoint('wf', 'a', 12)
    store.toggleBreakpoint('wf', 'a', 4)
    store.setCondition('wf', 'a', 12, 'row["amount"] > 100')
    store.toggleBreakpoint('wf', 'b', 1)
    expect(loadBreakpoints('wf', 'a')).toEqual([{ line: 4 }, { line: 12, condition: 'row["amount"] > 100' }])
    expect(loadBreakpoints('wf', 'b')).toEqual([{ line: 1 }])
    // Something else in the storage (an older format, a hand edit) never breaks the editor.
    storage.setItem(breakpointKey('wf', 'c'), '{"not": "a list"')
    expect(loadBreakpoints('wf', 'c')).toEqual([])
  })
})

describe('a debug session in the window', () => {
  it('starts with the step’s breakpoints, follows stops and the end, and sends changed breakpoints to the live step', async () => {
    debugStore.getState().toggleBreakpoint('wf', 'a', 7)
    answers['debug:start'] = {
      session_id: 's1',
      breakpoints: [{ line: 7, verified: true, actual_line: 7 }],
      python: 'py',
      working_directory: '/w'
    }
    await debugStore.getState().start('wf', 'a', { executionId: 'e1' })
    expect(calls[0]).toEqual({
      channel: 'debug:start',
      params: { workflow_id: 'wf', step_id: 'a', execution_id: 'e1', breakpoints: [{ line: 7 }], code: undefined }
    })
    expect(debugStore.getState().session).toMatchObject({ id: 's1', status: 'running', executionId: 'e1' })

    debugStore.getState().apply({
      session_id: 's1',
      kind: 'stopped',
      reason: 'breakpoint',
      line: 7,
      frame_id: 0,
      frames: [{ id: 0, name: '<module>', file: '/t/step.py', line: 7, user: true }],
      exception: null
    })
    expect(debugStore.getState().session).toMatchObject({ status: 'paused', line: 7 })
    // Another session's events are not ours.
    debugStore.getState().apply({ session_id: 'other', kind: 'continued' })
    expect(debugStore.getState().session?.status).toBe('paused')

    answers['debug:setBreakpoints'] = { breakpoints: [{ line: 8, verified: true, actual_line: 9, message: 'moved' }] }
    debugStore.getState().toggleBreakpoint('wf', 'a', 8)
    await new Promise((r) => setTimeout(r, 0))
    expect(calls.at(-1)).toEqual({ channel: 'debug:setBreakpoints', params: { session_id: 's1', breakpoints: [{ line: 7 }, { line: 8 }] } })

    debugStore.getState().apply({ session_id: 's1', kind: 'output', lines: ['hello'] })
    debugStore.getState().apply({ session_id: 's1', kind: 'exited', status: 'SUCCESS', exit_code: 0, output: { a: 1 }, error: null })
    expect(debugStore.getState().session).toMatchObject({
      status: 'ended',
      line: null,
      output: ['hello'],
      exit: { status: 'SUCCESS', exitCode: 0, output: { a: 1 } }
    })
  })
})

describe('a debug session main refuses', () => {
  afterEach(() => delete answers['debug:start'])

  it("ends with the refusal in the window's language, the step named, not main's English", async () => {
    answers['debug:start'] = new Refusal({
      code: 'NOT_FOUND',
      message: 'Step "Read" never started in that run: there are no inputs to debug it with.',
      key: 'debugNeverStarted',
      params: { step: 'Read' }
    })
    await debugStore.getState().start('wf', 'a', { executionId: 'e1' })
    const exit = debugStore.getState().session?.exit
    expect(exit).toMatchObject({ status: 'FAILED', explained: { key: 'errko.debugNeverStarted', params: { step: 'Read' } } })
    expect(translate('ko', exit!.explained!.key, exit!.explained!.params)).toBe(
      '그 실행에서 단계 “Read”은(는) 시작되지 않아 디버그할 입력이 없습니다.'
    )
  })
})
