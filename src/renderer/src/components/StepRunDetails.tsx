// What one step of one execution did, live or from the history: its error with the traceback's lines
// linked to the editor, its output, the variables after it, its inputs, and, for debug runs, the kept
// files and the command line that re-runs it by hand (for PowerShell on Windows, a POSIX shell elsewhere);
// for run control, its attempts, the run it reused its output from, and the partial runs that start from it.
import type { JsonValue, StepStatus, Variables } from '../../../shared/model'
import { useState } from 'react'
import { copyText, jumpToLine, openInEditor, openPath, replayStep, saveStepOutput } from '../app-actions'
import { debugStep, openInVsCode } from '../debug-actions'
import { useT } from '../i18n/use-t'
import { rerunCommand } from '../../../shared/rerun-command'
import { stepErrorHeadline } from '../lib/recorded-error'
import { summarizeError } from '../lib/traceback'
import { useSettings } from '../stores/hooks'
import { runPartial, openRun } from '../run-control-actions'
import { JsonViewer } from './JsonViewer'
import { KeptFileViewer, type KeptFileKind } from './KeptFileViewer'
import { MissingPackageFix } from './MissingPackageFix'
import { StatusBadge } from './StatusBadge'
import { AttemptCount, PreviousAttempts, type AttemptView } from './StepAttempts'

export interface StepRunView {
  id: string
  name: string
  order: number
  status: StepStatus
  startedAt: string | null
  durationMs: number | null
  exitCode: number | null
  error: string | null
  /** The full log, when the error's tail is not enough to find the traceback. */
  logText?: string
  inputVariables: Variables | null
  output: JsonValue | null
  variables: Variables | null
  scriptPath: string | null
  variablesPath: string | null
  /** The attempt it is on or ended with (0: it reused a recorded output). */
  attempt: number
  /** How many attempts its retry policy allows; null when not known. */
  maxAttempts: number | null
  previousAttempts: AttemptView[]
  reusedFrom: string | null
  onFailure: boolean
}

function ErrorBlock({ step, onJump }: { step: StepRunView; onJump: (line: number) => void }) {
  const { t } = useT()
  const text = step.error ?? ''
  const summary = summarizeError(text, step.order)
  // The error keeps only the tail of stderr; a long traceback's frames may be only in the full log.
  const frames = summary.frames.length ? summary.frames : step.logText ? summarizeError(step.logText, step.order).frames : []
  const exception = summary.exception ?? (step.logText ? summarizeError(`x\n${step.logText}`, step.order).exception : null)
  const target = frames.length ? frames[frames.length - 1].line : null
  return (
    <section className="error-block" role="alert" data-testid="step-error">
      <div className="error-head">
        <strong>{t(step.status === 'TIMED_OUT' ? 'run.timedOutTitle' : 'run.errorTitle')}</strong>
        {target !== null && (
          <button type="button" className="btn btn-small btn-danger" onClick={() => onJump(target)} data-testid="jump-to-error">
            {t('traceback.goTo', { line: target })}
          </button>
        )}
      </div>
      <p className="error-headline" title={summary.headline}>
        {stepErrorHeadline(text, t) ?? summary.headline}
      </p>
      {exception && (
        <p className="error-exception" data-testid="error-exception">
          {exception}
        </p>
      )}
      {frames.length > 0 && (
        <div className="error-frames">
          <span className="muted">{t('traceback.where')}</span>
          <ol>
            {frames.map((f, i) => (
              <li key={i}>
                <button
                  type="button"
                  className="link tb-frame"
                  onClick={() => onJump(f.line)}
                  title={t('traceback.jump', { line: f.line })}
                  data-testid="traceback-frame"
                >
                  {t('traceback.frame', { line: f.line })}
                  {f.func && <span className="muted"> · {f.func}</span>}
                </button>
                {f.code && <code className="tb-code">{f.code}</code>}
              </li>
            ))}
          </ol>
        </div>
      )}
      {text.includes('\n') && (
        <details className="error-full">
          <summary>{t('traceback.full')}</summary>
          <pre className="traceback" data-testid="traceback">
            {text}
          </pre>
        </details>
      )}
    </section>
  )
}

