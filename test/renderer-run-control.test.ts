// Run control as the window follows it: parallel steps each with their own status and log, a retried step's
// attempts, on-failure steps joining a failed run, reused steps, a replay that leaves the run on screen as
// it was, the timeline's bars, and main's refusals in the person's language.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setTransport } from '../src/renderer/src/api'
import type { RunEvent } from '../src/renderer/src/lib/event-batcher'
import { runControlErrorKey } from '../src/renderer/src/lib/run-control-errors'
import { layoutTimeline } from '../src/renderer/src/lib/timeline'
import { attemptsOf, liveRunOf, reduceEvents, runsStore, type RunRecord } from '../src/renderer/src/stores/runs-store'
import { toastStore } from '../src/renderer/src/stores/toast-store'
import type { StepEvent, StepwiseApi } from '../src/shared/ipc-contract'
import type { Execution } from '../src/shared/model'

const started = (execution_id = 'e1', extra: object = {}): RunEvent => ({
  channel: 'run:started',
  payload: {
    execution_id,
    workflow_id: 'wf-1',
    replay_of: null,
    debug: false,
    started_at: '2026-11-23T10:00:00.000Z',
    trigger: 'manual',
    resumed_from: null,
    steps: [
      { id: 'a', name: 'Fetch', order: 0 },
      { id: 'b', name: 'Left', order: 1 },
      { id: 'c', name: 'Right', order: 2 }
    ],
    ...extra
  }
})
const step = (step_id: string, status: StepEvent['status'], extra: Partial<StepEvent> = {}, execution_id = 'e1'): RunEvent => ({
  channel: 'run:step',
  payload: {
    execution_id,
    step_id,
    status,
    started_at: null,
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
const log = (step_id: string, lines: string[], execution_id = 'e1'): RunEvent => ({
  channel: 'run:log',
  payload: { execution_id, step_id, lines }
})
const finished = (status: 'SUCCESS' | 'FAILED', execution_id = 'e1'): RunEvent => ({
  channel: 'run:finished',
  payload: { execution_id, workflow_id: 'wf-1', status, completed_at: '2026-11-23T10:00:09.000Z', error: null, variables: {} }
})

describe('live runs under run control', () => {
  afterEach(() => {
    setTransport(null)
    runsStore.setState({ runs: {}, latestByWorkflow: {}, replayByWorkflow: {} })
    toastStore.getState().clear()
  })

  it('two steps running at once each keep their own status and their own log', () => {
    const { runs } = reduceEvents({}, {}, [
      started(),
      step('a', 'SUCCESS', { started_at: '2026-11-23T10:00:00.100Z', finished_at: '2026-11-23T10:00:01.000Z' }),
      step('b', 'RUNNING', { started_at: '2026-11-23T10:00:01.010Z' }),
      step('c', 'RUNNING', { started_at: '2026-11-23T10:00:01.020Z' }),
      log('b', ['left 1']),
      log('c', ['right 1']),
      log('b', ['left 2'])
    ])
    const [, left, right] = runs.e1.steps
    expect([left.status, right.status]).toEqual(['RUNNING', 'RUNNING'])
    expect(left.lines).toEqual(['left 1', 'left 2'])
    expect(right.lines).toEqual(['right 1'])
  })

  it('a retried step keeps each failed attempt with its own log, and its own log starts afresh', () => {
    const { runs } = reduceEvents({}, {}, [
      started(),
      step('a', 'RUNNING', { started_at: '2026-11-23T10:00:00.100Z' }),
      log('a', ['connecting', 'share not found', '[stepwise] attempt 1 of 4 failed; trying again in 0 s.']),
      step('a', 'RUNNING', { attempt: 2, error: 'Script failed with exit code 3', exit_code: 3 }),
      log('a', ['connecting', 'ok']),
      step('a', 'SUCCESS', {
        attempt: 2,
        started_at: '2026-11-23T10:00:01.000Z',
        finished_at: '2026-11-23T10:00:02.000Z',
        duration_ms: 1000
      })
    ])
    const a = runs.e1.steps[0]
    expect(a).toMatchObject({ status: 'SUCCESS', attempt: 2, lines: ['connecting', 'ok'], error: null })
    expect(a.previousAttempts).toHaveLength(1)
    expect(a.previousAttempts[0]).toMatchObject({
      attempt: 1,
      status: 'FAILED',
      exitCode: 3,
      error: 'Script failed with exit code 3',
      startedAt: '2026-11-23T10:00:00.100Z'
    })
    expect(a.previousAttempts[0].lines).toContain('share not found')
  })

  it('the record’s timing of the earlier attempts is shown over what the events said, with the live lines kept', () => {
    const { runs } = reduceEvents({}, {}, [
      started(),
      step('a', 'RUNNING', { started_at: '2026-11-23T10:00:00.100Z' }),
      log('a', ['first try']),
      step('a', 'RUNNING', { attempt: 2, error: 'Step timed out after 5 s', exit_code: null })
    ])
    expect(runs.e1.steps[0].previousAttempts[0].status).toBe('TIMED_OUT')
    const record: RunRecord = {
      python_path: '/p',
      steps: [
        {
          step_id: 'a',
          status: 'RUNNING',
          exit_code: null,
          error: null,
          output: null,
          script_path: null,
          variables_path: null,
          previous_attempts: [
            {
              attempt: 1,
              status: 'TIMED_OUT',
              exit_code: null,
              started_at: '2026-11-23T10:00:00.100Z',
              finished_at: '2026-11-23T10:00:05.100Z',
              duration_ms: 5000,
              error: 'Step timed out after 5 s'
            }
          ]
        }
      ]
    }
    expect(attemptsOf(runs.e1.steps[0], record)).toEqual([
      {
        attempt: 1,
        status: 'TIMED_OUT',
        exitCode: null,
        error: 'Step timed out after 5 s',
        startedAt: '2026-11-23T10:00:00.100Z',
        finishedAt: '2026-11-23T10:00:05.100Z',
        durationMs: 5000,
        lines: ['first try']
      }
    ])
  })

  it('a retry asks for the record (for the attempt’s timing) without waiting for the run to end', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: { id: 'e1', python_path: '/p', steps: [] } }))
    setTransport({ invoke, on: () => () => undefined } as unknown as StepwiseApi)
    runsStore.getState().applyEvents([started(), step('a', 'RUNNING'), step('a', 'RUNNING', { attempt: 2, error: 'x', exit_code: 1 })])
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('executions:get', { id: 'e1' }))
  })

  it('on-failure steps join the failed run once, after its steps, marked as such', () => {
    const added: RunEvent = {
      channel: 'run:stepsAdded',
      payload: { execution_id: 'e1', steps: [{ id: 'h', name: 'Alert', order: 3, on_failure: true }] }
    }
    const { runs } = reduceEvents({}, {}, [started(), step('a', 'FAILED'), added, added, step('h', 'RUNNING'), log('h', ['mail sent'])])
    expect(runs.e1.steps.map((s) => [s.name, s.onFailure])).toEqual([
      ['Fetch', false],
      ['Left', false],
      ['Right', false],
      ['Alert', true]
    ])
    expect(runs.e1.steps[3]).toMatchObject({ status: 'RUNNING', lines: ['mail sent'] })
  })

  it('a resumed run says which run it came from, and its reused steps which run they reused', () => {
    const { runs } = reduceEvents({}, {}, [
      started('e2', { trigger: 'resume', resumed_from: 'e1aaaaaaaa' }),
      step('a', 'SUCCESS', { attempt: 0, reused_from: 'e1aaaaaaaa', duration_ms: 0 }, 'e2')
    ])
    expect(runs.e2).toMatchObject({ trigger: 'resume', resumedFrom: 'e1aaaaaaaa' })
    expect(runs.e2.steps[0]).toMatchObject({ status: 'SUCCESS', attempt: 0, reusedFrom: 'e1aaaaaaaa' })
    expect(runs.e2.steps[1].reusedFrom).toBeNull()
  })

  it('a replay is its own run: the run on screen keeps its statuses, and both are kept', () => {
    let state = reduceEvents({}, {}, [started(), step('a', 'SUCCESS'), step('b', 'FAILED'), finished('FAILED')])
    state = reduceEvents(
      state.runs,
      state.latestByWorkflow,
      [
        started('r1', { replay_of: { execution_id: 'e1', step_id: 'b' }, trigger: 'replay', steps: [{ id: 'b', name: 'Left', order: 1 }] }),
        step('b', 'RUNNING', {}, 'r1'),
        step('b', 'SUCCESS', {}, 'r1'),
        finished('SUCCESS', 'r1')
      ],
      state.replayByWorkflow
    )
    expect(state.latestByWorkflow).toEqual({ 'wf-1': 'e1' })
    expect(state.replayByWorkflow).toEqual({ 'wf-1': 'r1' })
    expect(state.runs.e1.steps.map((s) => s.status)).toEqual(['SUCCESS', 'FAILED', 'PENDING'])
    expect(state.runs.e1.status).toBe('FAILED')
    expect(state.runs.r1.steps[0].status).toBe('SUCCESS')
    // The next real run takes the panel; the old replay stays only while it is the workflow's newest.
    state = reduceEvents(state.runs, state.latestByWorkflow, [started('e3'), finished('SUCCESS', 'e3')], state.replayByWorkflow)
    expect(Object.keys(state.runs).sort()).toEqual(['e3', 'r1'])
  })

  it('a recorded run reads back its attempts, reused steps and on-failure steps', () => {
    const run = liveRunOf({
      id: 'e5',
      workflow_id: 'wf-1',
      status: 'FAILED',
      replay_of: null,
      trigger: 'resume',
      resumed_from: 'e4',
      debug: false,
      started_at: 'x',
      completed_at: 'y',
      error: null,
      variables: {},
      python_path: '/p',
      steps: [
        {
          step_id: 'h',
          name: 'Alert',
          order: 0,
          status: 'SUCCESS',
          logs: '',
          on_failure: true,
          attempts: 1,
          previous_attempts: [],
          reused_from: null
        },
        {
          step_id: 'a',
          name: 'Fetch',
          order: 0,
          status: 'FAILED',
          logs: 'second\n',
          on_failure: false,
          attempts: 2,
          reused_from: null,
          previous_attempts: [
            { attempt: 1, status: 'FAILED', exit_code: 1, started_at: 's', finished_at: 'f', duration_ms: 5, error: 'e', logs: 'first\n' }
          ]
        }
      ]
    } as unknown as Execution)
    expect(run.resumedFrom).toBe('e4')
    expect(run.steps.map((s) => s.name)).toEqual(['Fetch', 'Alert'])
    expect(run.steps[0]).toMatchObject({ attempt: 2, lines: ['second'] })
    expect(run.steps[0].previousAttempts[0]).toMatchObject({ attempt: 1, exitCode: 1, durationMs: 5, lines: ['first'] })
    expect(run.steps[1].onFailure).toBe(true)
  })

  it('resume asks main for a new run; a known refusal is told in the person’s language', async () => {
    const invoke = vi.fn(async (channel: string) =>
      channel === 'runs:resume'
        ? {
            ok: false,
            error: {
              code: 'INVALID_INPUT',
              message: 'The execution 1a2b3c4d succeeded; there is nothing to resume. Run the workflow again instead.'
            }
          }
        : { ok: false, error: { code: 'INVALID_INPUT', message: 'something new' } }
    )
    setTransport({ invoke, on: () => () => undefined } as unknown as StepwiseApi)
    expect(await runsStore.getState().resume('1a2b3c4d')).toBeNull()
    expect(invoke).toHaveBeenCalledWith('runs:resume', { execution_id: '1a2b3c4d', debug: undefined })
    expect(toastStore.getState().toasts.at(-1)).toMatchObject({
      titleKey: 'runControl.run.error.resume',
      detailKey: 'runControl.run.error.nothingToResume'
    })
    expect(await runsStore.getState().start('wf-1', { onlyStep: 'b' })).toBeNull()
    expect(invoke).toHaveBeenLastCalledWith('runs:start', { workflow_id: 'wf-1', debug: undefined, only_step: 'b' })
    expect(toastStore.getState().toasts.at(-1)).toMatchObject({ titleKey: 'runControl.run.error.partial', detail: 'something new' })
  })

  it('recognises the refusals a person meets', () => {
    expect(
      runControlErrorKey(
        '"Sales" has no successful run to take the values of the steps before "B" from; run the whole workflow once first.'
      )
    ).toBe('runControl.run.error.noSuccessfulRun')
    expect(runControlErrorKey('The execution 1a2b3c4d is still running; wait for it to end.')).toBe('runControl.run.error.stillRunning')
    expect(runControlErrorKey('The working folder is gone')).toBeNull()
  })
})

