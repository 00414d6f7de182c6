// The stores without React: the editor draft (dirty tracking, add/delete/reorder, validation, save) and
// the runs store applying batched events (statuses, logs with a cap, the finished run's record).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setTransport } from '../src/renderer/src/api'
import type { RunEvent } from '../src/renderer/src/lib/event-batcher'
import { DraftInvalidError, draftStore, validateDraft } from '../src/renderer/src/stores/draft-store'
import { splitLog } from '../src/renderer/src/lib/log-lines'
import { activeRunOf, liveRunOf, MAX_LOG_LINES_PER_STEP, reduceEvents, runsStore } from '../src/renderer/src/stores/runs-store'
import { toastStore } from '../src/renderer/src/stores/toast-store'
import type { StepwiseApi } from '../src/shared/ipc-contract'
import type { Execution, Workflow } from '../src/shared/model'
import { STEP_TEMPLATE } from '../src/shared/step-template'

const workflow = (): Workflow => ({
  id: 'wf-1',
  name: 'Report',
  description: '',
  variables: { region: 'Seoul' },
  working_directory: null,
  python_path: null,
  env: {},
  clean_env: false,
  on_failure: [],
  requirements: [],
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:00:00.000Z',
  steps: [
    {
      id: 'a',
      order: 0,
      name: 'Fetch',
      step_type: 'PYTHON_SCRIPT',
      code: 'print(1)',
      description: '',
      input_mapping: {},
      output_mapping: { rows: 'data' },
      timeout_seconds: null,
      depends_on: null,
      retry: null,
      continue_on_error: false
    },
    {
      id: 'b',
      order: 1,
      name: 'Process',
      step_type: 'PYTHON_SCRIPT',
      code: 'print(2)',
      description: '',
      input_mapping: { input: 'rows' },
      output_mapping: {},
      timeout_seconds: 30,
      depends_on: null,
      retry: null,
      continue_on_error: false
    },
    {
      id: 'c',
      order: 2,
      name: 'Save',
      step_type: 'PYTHON_SCRIPT',
      code: 'print(3)',
      description: '',
      input_mapping: {},
      output_mapping: {},
      timeout_seconds: null,
      depends_on: ['b'],
      retry: null,
      continue_on_error: false
    }
  ]
})

function fakeTransport(handlers: Record<string, (params: never) => unknown>) {
  const invoke = vi.fn(async (channel: string, params: unknown) => {
    const h = handlers[channel]
    if (!h) return { ok: false, error: { code: 'INTERNAL', message: `no fake for ${channel}` } }
    try {
      return { ok: true, value: await h(params as never) }
    } catch (e) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: (e as Error).message } }
    }
  })
  setTransport({ invoke, on: () => () => undefined } as unknown as StepwiseApi)
  return invoke
}