function DebugFiles({
  step,
  pythonPath,
  workingDirectory,
  executionId
}: {
  step: StepRunView
  pythonPath: string | null
  workingDirectory: string | null
  executionId: string
}) {
  const { t } = useT()
  const platform = useSettings((s) => s.info?.platform ?? null)
  const [viewing, setViewing] = useState<KeptFileKind | null>(null)
  if (!step.scriptPath) return null
  const command =
    pythonPath && step.variablesPath ? rerunCommand(pythonPath, step.scriptPath, step.variablesPath, platform, workingDirectory) : null
  return (
    <section className="detail-section debug-files" data-testid="debug-files">
      <h4>{t('debug.keptFiles')}</h4>
      <dl className="paths">
        <dt>{t('debug.script')}</dt>
        <dd>
          <code data-testid="debug-script-path">{step.scriptPath}</code>
        </dd>
        {step.variablesPath && (
          <>
            <dt>{t('debug.variablesFile')}</dt>
            <dd>
              <code data-testid="debug-variables-path">{step.variablesPath}</code>
            </dd>
          </>
        )}
      </dl>
      <div className="button-row">
        <button type="button" className="btn btn-small" onClick={() => setViewing('script')} data-testid="open-script">
          {t('debug.openScript')}
        </button>
        {step.variablesPath && (
          <button type="button" className="btn btn-small" onClick={() => setViewing('variables')} data-testid="open-variables">
            {t('debug.openVariables')}
          </button>
        )}
        <button type="button" className="btn btn-small" onClick={() => void openInEditor(step.scriptPath!)} data-testid="open-in-editor">
          {t('debug.openInEditor')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void openInVsCode(executionId, step.id)}
          title={t('debugger.vscodeHint')}
          data-testid="open-in-vscode"
        >
          {t('debugger.vscode')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void openPath(step.scriptPath!, 'reveal')}
          data-testid="show-in-folder"
        >
          {t('action.showInFolder')}
        </button>
      </div>
      {viewing && (
        <KeptFileViewer
          path={viewing === 'script' ? step.scriptPath : step.variablesPath!}
          kind={viewing}
          onClose={() => setViewing(null)}
        />
      )}
      {command && (
        <div className="command-line">
          <label htmlFor={`cmd-${step.id}`}>{t('debug.commandLine')}</label>
          <div className="command-row">
            <input
              id={`cmd-${step.id}`}
              readOnly
              value={command}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="debug-command"
              spellCheck={false}
            />
            <button type="button" className="btn btn-small" onClick={() => void copyText(command)} data-testid="copy-command">
              {t('action.copy')}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}

export function StepRunDetails({
  step,
  executionId,
  pythonPath,
  workingDirectory = null,
  canReplay,
  showHeader = true,
  canRunPartially = false,
  canFixMissingPackage = false,
  onJump
}: {
  step: StepRunView
  executionId: string
  pythonPath: string | null
  /** The run's working folder: the re-run command changes into it first. */
  workingDirectory?: string | null
  canReplay: boolean
  showHeader?: boolean
  /** Offer "run from this step" and "run only this step" (the run panel, when no run is going). */
  canRunPartially?: boolean
  /** Offer to add a missing module's package and resume this (failed) run from the step. */
  canFixMissingPackage?: boolean
  /** Where a traceback's line opens; by default the editor. */
  onJump?: (line: number) => void
}) {
  const { t } = useT()
  const finished = step.status !== 'RUNNING' && step.status !== 'PENDING'
  const jump = onJump ?? ((line: number) => jumpToLine(step.id, line))
  return (
    <div className="step-run-details" data-testid="step-run-details" data-step-id={step.id}>
      {showHeader && (
        <div className="details-head">
          <h3>{step.name}</h3>
          <StatusBadge status={step.status} startedAt={step.startedAt} durationMs={step.durationMs} />
          {step.exitCode !== null && <span className="muted">{t('run.exitCode', { code: step.exitCode })}</span>}
        </div>
      )}
      <div className="step-run-facts">
        <AttemptCount attempt={step.attempt} total={step.maxAttempts} />
        {step.onFailure && (
          <span className="badge badge-on-failure" title={t('runControl.run.onFailureHint')} data-testid="on-failure-badge">
            {t('runControl.run.onFailure')}
          </span>
        )}
        {step.reusedFrom && (
          <button
            type="button"
            className="link reused-from"
            onClick={() => void openRun(step.reusedFrom!)}
            title={t('runControl.run.openRun', { id: step.reusedFrom.slice(0, 8) })}
            data-testid="reused-from"
          >
            {t('runControl.run.reusedFrom', { id: step.reusedFrom.slice(0, 8) })}
          </button>
        )}
      </div>
      {canRunPartially && !step.onFailure && (
        <div className="button-row partial-run-buttons">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void runPartial(step.id, 'from')}
            title={t('runControl.run.fromStepHint')}
            data-testid="run-from-step"
          >
            ▶ {t('runControl.run.fromStep')}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void runPartial(step.id, 'only')}
            title={t('runControl.run.onlyStepHint')}
            data-testid="run-only-step"
          >
            ▷ {t('runControl.run.onlyStep')}
          </button>
        </div>
      )}
      {canReplay && step.inputVariables && finished && (
        <button
          type="button"
          className="btn btn-small replay-btn"
          onClick={() => void replayStep(executionId, step.id)}
          data-testid="replay-step"
          title={t('run.replayHint')}
        >
          ↻ {t('run.replay')}
        </button>
      )}
      {canReplay && step.inputVariables && finished && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void debugStep(step.id, executionId)}
          data-testid={step.status === 'FAILED' ? 'debug-failure' : 'debug-recorded'}
          title={t('debugger.recordedHint')}
        >
          {t(step.status === 'FAILED' ? 'debugger.debugFailure' : 'debugger.debugRecorded')}
        </button>
      )}
      {/* The way out comes first: the error below only says what the fix is for. */}
      {step.error && (step.status === 'FAILED' || step.status === 'TIMED_OUT') && (
        <MissingPackageFix error={step.error} logText={step.logText} executionId={executionId} canFix={canFixMissingPackage} />
      )}
      {step.error && <ErrorBlock step={step} onJump={jump} />}
      <PreviousAttempts attempts={step.previousAttempts} />
      <DebugFiles step={step} pythonPath={pythonPath} workingDirectory={workingDirectory} executionId={executionId} />
      {finished && step.output !== null && (
        <section className="detail-section">
          <h4>{t('run.output')}</h4>
          {/* A big output is shown as a note of its size; this is how to get all of it. */}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void saveStepOutput(executionId, step.id)}
            data-testid="save-output"
            title={t('values.saveHint')}
          >
            {t('values.save')}
          </button>
          <JsonViewer value={step.output} testid="step-output" />
        </section>
      )}
      {step.variables && (
        <section className="detail-section">
          <h4>{t('run.variablesAfter')}</h4>
          <JsonViewer value={step.variables} testid="step-variables" openDepth={1} />
        </section>
      )}
      {step.inputVariables && (
        <section className="detail-section">
          <h4>{t('run.inputs')}</h4>
          <JsonViewer value={step.inputVariables} testid="step-inputs" openDepth={1} />
        </section>
      )}
      {step.status === 'PENDING' && <p className="muted">{t('run.notStarted')}</p>}
      {step.status === 'SKIPPED' && <p className="muted">{t('run.skippedHint')}</p>}
    </div>
  )
}
