// The history list as the person narrowed and ordered it: by status, by a day range (their local days),
// by text in the error, sorted by a column. Pure, so the rules are tested without a window.
import type { ExecutionStatus, ExecutionSummary } from '../../../shared/model'

export interface HistoryFilters {
  status: ExecutionStatus | null
  /** yyyy-mm-dd, local days, both ends included. */
  from: string
  to: string
  errorText: string
}

export type SortKey = 'status' | 'started' | 'duration' | 'workflow'
export interface Sort {
  key: SortKey
  descending: boolean
}

export const NO_FILTERS: HistoryFilters = { status: null, from: '', to: '', errorText: '' }

function localDayStart(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d).getTime()
}

export function filterRuns(list: readonly ExecutionSummary[], f: HistoryFilters): ExecutionSummary[] {
  const from = f.from ? localDayStart(f.from) : -Infinity
  const to = f.to ? localDayStart(f.to) + 24 * 3600 * 1000 : Infinity
  const text = f.errorText.trim().toLowerCase()
  return list.filter((e) => {
    const at = Date.parse(e.started_at)
    if (f.status && e.status !== f.status) return false
    if (at < from || at >= to) return false
    return !text || (e.error ?? '').toLowerCase().includes(text)
  })
}

function compare(a: ExecutionSummary, b: ExecutionSummary, key: SortKey): number {
  switch (key) {
    case 'status':
      return a.status.localeCompare(b.status)
    case 'workflow':
      return a.workflow_name.localeCompare(b.workflow_name)
    case 'duration':
      // Still running (no duration yet) sorts as the longest.
      return (a.duration_ms ?? Infinity) - (b.duration_ms ?? Infinity)
    default:
      return Date.parse(a.started_at) - Date.parse(b.started_at)
  }
}

export function sortRuns(list: readonly ExecutionSummary[], sort: Sort): ExecutionSummary[] {
  const dir = sort.descending ? -1 : 1
  // Ties keep newest first, so equal statuses still read in time order.
  return [...list].sort((a, b) => dir * compare(a, b, sort.key) || Date.parse(b.started_at) - Date.parse(a.started_at))
}
