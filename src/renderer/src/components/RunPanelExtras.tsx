// The run-control parts of the run panel's head: where a run's reused values came from, the button that
// resumes a failed run, and the replay of one step shown beside the run instead of over it.
import type { ExecutionStatus } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import { openRun, resumeRun } from '../run-control-actions'
import type { LiveRun } from '../stores/runs-store'
import { StatusBadge } from './StatusBadge'
import './run-control.css'

const RESUMABLE: readonly ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'CANCELLED', 'INTERRUPTED']

export function canResume(run: Pick<LiveRun, 'status' | 'replayOf'>): boolean {
  return RESUMABLE.includes(run.status) && !run.replayOf
}

export function ReusedValuesNote({ run }: { run: Pick<LiveRun, 'resumedFrom' | 'trigger'> }) {
  const { t } = useT()
  if (!run.resumedFrom) return null
  const id = run.resumedFrom.slice(0, 8)
  return (
    <button
      type="button"
      className="link run-values-from"
      onClick={() => void openRun(run.resumedFrom!)}
      title={t('runControl.run.openRun', { id })}
      data-testid="run-values-from"
    >
      {t(run.trigger === 'resume' ? 'runControl.run.resumedFrom' : 'runControl.run.valuesFrom', { id })}
    </button>
  )
}

export function ResumeButton({ run, disabled }: { run: Pick<LiveRun, 'executionId' | 'status' | 'replayOf'>; disabled: boolean }) {
  const { t } = useT()
  if (!canResume(run)) return null
  return (
    <button
      type="button"
      className="btn btn-small btn-primary"
      onClick={() => void resumeRun(run.executionId)}
      disabled={disabled}
      title={t('runControl.run.resumeHint')}
      data-testid="resume-run"
    >
      ↻ {t('runControl.run.resume')}
    </button>
  )
}

export function ReplayBeside({ replay, stepName }: { replay: LiveRun; stepName: string }) {
  const { t } = useT()
  return (
    <div className="replay-beside" data-testid="replay-beside" data-status={replay.status} title={t('runControl.run.replayBesideHint')}>
      <span>{t('runControl.run.replayBeside', { step: stepName })}</span>
      <StatusBadge
        status={replay.status}
        startedAt={replay.startedAt}
        durationMs={replay.completedAt ? Date.parse(replay.completedAt) - Date.parse(replay.startedAt) : null}
      />
      <button type="button" className="link" onClick={() => void openRun(replay.executionId)} data-testid="open-replay">
        {t('runControl.run.showReplay')}
      </button>
    </div>
  )
}
