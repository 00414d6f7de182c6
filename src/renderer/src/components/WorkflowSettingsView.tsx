// The open workflow's own settings: name, description, working folder, Python, its packages and which steps
// run when a run fails. They are part of the draft, so they are saved with Ctrl+S like the steps.
import { useT } from '../i18n/use-t'
import { draftStore } from '../stores/draft-store'
import { useDraft, useSettings } from '../stores/hooks'
import { FolderField } from './FolderField'
import { PythonPicker } from './PythonPicker'
import { EnvEditor } from './EnvEditor'
import { useProjectPython } from './use-project-python'
import { WorkflowPackagesField } from './WorkflowPackagesField'

export function WorkflowSettingsView() {
  const { t } = useT()
  const draft = useDraft((s) => s.draft)
  const settings = useSettings((s) => s.settings)
  const project = useProjectPython(draft?.working_directory ?? settings.default_working_directory)
  if (!draft) return null
  const update = draftStore.getState().update
  return (
    <div className="form-page" data-testid="workflow-settings">
      <h2>{t('workflowSettings.title')}</h2>
      <label className="field">
        <span>{t('workflow.nameLabel')}</span>
        <input value={draft.name} onChange={(e) => update({ name: e.target.value })} maxLength={200} data-testid="workflow-name" />
      </label>
      <label className="field">
        <span>{t('editor.description')}</span>
        <textarea
          value={draft.description}
          onChange={(e) => update({ description: e.target.value })}
          rows={3}
          data-testid="workflow-description"
        />
      </label>
      <div className="field">
        <span>{t('workflowSettings.workingDirectory')}</span>
        <FolderField
          value={draft.working_directory}
          onChange={(working_directory) => update({ working_directory })}
          placeholder={settings.default_working_directory ?? t('workflowSettings.appFolder')}
          testid="workflow-workdir"
          label={t('workflowSettings.workingDirectory')}
        />
        <p className="hint">{t('workflowSettings.workingDirectoryHint')}</p>
      </div>
      <div className="field">
        <span>{t('workflowSettings.python')}</span>
        <PythonPicker
          value={draft.python_path}
          onChange={(python_path) => update({ python_path })}
          defaultLabel={
            project
              ? t('interpreters.projectDefault', { path: project.path })
              : t('workflowSettings.pythonDefault', { path: settings.python_path ?? t('settings.pythonAuto') })
          }
          testid="workflow-python"
        />
        {project && !draft.python_path && (
          <p className="hint" data-testid="workflow-python-project">
            {t('interpreters.projectHint')}
          </p>
        )}
      </div>
      <WorkflowPackagesField />
      <fieldset className="check-group" data-testid="workflow-on-failure">
        <legend>{t('runControl.edit.onFailure')}</legend>
        <p className="hint">{t('runControl.edit.onFailureHelp')}</p>
        {draft.steps.length === 0 && <p className="hint">{t('runControl.edit.onFailureEmpty')}</p>}
        {draft.steps.map((s) => (
          <label key={s.id} className="check-field">
            <input
              type="checkbox"
              checked={draft.on_failure.includes(s.id)}
              onChange={(e) => draftStore.getState().setOnFailure(s.id, e.target.checked)}
              data-testid="on-failure-step"
              data-name={s.name}
            />
            {s.name || t('steps.unnamed')}
          </label>
        ))}
      </fieldset>
      <EnvEditor />
      <p className="hint">{t('workflowSettings.saveHint')}</p>
    </div>
  )
}