describe('draft store', () => {
  beforeEach(() => draftStore.getState().load(workflow()))
  afterEach(() => setTransport(null))
  const d = () => draftStore.getState()

  it('is clean after loading, dirty after an edit, clean again when the edit is undone', () => {
    expect(d().dirty).toBe(false)
    expect(d().selectedStepId).toBe('a')
    d().updateStep('a', { code: 'print(10)' })
    expect(d().dirty).toBe(true)
    d().updateStep('a', { code: 'print(1)' })
    expect(d().dirty).toBe(false)
    d().update({ variablesText: '{ "region":   "Seoul" }' })
    expect(d().dirty).toBe(false)
    d().update({ variablesText: '{"region": "Busan"}' })
    expect(d().dirty).toBe(true)
  })

  it('a blank mapping row being typed does not count as a change', () => {
    d().updateStep('b', { inputs: [...d().draft!.steps[1].inputs, { key: '', value: '' }] })
    expect(d().dirty).toBe(false)
    d().updateStep('b', {
      inputs: [
        { key: 'input', value: 'rows' },
        { key: 'extra', value: 'region' }
      ]
    })
    expect(d().dirty).toBe(true)
  })

  it('adds a step from the template after the selected one, with a unique name, and selects it', () => {
    d().selectStep('a')
    const id = d().addStep('a')!
    const steps = d().draft!.steps
    expect(steps.map((s) => s.name)).toEqual(['Fetch', 'Step_4', 'Process', 'Save'])
    expect(steps.map((s) => s.order)).toEqual([0, 1, 2, 3])
    expect(steps[1]).toMatchObject({ id, code: STEP_TEMPLATE, timeout_seconds: null, inputs: [], outputs: [] })
    expect(d().selectedStepId).toBe(id)
    expect(new Set(steps.map((s) => s.id)).size).toBe(4)
  })

  it('reorders and renumbers; moving back to the saved order is clean', () => {
    d().moveStep('c', 0)
    expect(d().draft!.steps.map((s) => [s.id, s.order])).toEqual([
      ['c', 0],
      ['a', 1],
      ['b', 2]
    ])
    expect(d().dirty).toBe(true)
    d().moveStepBy('c', 1)
    d().moveStepBy('c', 1)
    expect(d().draft!.steps.map((s) => s.id)).toEqual(['a', 'b', 'c'])
    expect(d().dirty).toBe(false)
    d().moveStepBy('c', 5)
    expect(d().draft!.steps.map((s) => s.id)).toEqual(['a', 'b', 'c'])
  })

  it('deletes a step, drops explicit dependencies on it and selects a neighbour', () => {
    d().selectStep('b')
    d().deleteStep('b')
    expect(d().draft!.steps.map((s) => s.id)).toEqual(['a', 'c'])
    expect(d().draft!.steps[1].depends_on).toEqual([])
    expect(d().selectedStepId).toBe('c')
  })

  it('names each problem that would make saving fail', () => {
    d().updateStep('b', {
      name: ' ',
      inputs: [
        { key: 'x', value: '' },
        { key: 'y', value: 'a' },
        { key: 'y', value: 'b' }
      ]
    })
    d().update({ variablesText: '[1, 2]' })
    const keys = validateDraft(d().draft!).map((p) => p.key)
    expect(keys).toEqual(['problem.variablesJson', 'problem.stepName', 'problem.inputRowIncomplete', 'problem.inputRowDuplicate'])
  })

  it('refuses to save an invalid draft without calling main', async () => {
    const invoke = fakeTransport({})
    d().updateStep('a', { name: '' })
    await expect(d().save()).rejects.toBeInstanceOf(DraftInvalidError)
    expect(invoke).not.toHaveBeenCalled()
  })

  it('saves the draft in the contract’s shape and becomes clean', async () => {
    let sent: unknown
    fakeTransport({
      'workflows:save': ({ workflow: w }: { workflow: Workflow }) => {
        sent = w
        return { ...workflow(), ...w, steps: w.steps.map((s) => ({ ...s, description: s.description ?? '' })) }
      }
    })
    d().moveStep('c', 0)
    d().updateStep('a', {
      outputs: [
        { key: 'rows', value: 'data' },
        { key: '', value: '' }
      ]
    })
    expect(d().dirty).toBe(true)
    await d().save()
    expect(d().dirty).toBe(false)
    expect(sent).toMatchObject({
      id: 'wf-1',
      variables: { region: 'Seoul' },
      steps: [
        { id: 'c', order: 0, depends_on: ['b'] },
        { id: 'a', order: 1, output_mapping: { rows: 'data' } },
        { id: 'b', order: 2, input_mapping: { input: 'rows' }, timeout_seconds: 30 }
      ]
    })
  })

  it('a jump request selects the step and carries a fresh nonce each time', () => {
    d().requestJump('b', 12)
    const first = d().jump!
    expect(first).toMatchObject({ stepId: 'b', line: 12 })
    expect(d().selectedStepId).toBe('b')
    d().requestJump('b', 12)
    expect(d().jump!.nonce).not.toBe(first.nonce)
  })

  it('every load gets a new load id, even of the same workflow, so the code editor starts a fresh undo history', () => {
    const first = d().loadId
    d().load({ ...workflow(), id: 'wf-2' })
    const second = d().loadId
    d().load({ ...workflow(), id: 'wf-2' })
    expect(new Set([first, second, d().loadId]).size).toBe(3)
  })

  it('a rename from the list changes the name without marking the draft unsaved', () => {
    d().applyRename('Monthly report')
    expect(d().draft!.name).toBe('Monthly report')
    expect(d().dirty).toBe(false)
  })
})

