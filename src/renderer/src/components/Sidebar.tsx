// The left pane: every workflow, a search over them, and the commands on whole workflows.
import { useEffect, useRef, useState } from 'react'
import type { WorkflowSummary } from '../../../shared/model'
import {
  createWorkflow,
  deleteWorkflow,
  duplicateWorkflow,
  exportWorkflow,
  importWorkflow,
  openWorkflow,
  renameWorkflow
} from '../app-actions'
import { useT } from '../i18n/use-t'
import { formatDateTime, formatShortDate } from '../lib/format'
import { useDraft, useUi, useUnattended, useWorkflows } from '../stores/hooks'
import { uiStore } from '../stores/ui-store'
import { unattendedStore } from '../stores/unattended-store'
import { workflowsStore } from '../stores/workflows-store'
import { StatusIcon, statusKey } from './StatusBadge'

function WorkflowMenu({ wf, onClose }: { wf: WorkflowSummary; onClose: () => void }) {
  const { t } = useT()
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.querySelector('button')?.focus()
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose()
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [onClose])
  const item = (label: string, testid: string, run: () => void, danger = false) => (
    <button
      type="button"
      role="menuitem"
      className={`menu-item${danger ? ' danger' : ''}`}
      data-testid={testid}
      onClick={() => {
        onClose()
        run()
      }}
    >
      {label}
    </button>
  )
  return (
    <div className="menu" role="menu" ref={ref} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {item(t('action.rename'), 'wf-rename', () => void renameWorkflow(wf.id, wf.name))}
      {item(t('action.duplicate'), 'wf-duplicate', () => void duplicateWorkflow(wf.id))}
      {item(
        t('action.exportWorkflow'),
        'wf-export',
        () =>
          void openWorkflow(wf.id).then(async (ok) => {
            if (ok) await exportWorkflow()
          })
      )}
      {item(t('action.delete'), 'wf-delete', () => void deleteWorkflow(wf.id, wf.name), true)}
    </div>
  )
}

export function Sidebar() {
  const { t, locale } = useT()
  const list = useWorkflows((s) => s.list)
  const loaded = useWorkflows((s) => s.loaded)
  const query = useWorkflows((s) => s.query)
  const openId = useDraft((s) => s.draft?.id ?? null)
  const dirty = useDraft((s) => s.dirty)
  const screen = useUi((s) => s.screen)
  const failedCount = useUnattended((s) => s.failures.length)
  const [menuFor, setMenuFor] = useState<string | null>(null)
  const [search, setSearch] = useState(query)

  useEffect(() => {
    const id = setTimeout(() => void workflowsStore.getState().setQuery(search), 150)
    return () => clearTimeout(id)
  }, [search])

  return (
    <nav className="sidebar" aria-label={t('sidebar.label')} data-testid="sidebar">
      <div className="sidebar-head">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▸▸
          </span>
          Stepwise
        </div>
        <div className="sidebar-actions">
          <button type="button" className="btn btn-primary btn-small" onClick={() => void createWorkflow()} data-testid="new-workflow">
            + {t('action.new')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => void importWorkflow()} data-testid="import-workflow">
            {t('action.import')}
          </button>
        </div>
        <input
          type="search"
          className="search"
          placeholder={t('sidebar.search')}
          aria-label={t('sidebar.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="workflow-search"
        />
      </div>
      <ul className="workflow-list" data-testid="workflow-list">
        {list.map((wf) => {
          const active = wf.id === openId && screen === 'workflow'
          return (
            <li key={wf.id} className={`workflow-item${active ? ' active' : ''}`} data-testid="workflow-item" data-name={wf.name}>
              <button
                type="button"
                className="workflow-open"
                onClick={() => void openWorkflow(wf.id)}
                aria-current={active ? 'page' : undefined}
                title={wf.description || wf.name}
              >
                <span className="workflow-name">
                  {wf.name}
                  {wf.id === openId && dirty && (
                    <span className="dirty-dot" title={t('editor.unsaved')} aria-label={t('editor.unsaved')}>
                      ●
                    </span>
                  )}
                </span>
                <span className="workflow-meta">
                  {wf.last_status && (
                    <span className={`status status-${wf.last_status.toLowerCase()}`} title={t(statusKey(wf.last_status))}>
                      <StatusIcon status={wf.last_status} />
                    </span>
                  )}
                  {wf.step_count === 1 ? t('sidebar.oneStep') : t('sidebar.steps', { count: wf.step_count })}
                  {' · '}
                  <span title={formatDateTime(wf.last_run_at ?? wf.updated_at, locale)}>
                    {formatShortDate(wf.last_run_at ?? wf.updated_at, locale)}
                  </span>
                </span>
              </button>
              <button
                type="button"
                className="icon-btn workflow-more"
                aria-label={t('sidebar.more', { name: wf.name })}
                aria-haspopup="menu"
                aria-expanded={menuFor === wf.id}
                onClick={() => setMenuFor(menuFor === wf.id ? null : wf.id)}
                data-testid="workflow-more"
              >
                ⋯
              </button>
              {menuFor === wf.id && <WorkflowMenu wf={wf} onClose={() => setMenuFor(null)} />}
            </li>
          )
        })}
      </ul>
      {loaded && list.length === 0 && (
        <div className="sidebar-empty" data-testid="workflow-list-empty">
          {query ? t('sidebar.noMatch', { query }) : t('sidebar.empty')}
        </div>
      )}
      <div className="sidebar-foot">
        <button
          type="button"
          className={`btn btn-ghost settings-btn${screen === 'schedules' ? ' active' : ''}`}
          onClick={() => {
            if (screen !== 'schedules') unattendedStore.getState().seenAll()
            uiStore.getState().setScreen(screen === 'schedules' ? 'workflow' : 'schedules')
          }}
          data-testid="open-schedules"
        >
          ◷ {t('schedules.title')}
          {failedCount > 0 && (
            <span className="nav-badge" data-testid="unattended-failed-badge">
              <span aria-hidden="true">{failedCount}</span>
              <span className="sr-only">{t('schedules.failedBadge', { count: failedCount })}</span>
            </span>
          )}
        </button>
        <button
          type="button"
          className={`btn btn-ghost settings-btn${screen === 'secrets' ? ' active' : ''}`}
          onClick={() => uiStore.getState().setScreen(screen === 'secrets' ? 'workflow' : 'secrets')}
          data-testid="open-secrets"
        >
          <span aria-hidden="true">✱</span> {t('secrets.title')}
        </button>
        <button
          type="button"
          className={`btn btn-ghost settings-btn${screen === 'settings' ? ' active' : ''}`}
          onClick={() => uiStore.getState().setScreen(screen === 'settings' ? 'workflow' : 'settings')}
          data-testid="open-settings"
        >
          ⚙ {t('settings.title')}
        </button>
      </div>
    </nav>
  )
}
