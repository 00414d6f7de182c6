// A run's timeline (Gantt): one lane per step, a bar from when it started to when it ended, growing while
// it runs, coloured by status; a reused step is a hatched mark. The chart is for the eyes; the same facts
// are in a table for screen readers.
import { useT } from '../i18n/use-t'
import { formatDuration } from '../lib/format'
import { layoutTimeline, type TimelineStep } from '../lib/timeline'
import { statusKey, useNow } from './StatusBadge'
import './RunTimeline.css'

export function RunTimeline({
  steps,
  runStartedAt,
  selectedId,
  onSelect
}: {
  steps: TimelineStep[]
  runStartedAt: string
  selectedId?: string | null
  onSelect?: (stepId: string) => void
}) {
  const { t } = useT()
  const now = useNow(
    steps.some((s) => s.status === 'RUNNING'),
    500
  )
  const { bars, spanMs } = layoutTimeline(steps, runStartedAt, now)
  const pct = (ms: number) => `${((ms / spanMs) * 100).toFixed(3)}%`
  const describe = (b: (typeof bars)[number]) =>
    b.reusedFrom
      ? t('runControl.run.timelineReusedBar', { name: b.name, id: b.reusedFrom.slice(0, 8) })
      : t('runControl.run.timelineBar', { name: b.name, status: t(statusKey(b.status)), duration: formatDuration(b.endMs - b.startMs) })

  return (
    <section className="run-timeline" aria-label={t('runControl.run.timeline')} data-testid="run-timeline">
      {bars.length === 0 && <p className="muted timeline-empty">{t('runControl.run.timelineEmpty')}</p>}
      <div className="timeline-chart" aria-hidden="true">
        {steps.map((s, lane) => {
          const bar = bars.find((b) => b.lane === lane)
          return (
            <div key={s.id} className={`timeline-lane${selectedId === s.id ? ' selected' : ''}`} onClick={() => onSelect?.(s.id)}>
              <span className="timeline-name" title={s.name}>
                {s.name}
              </span>
              <span className="timeline-track">
                {bar && (
                  <span
                    className={`timeline-bar bar-${bar.status.toLowerCase()}${bar.reusedFrom ? ' reused' : ''}`}
                    style={{ left: pct(bar.startMs), width: pct(bar.endMs - bar.startMs) }}
                    title={describe(bar)}
                    data-testid="timeline-bar"
                    data-step={s.name}
                    data-status={bar.status}
                    data-reused={bar.reusedFrom ? 'true' : undefined}
                  />
                )}
              </span>
              <span className="timeline-time">
                {bar ? (bar.reusedFrom ? t('runControl.run.reused') : formatDuration(bar.endMs - bar.startMs)) : ''}
              </span>
            </div>
          )
        })}
      </div>
      <table className="sr-only">
        <caption>{t('runControl.run.timelineTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('runControl.run.timelineStep')}</th>
            <th scope="col">{t('history.status')}</th>
            <th scope="col">{t('runControl.run.timelineStart')}</th>
            <th scope="col">{t('runControl.run.timelineDuration')}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.id}>
              <th scope="row">{b.name}</th>
              <td>{b.reusedFrom ? t('runControl.run.reusedFrom', { id: b.reusedFrom.slice(0, 8) }) : t(statusKey(b.status))}</td>
              <td>{formatDuration(b.startMs)}</td>
              <td>{formatDuration(b.endMs - b.startMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
