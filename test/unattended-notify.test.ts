// The shell's side of a failed unattended run, with a fake electron and real runs: the window gets a badge
// event, the notification is in the person's language, and its click brings the window up on that run.
import { afterAll, describe, expect, it, vi } from 'vitest'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

const fake = vi.hoisted(() => {
  const notes: { options: { title: string; body: string }; click?: () => void; shown: boolean }[] = []
  class Notification {
    static isSupported = () => true
    entry: (typeof notes)[number]
    constructor(options: { title: string; body: string }) {
      this.entry = { options, shown: false }
      notes.push(this.entry)
    }
    on(name: string, fn: () => void) {
      if (name === 'click') this.entry.click = fn
    }
    show() {
      this.entry.shown = true
    }
  }
  return { notes, electron: { Notification, powerMonitor: { on: () => undefined } } }
})
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }))

function fakeWindow(loading: boolean) {
  const sent: [string, unknown][] = []
  let onLoad: (() => void) | undefined
  const win = {
    isDestroyed: () => false,
    webContents: {
      isLoading: () => loading,
      once: (_name: string, fn: () => void) => (onLoad = fn),
      send: (channel: string, payload: unknown) => sent.push([channel, payload])
    }
  }
  return { win, sent, load: () => onLoad?.() }
}

describe('a failed unattended run', async () => {
  const { startUnattended } = await import('../src/main/app/unattended')
  const services = openRealServices(makeTempDir('stepwise-notify-'))
  services.store.updateSettings({ python_path: PYTHON })
  const failing = services.store.saveWorkflow(workflow('송장 처리', [step(1, 'Parse', py('sys.exit(3)'))]))
  const open = fakeWindow(false)
  const reopened = fakeWindow(true)
  let current: unknown = open.win
  const unattended = startUnattended(
    { ...services, close: async () => undefined } as never,
    { current: () => current as never, show: () => reopened.win as never },
    () => 'ko'
  )
  afterAll(async () => {
    await unattended.stop()
    services.runner.dispose()
    services.store.close()
  })

  it('tells the window (the badge) and shows a Korean notification; a manual failure does neither', async () => {
    await (
      await services.runner.start(failing.id, { python: PYTHON })
    ).done
    expect(open.sent).toEqual([])
    expect(fake.notes).toHaveLength(0)
    const run = await services.runner.start(failing.id, { python: PYTHON, trigger: 'folder', triggerId: 'trg-1' })
    const done = await run.done
    expect(done.status).toBe('FAILED')
    await vi.waitFor(() => expect(fake.notes).toHaveLength(1))
    expect(open.sent).toEqual([
      ['unattended:failed', { execution_id: run.executionId, workflow_id: failing.id, workflow_name: '송장 처리' }]
    ])
    expect(fake.notes[0]).toMatchObject({ shown: true, options: { title: '자동 실행이 실패했습니다' } })
    expect(fake.notes[0].options.body).toContain('송장 처리')
  })

  it('opens that run when the notification is clicked, in a window made again after the page has loaded', () => {
    current = null // closed to the tray
    fake.notes[0].click!()
    expect(reopened.sent).toEqual([]) // not before the page listens
    reopened.load()
    const executionId = (open.sent[0][1] as { execution_id: string }).execution_id
    expect(reopened.sent).toEqual([['unattended:open', { execution_id: executionId, workflow_id: failing.id }]])
  })
})
