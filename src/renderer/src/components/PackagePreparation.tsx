// The run area while the open workflow's packages are prepared: "Preparing packages…" with pip's lines as
// they come (the last ones, like a log), and when that failed, why in words with the installer's whole
// output one click away. It goes away when the run starts.
import { useEffect, useRef, useState } from 'react'
import type { EnvironmentProblemKind } from '../../../shared/ipc-contract'
import type { MessageKey } from '../i18n'
import { useT } from '../i18n/use-t'
import { useDraft } from '../stores/hooks'
import { packagesStore, type PackagesState } from '../stores/packages-store'
import { useStore } from 'zustand'
import { ExplainedMessage } from './ExplainedMessage'
import { KeptFileViewer } from './KeptFileViewer'
import './packages.css'

const PROBLEM_KEYS: Record<EnvironmentProblemKind, MessageKey> = {
  'no-network': 'packages.failed.noNetwork',
  'not-found': 'packages.failed.notFound',
  'no-wheel': 'packages.failed.noWheel',
  'hash-mismatch': 'packages.failed.hashMismatch',
  'build-failed': 'packages.failed.buildFailed',
  other: 'packages.failed.other'
}

const usePackages = <T,>(select: (s: PackagesState) => T): T => useStore(packagesStore, select)

export function PackagePreparation() {
  const { t } = useT()
  const workflowId = useDraft((s) => s.draft?.id ?? null)
  const prep = usePackages((s) => (workflowId ? s.byWorkflow[workflowId] : undefined))
  const [viewing, setViewing] = useState<string | null>(null)
  const logRef = useRef<HTMLPreElement>(null)
  const lineCount = prep?.lines.length ?? 0
  useEffect(() => {
    const el = logRef.current
    if (el) el.scrollTop = el.scrollHeight
  }, [lineCount, prep?.dropped])
  if (!workflowId || !prep?.visible) return null
  const failure = prep.failure
  return (
    <section
      className={`package-preparation${failure ? ' failed' : ''}`}
      aria-label={t('packages.run.title')}
      data-testid="package-preparation"
      data-state={prep.state}
    >
      <div className="package-preparation-head">
        {failure ? (
          <strong role="alert" data-testid="package-preparation-failed">
            {t(PROBLEM_KEYS[failure.problem])}
          </strong>
        ) : (
          <strong role="status">
            <span className="spinner" aria-hidden="true" /> {t('packages.run.preparing')}
          </strong>
        )}
        {failure && (
          <button
            type="button"
            className="icon-btn"
            onClick={() => packagesStore.getState().dismiss(workflowId)}
            aria-label={t('action.dismiss')}
            title={t('action.dismiss')}
            data-testid="package-preparation-dismiss"
          >
            ×
          </button>
        )}
      </div>
      {failure && (
        <div className="package-preparation-failure">
          <p data-testid="package-preparation-message">
            <ExplainedMessage explained={failure.explained ?? {}} fallback={failure.message} />
          </p>
          {failure.logPath && (
            <button type="button" className="btn btn-small" onClick={() => setViewing(failure.logPath)} data-testid="show-installer-output">
              {t('packages.run.showOutput')}
            </button>
          )}
        </div>
      )}
      {prep.lines.length > 0 && (
        <pre
          ref={logRef}
          className="package-preparation-log"
          tabIndex={0}
          aria-label={t('packages.run.logLabel')}
          data-testid="package-preparation-log"
        >
          {prep.dropped > 0 && <span className="muted">{t('packages.run.earlierLines', { count: prep.dropped })}</span>}
          {prep.dropped > 0 && '\n'}
          {prep.lines.join('\n')}
        </pre>
      )}
      {viewing && <KeptFileViewer path={viewing} kind="installer-log" onClose={() => setViewing(null)} />}
    </section>
  )
}
