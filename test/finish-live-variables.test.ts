import { describe, expect, it } from 'vitest'
import type { RunEvent } from '../src/renderer/src/lib/event-batcher'
import { shortValue } from '../src/renderer/src/lib/short-value'
import { reduceEvents } from '../src/renderer/src/stores/runs-store'

const started: RunEvent = {
  channel: 'run:started',
  payload: {
    execution_id: 'e1',
    workflow_id: 'wf',
    replay_of: null,
    debug: false,
    started_at: '2026-12-02T10:00:00.000Z',
    trigger: 'manual',
    resumed_from: null,
    steps: [
      { id: 'a', name: '가져오기', order: 0 },
      { id: 'b', name: '정리', order: 1 }
    ],
    variables: { region: '서울', rows: null }
  }
}
const done = (step_id: string, variables: Record<string, unknown>): RunEvent => ({
  channel: 'run:step',
  payload: {
    execution_id: 'e1',
    step_id,
    status: 'SUCCESS',
    started_at: null,
    finished_at: null,
    exit_code: 0,
    duration_ms: 5,
    error: null,
    input_variables: null,
    output: null,
    variables: variables as never,
    script_path: null,
    variables_path: null,
    attempt: 1,
    reused_from: null
  }
})

describe('live Variables pane', () => {
  it('starts from the initial variables and tells which step set each, the latest step winning', () => {
    let state = reduceEvents({}, {}, [started])
    expect(state.runs.e1.variables).toEqual({ region: '서울', rows: null })
    expect(state.runs.e1.setBy).toEqual({})
    state = reduceEvents(state.runs, state.latestByWorkflow, [done('a', { rows: [1, 2], total: 2 })])
    expect(state.runs.e1.variables).toEqual({ region: '서울', rows: [1, 2], total: 2 })
    expect(state.runs.e1.setBy).toEqual({ rows: 'a', total: 'a' })
    state = reduceEvents(state.runs, state.latestByWorkflow, [done('b', { total: 3 })])
    expect(state.runs.e1.variables).toMatchObject({ total: 3 })
    expect(state.runs.e1.setBy).toEqual({ rows: 'a', total: 'b' })
  })

  it('shows big values cut short instead of whole', () => {
    expect(shortValue('월간 보고서')).toBe('"월간 보고서"')
    expect(shortValue(Array.from({ length: 1_000_000 }, (_, i) => i))).toBe('[1000000 items]')
    expect(shortValue('x'.repeat(1000)).length).toBeLessThan(200)
    expect(shortValue({ a: 'y'.repeat(500) })).toMatch(/…$/)
  })
})
