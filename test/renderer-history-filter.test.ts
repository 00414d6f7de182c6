// Issue 14 item 5: the history's filters and sorting, as the person uses them on a day's runs.
import { describe, expect, it } from 'vitest'
import type { ExecutionSummary } from '../src/shared/model'
import { filterRuns, NO_FILTERS, sortRuns } from '../src/renderer/src/lib/history-filter'

function run(
  id: string,
  at: Date,
  status: ExecutionSummary['status'],
  durationMs: number | null,
  error: string | null = null
): ExecutionSummary {
  return {
    id,
    workflow_id: 'w',
    workflow_name: id === 'b' ? '월간 보고서' : '일일 보고서',
    status,
    started_at: at.toISOString(),
    completed_at: durationMs === null ? null : new Date(at.getTime() + durationMs).toISOString(),
    duration_ms: durationMs,
    debug: false,
    replay_of: null,
    error,
    trigger: 'manual',
    trigger_id: null,
    resumed_from: null
  }
}

const monday9 = new Date(2026, 10, 30, 9, 0)
const tuesday23 = new Date(2026, 11, 1, 23, 59)
const runs = [
  run('a', monday9, 'SUCCESS', 1200),
  run('b', tuesday23, 'FAILED', 300, "FileNotFoundError: [Errno 2] No such file or directory: '매출.xlsx'"),
  run('c', new Date(2026, 11, 2, 0, 1), 'RUNNING', null)
]

describe('history filters', () => {
  it('narrow by status, by local days (both ends included) and by text in the error, ignoring case', () => {
    expect(filterRuns(runs, { ...NO_FILTERS, status: 'FAILED' }).map((r) => r.id)).toEqual(['b'])
    expect(filterRuns(runs, { ...NO_FILTERS, from: '2026-12-01', to: '2026-12-01' }).map((r) => r.id)).toEqual(['b'])
    expect(filterRuns(runs, { ...NO_FILTERS, to: '2026-11-30' }).map((r) => r.id)).toEqual(['a'])
    expect(filterRuns(runs, { ...NO_FILTERS, errorText: ' 매출.XLSX ' }).map((r) => r.id)).toEqual(['b'])
    expect(filterRuns(runs, NO_FILTERS)).toHaveLength(3)
  })

  it('sort by duration with a running run as the longest, and by status with ties newest first', () => {
    expect(sortRuns(runs, { key: 'duration', descending: true }).map((r) => r.id)).toEqual(['c', 'a', 'b'])
    expect(sortRuns(runs, { key: 'duration', descending: false }).map((r) => r.id)).toEqual(['b', 'a', 'c'])
    expect(sortRuns(runs, { key: 'started', descending: true }).map((r) => r.id)).toEqual(['c', 'b', 'a'])
    expect(sortRuns(runs, { key: 'status', descending: false }).map((r) => r.status)).toEqual(['FAILED', 'RUNNING', 'SUCCESS'])
  })
})
