// One look for every status, everywhere: colour, icon and word together, so colour is never the only cue.
import { useEffect, useState } from 'react'
import type { ExecutionStatus, StepStatus } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import type { MessageKey } from '../i18n'
import { elapsedSince, formatDuration } from '../lib/format'

type AnyStatus = StepStatus | ExecutionStatus

const ICONS: Record<AnyStatus, string> = {
  PENDING: '○',
  RUNNING: '',
  SUCCESS: '✓',
  FAILED: '✕',
  COMPLETED_WITH_ERRORS: '⚠',
  TIMED_OUT: '⏱',
  CANCELLED: '■',
  SKIPPED: '–',
  INTERRUPTED: '!'
}

export function statusKey(status: AnyStatus): MessageKey {
  return `status.${status}` as MessageKey
}

/** Ticks while something runs so elapsed times move. */
export function useNow(active: boolean, everyMs = 200): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    setNow(Date.now())
    const id = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(id)
  }, [active, everyMs])
  return now
}

export function StatusIcon({ status }: { status: AnyStatus }) {
  if (status === 'RUNNING') return <span className="spinner" aria-hidden="true" />
  return (
    <span className="status-icon" aria-hidden="true">
      {ICONS[status]}
    </span>
  )
}

export function StatusBadge({
  status,
  startedAt,
  durationMs,
  compact
}: {
  status: AnyStatus
  startedAt?: string | null
  durationMs?: number | null
  compact?: boolean
}) {
  const { t } = useT()
  const now = useNow(status === 'RUNNING')
  const time = status === 'RUNNING' ? elapsedSince(startedAt, now) : (durationMs ?? null)
  return (
    <span className={`status status-${status.toLowerCase()}`} data-status={status} data-testid="status-badge">
      <StatusIcon status={status} />
      {!compact && <span className="status-label">{t(statusKey(status))}</span>}
      {time !== null && (status === 'RUNNING' || !compact || durationMs !== undefined) && (
        <span className="status-time" data-testid="status-time">
          {formatDuration(time)}
        </span>
      )}
    </span>
  )
}