const started: RunEvent = {
  channel: 'run:started',
  payload: {
    execution_id: 'e1',
    workflow_id: 'wf-1',
    replay_of: null,
    debug: true,
    started_at: '2026-11-23T10:00:00.000Z',
    trigger: 'manual',
    resumed_from: null,
    steps: [
      { id: 'b', name: 'Process', order: 1 },
      { id: 'a', name: 'Fetch', order: 0 }
    ]
  }
}
const stepEvent = (step_id: string, status: 'RUNNING' | 'SUCCESS' | 'FAILED' | 'SKIPPED', extra: object = {}): RunEvent => ({
  channel: 'run:step',
  payload: {
    execution_id: 'e1',
    step_id,
    status,
    started_at: '2026-11-23T10:00:01.000Z',
    finished_at: null,
    exit_code: null,
    duration_ms: null,
    error: null,
    input_variables: null,
    output: null,
    variables: null,
    script_path: null,
    variables_path: null,
    attempt: 1,
    reused_from: null,
    ...extra
  }
})
function log(step_id: string, lines: string[]): RunEvent
function log(execution_id: string, step_id: string, lines: string[]): RunEvent
function log(a: string, b: string | string[], c?: string[]): RunEvent {
  return typeof b === 'string'
    ? { channel: 'run:log', payload: { execution_id: a, step_id: b, lines: c! } }
    : { channel: 'run:log', payload: { execution_id: 'e1', step_id: a, lines: b } }
}
const startedEvent = (execution_id: string, workflow_id: string): RunEvent => ({
  channel: 'run:started',
  payload: {
    execution_id,
    workflow_id,
    replay_of: null,
    debug: false,
    started_at: '2026-11-23T10:00:00.000Z',
    trigger: 'manual',
    resumed_from: null,
    steps: [{ id: 'a', name: 'Fetch', order: 0 }]
  }
})
const finishedEvent = (execution_id: string, status: 'SUCCESS' | 'FAILED' | 'CANCELLED'): RunEvent => ({
  channel: 'run:finished',
  payload: { execution_id, workflow_id: 'unused', status, completed_at: 'x', error: null, variables: {} }
})

