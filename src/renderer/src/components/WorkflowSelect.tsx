// The workflow a schedule or a folder trigger is for: a labelled choice among the stored workflows.
import type { WorkflowSummary } from '../../../shared/model'
import { useT } from '../i18n/use-t'

export function WorkflowSelect(props: { workflows: WorkflowSummary[]; value: string; onChange: (id: string) => void; testId: string }) {
  const { t } = useT()
  return (
    <label className="field">
      <span>{t('schedules.workflow')}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.workflows.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  )
}
