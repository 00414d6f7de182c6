// Where each step's bar goes in a run's timeline (a Gantt chart): one lane per step in the run's order, the
// bar from its first attempt's start to its end (now, while it runs), so steps that ran at the same time
// show as bars over the same stretch of time, side by side. Steps that have not started have no bar.
import type { StepStatus } from '../../../shared/model'

export interface TimelineStep {
  id: string
  name: string
  status: StepStatus
  startedAt: string | null
  finishedAt: string | null
  durationMs: number | null
  reusedFrom: string | null
  /** The first attempt of a retried step started before the step's own start says. */
  firstStartedAt?: string | null
}

export interface TimelineBar {
  id: string
  name: string
  status: StepStatus
  reusedFrom: string | null
  /** From the run's start. */
  startMs: number
  endMs: number
  lane: number
}

export interface TimelineLayout {
  bars: TimelineBar[]
  lanes: number
  spanMs: number
}

function time(iso: string | null | undefined): number | null {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

export function layoutTimeline(steps: TimelineStep[], runStartedAt: string, now: number): TimelineLayout {
  const origin = time(runStartedAt) ?? now
  const bars: TimelineBar[] = []
  steps.forEach((s, lane) => {
    const start = time(s.firstStartedAt) ?? time(s.startedAt)
    if (start === null) return
    const end = s.status === 'RUNNING' ? now : (time(s.finishedAt) ?? (s.durationMs !== null ? start + s.durationMs : start))
    bars.push({
      id: s.id,
      name: s.name,
      status: s.status,
      reusedFrom: s.reusedFrom,
      startMs: Math.max(0, start - origin),
      endMs: Math.max(0, Math.max(start, end) - origin),
      lane
    })
  })
  return { bars, lanes: steps.length, spanMs: Math.max(1000, ...bars.map((b) => b.endMs)) }
}
