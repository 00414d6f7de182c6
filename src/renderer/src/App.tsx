// The window: workflows on the left; the open workflow's run bar, tabs (steps, graph, history, its
// settings) and live run panel in the middle. Each panel has its own error boundary, so one failing
// panel never blanks the window.
import { useEffect } from 'react'
import { runWorkflow, saveDraft, stopRun } from './app-actions'
import { ConfirmDialog, PromptDialog } from './components/Dialogs'
import { ErrorBoundary } from './components/ErrorBoundary'
import { FirstRun } from './components/FirstRun'
import { KeyboardHelp } from './components/KeyboardHelp'
import { GraphView } from './components/GraphView'
import { HistoryView } from './components/HistoryView'
import { RunBar } from './components/RunBar'
import { PackagePreparation } from './components/PackagePreparation'
import { RunPanel } from './components/RunPanel'
import { SchedulesScreen } from './components/SchedulesScreen'
import { SettingsScreen } from './components/SettingsScreen'
import { SecretsScreen } from './components/SecretsScreen'
import { Sidebar } from './components/Sidebar'
import { StepEditor } from './components/StepEditor'
import { StepList } from './components/StepList'
import { useDarkTheme } from './components/theme'
import { Toasts } from './components/Toasts'
import { UpdateBar } from './components/UpdateBar'
import { WorkflowSettingsView } from './components/WorkflowSettingsView'
import { Splitter } from './components/layout/Splitter'
import { usePaneSize } from './lib/pane-size'
import { useT } from './i18n/use-t'
import { useDraft, useUi } from './stores/hooks'
import { uiStore, type CenterTab } from './stores/ui-store'

const TABS: { id: CenterTab; key: 'tab.steps' | 'tab.graph' | 'tab.history' | 'tab.workflowSettings' }[] = [
  { id: 'steps', key: 'tab.steps' },
  { id: 'graph', key: 'tab.graph' },
  { id: 'history', key: 'tab.history' },
  { id: 'workflowSettings', key: 'tab.workflowSettings' }
]

function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = uiStore.getState()
      // Handled already: the step debugger's keys (F5 continues a paused step).
      if (ui.confirmRequest || ui.promptRequest || e.defaultPrevented) return
      if (e.key === 'F5') {
        // F5 would otherwise reload the page and lose the draft.
        e.preventDefault()
        if (e.shiftKey) void stopRun()
        else void runWorkflow()
      } else if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault()
        void saveDraft()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

const LIST_MIN = 160
const LIST_MAX = 480

function EditorSplit() {
  const { t } = useT()
  const list = usePaneSize('stepList', 230, LIST_MIN, LIST_MAX)
  return (
    <div
      className={`editor-split${list.collapsed ? ' list-collapsed' : ''}`}
      style={{ gridTemplateColumns: list.collapsed ? 'auto minmax(0, 1fr)' : `${list.size}px auto minmax(0, 1fr)` }}
      data-testid="editor-split"
    >
      {list.collapsed ? (
        <div className="pane-rail">
          <button
            type="button"
            className="icon-btn"
            aria-expanded={false}
            aria-label={t('everyday2.pane.showSteps')}
            title={t('everyday2.pane.showSteps')}
            onClick={() => list.setCollapsed(false)}
            data-testid="show-step-list"
          >
            ▸
          </button>
        </div>
      ) : (
        <>
          <ErrorBoundary name="steps">
            <StepList />
          </ErrorBoundary>
          <div className="splitter-slot">
            <Splitter
              pane={list}
              min={LIST_MIN}
              max={LIST_MAX}
              orientation="vertical"
              label={t('everyday2.pane.stepList')}
              testid="splitter-step-list"
            />
            <button
              type="button"
              className="icon-btn pane-collapse"
              aria-expanded={true}
              aria-label={t('everyday2.pane.hideSteps')}
              title={t('everyday2.pane.hideSteps')}
              onClick={() => list.setCollapsed(true)}
              data-testid="hide-step-list"
            >
              ◂
            </button>
          </div>
        </>
      )}
      <ErrorBoundary name="editor">
        <StepEditor />
      </ErrorBoundary>
    </div>
  )
}

function WorkflowScreen() {
  const { t } = useT()
  const tab = useUi((s) => s.tab)
  const dirty = useDraft((s) => s.dirty)
  return (
    <>
      <ErrorBoundary name="run-bar">
        <RunBar />
      </ErrorBoundary>
      <div className="tabs" role="tablist" aria-label={t('tab.label')}>
        {TABS.map((tb) => (
          <button
            key={tb.id}
            type="button"
            role="tab"
            aria-selected={tab === tb.id}
            className={`tab${tab === tb.id ? ' active' : ''}`}
            onClick={() => uiStore.getState().setTab(tb.id)}
            data-testid={`tab-${tb.id}`}
          >
            {t(tb.key)}
            {tb.id === 'steps' && dirty && <span className="dirty-dot">●</span>}
          </button>
        ))}
      </div>
      <div className="center" role="tabpanel">
        {tab === 'steps' && <EditorSplit />}
        {tab === 'graph' && (
          <ErrorBoundary name="graph">
            <GraphView />
          </ErrorBoundary>
        )}
        {tab === 'history' && (
          <ErrorBoundary name="history">
            <HistoryView />
          </ErrorBoundary>
        )}
        {tab === 'workflowSettings' && (
          <ErrorBoundary name="workflow-settings">
            <WorkflowSettingsView />
          </ErrorBoundary>
        )}
      </div>
      {tab !== 'history' && (
        <ErrorBoundary name="package-preparation">
          <PackagePreparation />
        </ErrorBoundary>
      )}
      {tab !== 'history' && (
        <ErrorBoundary name="run-panel">
          <RunPanel />
        </ErrorBoundary>
      )}
    </>
  )
}

export function App() {
  const { language } = useT()
  const screen = useUi((s) => s.screen)
  const hasDraft = useDraft((s) => s.draft !== null)
  const dark = useDarkTheme()
  useShortcuts()
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light'
  }, [dark])
  useEffect(() => {
    document.documentElement.lang = language
  }, [language])

  return (
    <div className="app">
      <ErrorBoundary name="sidebar">
        <Sidebar />
      </ErrorBoundary>
      <main className="main" data-testid="main">
        <UpdateBar />
        {screen === 'settings' ? (
          <ErrorBoundary name="settings">
            <SettingsScreen />
          </ErrorBoundary>
        ) : screen === 'secrets' ? (
          <ErrorBoundary name="secrets">
            <SecretsScreen />
          </ErrorBoundary>
        ) : screen === 'schedules' ? (
          <ErrorBoundary name="schedules">
            <SchedulesScreen />
          </ErrorBoundary>
        ) : hasDraft ? (
          <WorkflowScreen />
        ) : (
          <FirstRun />
        )}
      </main>
      <Toasts />
      <ConfirmDialog />
      <PromptDialog />
      <KeyboardHelp />
    </div>
  )
}
