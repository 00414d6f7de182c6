// What retries did to a step: which attempt it is on ("attempt 2 of 4"), and each earlier attempt that
// failed with its status, exit code, duration and its own log.
import type { StepStatus } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import { stepErrorHeadline } from '../lib/recorded-error'
import { StatusBadge } from './StatusBadge'

export interface AttemptView {
  attempt: number
  status: StepStatus
  exitCode: number | null
  durationMs: number | null
  error: string | null
  logText: string
}

/** Said only when retries are in play: a step that ran once needs no count. */
export function AttemptCount({ attempt, total }: { attempt: number; total: number | null }) {
  const { t } = useT()
  if (attempt < 1 || (attempt === 1 && (total ?? 1) <= 1)) return null
  return (
    <span className="badge step-attempt" data-testid="step-attempt">
      {total !== null && total >= attempt ? t('runControl.run.attemptOf', { attempt, total }) : t('runControl.run.attempt', { attempt })}
    </span>
  )
}

export function PreviousAttempts({ attempts }: { attempts: AttemptView[] }) {
  const { t } = useT()
  if (!attempts.length) return null
  return (
    <section className="detail-section previous-attempts" data-testid="previous-attempts">
      <h4>{t('runControl.run.previousAttempts')}</h4>
      <ol>
        {attempts.map((a) => (
          <li key={a.attempt} data-testid="previous-attempt" data-attempt={a.attempt} data-status={a.status}>
            <details>
              <summary>
                {t('runControl.run.attempt', { attempt: a.attempt })} <StatusBadge status={a.status} durationMs={a.durationMs} />
                {a.exitCode !== null && <span className="muted"> {t('run.exitCode', { code: a.exitCode })}</span>}
              </summary>
              {a.error && <p className="attempt-error">{stepErrorHeadline(a.error, t) ?? a.error.split('\n')[0]}</p>}
              <pre
                className="attempt-log"
                aria-label={t('runControl.run.attemptLog', { attempt: a.attempt })}
                data-testid="attempt-log"
                tabIndex={0}
              >
                {a.logText || t('runControl.run.noLog')}
              </pre>
            </details>
          </li>
        ))}
      </ol>
    </section>
  )
}
