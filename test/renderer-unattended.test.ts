// A failed unattended run in the window: the shell's events become a badge on the Schedules button, seen
// when the Schedules view opens, and a notification's click opens that run in its workflow's History.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setTransport } from '../src/renderer/src/api'
import { listenForUnattendedRuns } from '../src/renderer/src/unattended-events'
import { draftStore } from '../src/renderer/src/stores/draft-store'
import { historyStore } from '../src/renderer/src/stores/history-store'
import { uiStore } from '../src/renderer/src/stores/ui-store'
import { unattendedStore } from '../src/renderer/src/stores/unattended-store'
import type { EventChannels, StepwiseApi } from '../src/shared/ipc-contract'
import type { Execution, ExecutionSummary, Workflow } from '../src/shared/model'

const workflow = (id: string, name: string): Workflow => ({
  id,
  name,
  description: '',
  on_failure: [],
  env: {},
  clean_env: false,
  requirements: [],
  variables: {},
  working_directory: null,
  python_path: null,
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:00:00.000Z',
  steps: []
})

const summary = (id: string, workflowId: string): ExecutionSummary =>
  ({ id, workflow_id: workflowId, workflow_name: 'Invoices', status: 'FAILED', trigger: 'folder' }) as unknown as ExecutionSummary

/** The window's transport with the shell's side played by the test: requests answered, events pushed. */
function fakeShell() {
  const listeners = new Map<string, (payload: unknown) => void>()
  const invoke = vi.fn(async (channel: string, params: { id?: string }) => {
    if (channel === 'workflows:get') return { ok: true, value: workflow(params.id!, params.id === 'wf-inv' ? 'Invoices' : 'Report') }
    if (channel === 'executions:list') return { ok: true, value: [summary('run-7', 'wf-inv')] }
    if (channel === 'executions:get') return { ok: true, value: { ...summary(params.id!, 'wf-inv'), steps: [] } as unknown as Execution }
    if (channel === 'workflows:list') return { ok: true, value: [] }
    return { ok: false, error: { code: 'INTERNAL', message: `no fake for ${channel}` } }
  })
  setTransport({
    invoke,
    on: (channel: string, fn: (payload: unknown) => void) => {
      listeners.set(channel, fn)
      return () => listeners.delete(channel)
    }
  } as unknown as StepwiseApi)
  const push = <E extends keyof EventChannels>(channel: E, payload: EventChannels[E]) => listeners.get(channel)!(payload)
  return { push, invoke }
}

describe('failed unattended runs in the window', () => {
  let stop: (() => void) | undefined
  afterEach(() => {
    stop?.()
    setTransport(null)
    unattendedStore.setState({ failures: [] })
    uiStore.setState({ screen: 'workflow', tab: 'steps' })
    historyStore.setState({ workflowId: null, list: [], openId: null, open: null })
  })

  it('counts each failure once until the Schedules view is opened', () => {
    const shell = fakeShell()
    stop = listenForUnattendedRuns()
    const failure = { execution_id: 'run-7', workflow_id: 'wf-inv', workflow_name: 'Invoices' }
    shell.push('unattended:failed', failure)
    shell.push('unattended:failed', failure)
    shell.push('unattended:failed', { ...failure, execution_id: 'run-8' })
    expect(unattendedStore.getState().failures.map((f) => f.execution_id)).toEqual(['run-7', 'run-8'])
    unattendedStore.getState().seenAll()
    expect(unattendedStore.getState().failures).toEqual([])
  })

  it("opens the clicked notification's run: its workflow, the History tab, that run, no longer counted", async () => {
    const shell = fakeShell()
    stop = listenForUnattendedRuns()
    draftStore.getState().load(workflow('wf-other', 'Report'))
    shell.push('unattended:failed', { execution_id: 'run-7', workflow_id: 'wf-inv', workflow_name: 'Invoices' })
    shell.push('unattended:failed', { execution_id: 'run-8', workflow_id: 'wf-inv', workflow_name: 'Invoices' })
    uiStore.getState().setScreen('schedules')
    shell.push('unattended:open', { execution_id: 'run-7', workflow_id: 'wf-inv' })
    await vi.waitFor(() => expect(historyStore.getState().open?.id).toBe('run-7'))
    expect(draftStore.getState().draft?.id).toBe('wf-inv')
    expect(uiStore.getState()).toMatchObject({ screen: 'workflow', tab: 'history' })
    expect(historyStore.getState().openId).toBe('run-7')
    expect(unattendedStore.getState().failures.map((f) => f.execution_id)).toEqual(['run-8'])
  })
})
