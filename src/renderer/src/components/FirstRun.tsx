// The first screen of an empty app: start a new workflow from the template, open the example, and see
// which Python the steps will run with, or how to get one (offline machines included: the commands can be
// copied to where a network is).
import { useEffect } from 'react'
import { copyText, createWorkflow, importWorkflow, openExampleWorkflow } from '../app-actions'
import { useT } from '../i18n/use-t'
import type { MessageKey } from '../i18n'
import { useSettings, useWorkflows } from '../stores/hooks'
import { settingsStore } from '../stores/settings-store'
import './everyday.css'

const WINGET = 'winget install Python.Python.3.12'
const BREW = 'brew install python'

function PythonStatus() {
  const { t } = useT()
  const pythons = useSettings((s) => s.pythons)
  const loading = useSettings((s) => s.pythonsLoading)
  const chosen = useSettings((s) => s.settings.python_path)
  const platform = useSettings((s) => s.info?.platform ?? '')
  useEffect(() => {
    if (settingsStore.getState().pythons === null) void settingsStore.getState().loadPythons()
  }, [])

  if (pythons === null || (loading && !pythons.length))
    return (
      <p className="first-run-python muted" role="status" data-testid="first-run-python">
        {t('everyday.firstRun.pythonLooking')}
      </p>
    )
  const found = pythons[0]
  if (chosen || found)
    return (
      <p className="first-run-python" role="status" data-testid="first-run-python" data-found="true">
        <span aria-hidden="true">✓ </span>
        {chosen
          ? t('everyday.firstRun.pythonChosen', { path: chosen })
          : t('everyday.firstRun.pythonFound', { version: found.version, path: found.path })}
      </p>
    )
  const command = platform === 'win32' ? WINGET : platform === 'darwin' ? BREW : null
  const how: MessageKey =
    platform === 'win32'
      ? 'everyday.firstRun.getPythonWindows'
      : platform === 'darwin'
        ? 'everyday.firstRun.getPythonMac'
        : 'everyday.firstRun.getPythonLinux'
  return (
    <div className="first-run-python first-run-no-python" role="status" data-testid="first-run-python" data-found="false">
      <strong>{t('everyday.firstRun.noPython')}</strong>
      <p>{t(how)}</p>
      {command && (
        <div className="first-run-command">
          <code data-testid="first-run-python-command">{command}</code>
          <button type="button" className="btn btn-small" onClick={() => void copyText(command)}>
            {t('everyday.firstRun.copyCommand')}
          </button>
        </div>
      )}
      <button type="button" className="btn btn-small" onClick={() => void settingsStore.getState().loadPythons(true)} disabled={loading}>
        {t('everyday.firstRun.lookAgain')}
      </button>
    </div>
  )
}

export function FirstRun() {
  const { t } = useT()
  const loaded = useWorkflows((s) => s.loaded)
  if (!loaded) return <div className="empty-state muted">{t('app.loading')}</div>
  return (
    <div className="empty-state welcome first-run" data-testid="welcome">
      <h2>{t('welcome.title')}</h2>
      <p>{t('welcome.body')}</p>
      <div className="first-run-choices">
        <button type="button" className="first-run-choice" onClick={() => void createWorkflow()} data-testid="first-run-new">
          <strong>+ {t('welcome.create')}</strong>
          <span>{t('everyday.firstRun.newHint')}</span>
        </button>
        <button type="button" className="first-run-choice" onClick={() => void openExampleWorkflow()} data-testid="first-run-example">
          <strong>{t('everyday.firstRun.example')}</strong>
          <span>{t('everyday.firstRun.exampleHint')}</span>
        </button>
        <button type="button" className="first-run-choice" onClick={() => void importWorkflow()} data-testid="first-run-import">
          <strong>{t('action.import')}</strong>
          <span>{t('everyday.firstRun.importHint')}</span>
        </button>
      </div>
      <PythonStatus />
    </div>
  )
}