describe('the timeline of a run', () => {
  const at = (s: number) => new Date(Date.parse('2026-11-23T10:00:00.000Z') + s * 1000).toISOString()
  const base = { durationMs: null, reusedFrom: null }

  it('puts a bar per started step from its first attempt to its end; parallel steps share the same stretch of time', () => {
    const { bars, lanes, spanMs } = layoutTimeline(
      [
        { ...base, id: 'a', name: 'A', status: 'SUCCESS', startedAt: at(2), finishedAt: at(3), firstStartedAt: at(0) },
        { ...base, id: 'b', name: 'B', status: 'SUCCESS', startedAt: at(3), finishedAt: at(5) },
        { ...base, id: 'c', name: 'C', status: 'RUNNING', startedAt: at(3), finishedAt: null },
        { ...base, id: 'd', name: 'D', status: 'PENDING', startedAt: null, finishedAt: null }
      ],
      at(0),
      Date.parse(at(6))
    )
    expect(lanes).toBe(4)
    expect(spanMs).toBe(6000)
    expect(bars.map((b) => [b.id, b.lane, b.startMs, b.endMs])).toEqual([
      ['a', 0, 0, 3000],
      ['b', 1, 3000, 5000],
      // Still running: the bar grows to now.
      ['c', 2, 3000, 6000]
    ])
  })

  it('a reused step is a mark at its moment, flagged as reused', () => {
    const { bars } = layoutTimeline(
      [{ id: 'a', name: 'A', status: 'SUCCESS', startedAt: at(0), finishedAt: at(0), durationMs: 0, reusedFrom: 'e1' }],
      at(0),
      Date.parse(at(1))
    )
    expect(bars[0]).toMatchObject({ startMs: 0, endMs: 0, reusedFrom: 'e1' })
  })
})
