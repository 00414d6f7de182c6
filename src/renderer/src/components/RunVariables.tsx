// The live Variables pane of a run: each workflow variable with its value now and the step that set it,
// updated as each step finishes. The step is a button: it selects that step, whose inputs and outputs the
// details beside then show, while the run goes on.
import { useT } from '../i18n/use-t'
import { shortValue } from '../lib/short-value'
import type { LiveRun } from '../stores/runs-store'
import { uiStore } from '../stores/ui-store'
import './RunVariables.css'

export function RunVariables({ run }: { run: LiveRun }) {
  const { t } = useT()
  const names = Object.keys(run.variables ?? {}).sort((a, b) => a.localeCompare(b))
  return (
    <div className="run-variables" data-testid="run-variables">
      <div className="run-log-head">{t('finish.vars.title')}</div>
      {names.length === 0 ? (
        <p className="muted run-variables-empty">{t('finish.vars.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('finish.vars.name')}</th>
              <th scope="col">{t('finish.vars.value')}</th>
              <th scope="col">{t('finish.vars.setBy')}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const setter = run.steps.find((s) => s.id === run.setBy[name])
              return (
                <tr key={name} data-testid="run-variable" data-name={name}>
                  <th scope="row">
                    <code>{name}</code>
                  </th>
                  <td>
                    <code className="run-variable-value" data-testid="run-variable-value">
                      {shortValue(run.variables![name])}
                    </code>
                  </td>
                  <td data-testid="run-variable-set-by">
                    {setter ? (
                      <button
                        type="button"
                        className="link-btn"
                        onClick={() => uiStore.getState().setRunPanelStep(setter.id)}
                        aria-label={t('finish.vars.openStep', { step: `${setter.order + 1}. ${setter.name}` })}
                        data-testid="run-variable-step"
                      >
                        {setter.order + 1}. {setter.name}
                      </button>
                    ) : (
                      <span className="muted">{t('finish.vars.initial')}</span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </div>
  )
}
