// The history's filters: whose runs (this workflow, all, another), who started them, their status, a day
// range and text in the error. Whose and who are asked of main; the rest narrows the loaded list.
import { EXECUTION_STATUSES, EXECUTION_TRIGGERS, type ExecutionStatus, type ExecutionTrigger } from '../../../../shared/model'
import { useT } from '../../i18n/use-t'
import type { HistoryFilters as Filters } from '../../lib/history-filter'
import { historyStore } from '../../stores/history-store'
import { useHistory, useWorkflows } from '../../stores/hooks'
import './history.css'

export function HistoryFilters({
  filters,
  onChange,
  onScopeChange
}: {
  filters: Filters
  onChange: (next: Filters) => void
  /** The loaded list changes: selections made in the old one no longer apply. */
  onScopeChange: () => void
}) {
  const { t } = useT()
  const trigger = useHistory((s) => s.trigger)
  const scope = useHistory((s) => s.scope)
  const openId = useHistory((s) => s.workflowId)
  const workflows = useWorkflows((s) => s.list)
  return (
    <div className="history-filters" data-testid="history-filters">
      <label className="field">
        <span>{t('everyday2.history.workflow')}</span>
        <select
          value={scope ?? ''}
          onChange={(e) => {
            onScopeChange()
            void historyStore.getState().setScope(e.target.value || null)
          }}
          data-testid="history-workflow-filter"
        >
          <option value="">{t('everyday2.history.thisWorkflow')}</option>
          <option value="*">{t('everyday2.history.allWorkflows')}</option>
          {workflows
            .filter((w) => w.id !== openId)
            .map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
        </select>
      </label>
      <label className="field">
        <span>{t('history.startedBy')}</span>
        <select
          value={trigger ?? ''}
          onChange={(e) => {
            onScopeChange()
            void historyStore.getState().setTrigger((e.target.value || null) as ExecutionTrigger | null)
          }}
          data-testid="history-trigger-filter"
        >
          <option value="">{t('history.startedBy.any')}</option>
          {EXECUTION_TRIGGERS.map((tr) => (
            <option key={tr} value={tr}>
              {t(`history.trigger.${tr}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('history.status')}</span>
        <select
          value={filters.status ?? ''}
          onChange={(e) => onChange({ ...filters, status: (e.target.value || null) as ExecutionStatus | null })}
          data-testid="history-status-filter"
        >
          <option value="">{t('everyday2.history.anyStatus')}</option>
          {EXECUTION_STATUSES.map((st) => (
            <option key={st} value={st}>
              {t(`status.${st}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('everyday2.history.from')}</span>
        <input
          type="date"
          value={filters.from}
          onChange={(e) => onChange({ ...filters, from: e.target.value })}
          data-testid="history-from"
        />
      </label>
      <label className="field">
        <span>{t('everyday2.history.to')}</span>
        <input type="date" value={filters.to} onChange={(e) => onChange({ ...filters, to: e.target.value })} data-testid="history-to" />
      </label>
      <label className="field history-filter-text">
        <span>{t('everyday2.history.errorText')}</span>
        <input
          type="search"
          value={filters.errorText}
          placeholder={t('everyday2.history.errorTextHint')}
          onChange={(e) => onChange({ ...filters, errorText: e.target.value })}
          data-testid="history-error-filter"
        />
      </label>
    </div>
  )
}
