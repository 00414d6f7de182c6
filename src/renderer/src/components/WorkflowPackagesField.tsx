// The workflow's packages in its settings: one pip requirement per line, each line checked as it is typed,
// so a refused one is named here before a save refuses it.
import { useMemo } from 'react'
import { useT } from '../i18n/use-t'
import { requirementDraftProblems } from '../stores/draft-requirements'
import { draftStore } from '../stores/draft-store'
import { useDraft } from '../stores/hooks'
import './packages.css'

export function WorkflowPackagesField() {
  const { t } = useT()
  const text = useDraft((s) => s.draft?.requirementsText ?? '')
  const problems = useMemo(() => requirementDraftProblems(text), [text])
  return (
    <div className="field" data-testid="workflow-packages">
      <label htmlFor="workflow-requirements" className="field-label">
        {t('packages.workflow.label')}
      </label>
      <textarea
        id="workflow-requirements"
        value={text}
        onChange={(e) => draftStore.getState().update({ requirementsText: e.target.value })}
        rows={Math.min(12, Math.max(3, text.split('\n').length + 1))}
        placeholder={'openpyxl>=3.1\nrequests'}
        spellCheck={false}
        aria-invalid={problems.length > 0}
        aria-describedby="workflow-requirements-hint"
        className={`code-textarea${problems.length ? ' invalid' : ''}`}
        data-testid="workflow-requirements"
      />
      {problems.map((p, i) => (
        <span key={i} className="field-error" role="alert" data-testid="workflow-requirements-problem">
          {t(p.key, p.params)}
        </span>
      ))}
      <p className="hint" id="workflow-requirements-hint">
        {t('packages.workflow.hint')}
      </p>
    </div>
  )
}