describe('runs store', () => {
  afterEach(() => {
    setTransport(null)
    runsStore.setState({ runs: {}, latestByWorkflow: {} })
    toastStore.getState().clear()
  })

  it('applies a batch: the run starts, steps run in order, logs arrive, the run finishes', () => {
    const { runs, latestByWorkflow, finished } = reduceEvents({}, {}, [
      started,
      stepEvent('a', 'RUNNING', { input_variables: { region: 'Seoul' } }),
      log('a', ['one', 'two']),
      log('a', ['three']),
      stepEvent('a', 'SUCCESS', { output: { data: [1] }, variables: { rows: [1] }, duration_ms: 120, script_path: '/t/step_0_Fetch.py' }),
      stepEvent('b', 'RUNNING'),
      log('b', ['Traceback (most recent call last):']),
      stepEvent('b', 'FAILED', { error: 'Script failed with exit code 1', exit_code: 1 }),
      {
        channel: 'run:finished',
        payload: {
          execution_id: 'e1',
          workflow_id: 'wf-1',
          status: 'FAILED',
          completed_at: '2026-11-23T10:00:03.000Z',
          error: 'Step "Process": ...',
          variables: { rows: [1] }
        }
      }
    ])
    expect(latestByWorkflow).toEqual({ 'wf-1': 'e1' })
    expect(finished).toEqual(['e1'])
    const run = runs.e1
    expect(run.status).toBe('FAILED')
    expect(run.debug).toBe(true)
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ['Fetch', 'SUCCESS'],
      ['Process', 'FAILED']
    ])
    expect(run.steps[0]).toMatchObject({
      lines: ['one', 'two', 'three'],
      inputVariables: { region: 'Seoul' },
      output: { data: [1] },
      durationMs: 120,
      scriptPath: '/t/step_0_Fetch.py'
    })
    expect(run.steps[0].logVersion).toBe(2)
    expect(run.steps[1]).toMatchObject({ error: 'Script failed with exit code 1', exitCode: 1 })
    expect(run.variables).toEqual({ rows: [1] })
  })

  it('ignores events of runs it never saw start', () => {
    const { runs } = reduceEvents({}, {}, [log('a', ['x']), stepEvent('a', 'RUNNING')])
    expect(runs).toEqual({})
  })

  it('keeps at most the cap of lines per step, counting what it dropped', () => {
    let state = reduceEvents({}, {}, [started])
    const batch = Array.from({ length: 2000 }, (_, i) => `line ${i}`)
    const total = MAX_LOG_LINES_PER_STEP + 20_000
    for (let sent = 0; sent < total; sent += batch.length) {
      state = reduceEvents(state.runs, state.latestByWorkflow, [
        log(
          'a',
          batch.map((l) => `${sent}:${l}`)
        )
      ])
    }
    const step = state.runs.e1.steps[0]
    expect(step.lines.length).toBeLessThanOrEqual(MAX_LOG_LINES_PER_STEP * 1.1)
    expect(step.lines.length + step.droppedLines).toBe(total)
    expect(step.lines[step.lines.length - 1]).toBe(`${total - 2000}:line 1999`)
  })

  it('marks a step still running when the run was stopped as stopped', () => {
    const { runs } = reduceEvents({}, {}, [
      started,
      stepEvent('a', 'RUNNING'),
      {
        channel: 'run:finished',
        payload: {
          execution_id: 'e1',
          workflow_id: 'wf-1',
          status: 'CANCELLED',
          completed_at: 'x',
          error: 'Stopped by the user.',
          variables: {}
        }
      }
    ])
    expect(runs.e1.steps[0].status).toBe('CANCELLED')
    expect(runs.e1.steps[1].status).toBe('PENDING')
  })

  it('fetches the recorded execution once a run has finished, for the interpreter path', async () => {
    const record = { id: 'e1', python_path: '/usr/bin/python3', steps: [] } as unknown as Execution
    const invoke = fakeTransport({ 'executions:get': () => record })
    runsStore.getState().applyEvents([
      started,
      {
        channel: 'run:finished',
        payload: { execution_id: 'e1', workflow_id: 'wf-1', status: 'SUCCESS', completed_at: 'x', error: null, variables: {} }
      }
    ])
    await vi.waitFor(() => expect(runsStore.getState().runs.e1.record).toEqual({ python_path: '/usr/bin/python3', steps: [] }))
    expect(invoke).toHaveBeenCalledWith('executions:get', { id: 'e1' })
  })

  it('keeps from the record only what the run panel shows, not the logs or the code', async () => {
    const stepRun = {
      execution_id: 'e1',
      step_id: 'a',
      name: 'Fetch',
      order: 0,
      status: 'SUCCESS',
      exit_code: 0,
      started_at: 'x',
      finished_at: 'y',
      duration_ms: 5,
      input_variables: { big: 'x'.repeat(1000) },
      output: { n: 1 },
      logs: 'line\n'.repeat(100_000),
      error: null,
      code: 'print(1)',
      script_path: '/t/step_0_Fetch.py',
      variables_path: '/t/step_0_Fetch.json'
    }
    const record = {
      id: 'e1',
      workflow_id: 'wf-1',
      python_path: '/usr/bin/python3',
      steps: [stepRun],
      initial_variables: {},
      variables: { v: 1 },
      step_outputs: { a: { n: 1 } }
    } as unknown as Execution
    fakeTransport({ 'executions:get': () => record })
    runsStore.getState().applyEvents([started, finishedEvent('e1', 'SUCCESS')])
    await vi.waitFor(() => expect(runsStore.getState().runs.e1.record).not.toBeNull())
    expect(runsStore.getState().runs.e1.record).toEqual({
      python_path: '/usr/bin/python3',
      steps: [
        {
          step_id: 'a',
          status: 'SUCCESS',
          exit_code: 0,
          error: null,
          output: { n: 1 },
          script_path: '/t/step_0_Fetch.py',
          variables_path: '/t/step_0_Fetch.json',
          previous_attempts: []
        }
      ]
    })
  })

  it('lets go of finished runs other than each workflow’s newest; runs still going stay', () => {
    let state = reduceEvents({}, {}, [startedEvent('e1', 'wf-1'), finishedEvent('e1', 'SUCCESS')])
    expect(Object.keys(state.runs)).toEqual(['e1'])
    // A newer run of the same workflow replaces the finished one; another workflow's run is kept.
    state = reduceEvents(state.runs, state.latestByWorkflow, [
      startedEvent('x1', 'wf-2'),
      finishedEvent('x1', 'FAILED'),
      startedEvent('e2', 'wf-1')
    ])
    expect(Object.keys(state.runs).sort()).toEqual(['e2', 'x1'])
    // A replay that started while e2 still runs is the newest, but e2 stays until it finishes...
    state = reduceEvents(state.runs, state.latestByWorkflow, [startedEvent('e3', 'wf-1'), finishedEvent('e3', 'SUCCESS')])
    expect(Object.keys(state.runs).sort()).toEqual(['e2', 'e3', 'x1'])
    expect(activeRunOf(state, 'wf-1')?.executionId).toBe('e2')
    expect(activeRunOf(state, 'wf-2')).toBeUndefined()
    // ...and goes once it has.
    state = reduceEvents(state.runs, state.latestByWorkflow, [finishedEvent('e2', 'CANCELLED')])
    expect(Object.keys(state.runs).sort()).toEqual(['e3', 'x1'])
    expect(state.latestByWorkflow).toEqual({ 'wf-1': 'e3', 'wf-2': 'x1' })
    expect(activeRunOf(state, 'wf-1')).toBeUndefined()

    // A hundred runs later, the store holds one run per workflow.
    for (let i = 0; i < 100; i++) {
      state = reduceEvents(state.runs, state.latestByWorkflow, [
        startedEvent(`r${i}`, 'wf-1'),
        log(`r${i}`, 'a', ['x'.repeat(100)]),
        finishedEvent(`r${i}`, 'SUCCESS')
      ])
    }
    expect(Object.keys(state.runs).sort()).toEqual(['r99', 'x1'])
  })

  it('a record fetched after its run was let go is dropped too', async () => {
    let resolve: (e: Execution) => void = () => undefined
    fakeTransport({ 'executions:get': () => new Promise<Execution>((r) => (resolve = r)) })
    runsStore.getState().applyEvents([startedEvent('e1', 'wf-1'), finishedEvent('e1', 'SUCCESS')])
    runsStore.getState().applyEvents([startedEvent('e2', 'wf-1')])
    resolve({ id: 'e1', python_path: '/p', steps: [] } as unknown as Execution)
    await new Promise((r) => setTimeout(r, 10))
    expect(Object.keys(runsStore.getState().runs)).toEqual(['e2'])
  })

  it('a run resumed from its record keeps only the last lines of a long log, counting the rest', () => {
    const total = MAX_LOG_LINES_PER_STEP + 1234
    const logs = Array.from({ length: total }, (_, i) => `line ${i}`).join('\n') + '\n'
    const run = liveRunOf({
      id: 'e9',
      workflow_id: 'wf-1',
      status: 'RUNNING',
      replay_of: null,
      debug: false,
      started_at: 'x',
      completed_at: null,
      error: null,
      variables: {},
      python_path: '/p',
      steps: [{ step_id: 'a', name: 'Fetch', order: 0, status: 'RUNNING', logs, script_path: null, variables_path: null }]
    } as unknown as Execution)
    const step = run.steps[0]
    expect(step.lines).toHaveLength(MAX_LOG_LINES_PER_STEP)
    expect(step.droppedLines).toBe(1234)
    expect(step.lines[0]).toBe('line 1234')
    expect(step.lines.at(-1)).toBe(`line ${total - 1}`)
    expect(run.record).toBeNull()
  })

  it('splits a log into its last lines without losing count', () => {
    expect(splitLog('', 3)).toEqual({ lines: [], dropped: 0 })
    expect(splitLog(null, 3)).toEqual({ lines: [], dropped: 0 })
    expect(splitLog('a', 3)).toEqual({ lines: ['a'], dropped: 0 })
    expect(splitLog('a\nb\nc\n', 3)).toEqual({ lines: ['a', 'b', 'c'], dropped: 0 })
    expect(splitLog('a\nb\nc\nd', 3)).toEqual({ lines: ['b', 'c', 'd'], dropped: 1 })
    expect(splitLog('a\nb\nc\nd\ne\n', 2)).toEqual({ lines: ['d', 'e'], dropped: 3 })
    expect(splitLog('\n\n\n', 2)).toEqual({ lines: ['', ''], dropped: 1 })
    expect(splitLog('\nx', 1)).toEqual({ lines: ['x'], dropped: 1 })
    expect(splitLog('\n\n', 5)).toEqual({ lines: ['', ''], dropped: 0 })
  })

  it('a run that cannot start becomes a readable error toast', async () => {
    fakeTransport({
      'runs:start': () => {
        throw new Error('The working folder "D:\\없음" does not exist. Create it or choose another one.')
      }
    })
    expect(await runsStore.getState().start('wf-1')).toBeNull()
    expect(toastStore.getState().toasts).toEqual([
      expect.objectContaining({
        kind: 'error',
        titleKey: 'error.startRun',
        detail: 'The working folder "D:\\없음" does not exist. Create it or choose another one.'
      })
    ])
  })
})
