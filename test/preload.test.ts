// The preload with a fake electron: window.stepwise is exactly { invoke, on }, and the channels it lets
// through are exactly the contract's request channels (invoke) and event channels (on), nothing else.
import { describe, expect, it, vi } from 'vitest'
import { eventChannels, requestChannels } from '../src/shared/ipc-contract'

const fake = vi.hoisted(() => {
  const exposed = new Map<string, unknown>()
  const invoked: string[] = []
  const subscribed: string[] = []
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string) => (invoked.push(channel), { ok: true, value: null }),
      on: (channel: string) => void subscribed.push(channel),
      removeListener: () => undefined
    }
  }
  return { exposed, invoked, subscribed, electron }
})
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }))

type Api = { invoke(channel: string, params?: unknown): Promise<unknown>; on(channel: string, fn: () => void): () => void }

describe('the preload', async () => {
  await import('../src/preload/index')
  const api = fake.exposed.get('stepwise') as Api

  it('exposes one object, window.stepwise, with invoke and on only', () => {
    expect([...fake.exposed.keys()]).toEqual(['stepwise'])
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
  })

  const requests = Object.keys(requestChannels)
  const events = [...eventChannels] as string[]
  const strangers = [
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'shell:openExternal',
    'ipc:raw',
    'RUNS:START',
    '',
    'run:step '
  ]

  it("passes on exactly the contract's request channels", async () => {
    for (const channel of [...requests, ...events, ...strangers]) {
      const answer = await api.invoke(channel, {})
      if (!requests.includes(channel)) expect(answer, channel).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
    expect(fake.invoked).toEqual(requests)
  })

  it("subscribes to exactly the contract's event channels", () => {
    for (const channel of [...events, ...requests, ...strangers]) {
      if (events.includes(channel)) expect(typeof api.on(channel, () => undefined)).toBe('function')
      else expect(() => api.on(channel, () => undefined), channel).toThrow(/Unknown event channel/)
    }
    expect(fake.subscribed).toEqual(events)
  })
})
