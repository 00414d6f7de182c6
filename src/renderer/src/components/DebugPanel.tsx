// The step debugger beside the code (issue 13): the toolbar (continue, step over/into/out, stop), where the
// step is paused, its call stack, variables, watch expressions, a console for the selected frame, the
// breakpoints with their conditions, and the step's output.
import { useState } from 'react'
import type { DebugCommand } from '../../../shared/debugger'
import { useT } from '../i18n/use-t'
import type { MessageKey } from '../i18n'
import { debugStore, type DebugSessionView } from '../stores/debug-store'
import { useDebug } from '../stores/hooks'
import { FrameVariables, VariableNode } from './DebugVariables'
import { JsonViewer } from './JsonViewer'
import type { Breakpoint } from '../../../shared/debugger'

const NO_BREAKPOINTS: Breakpoint[] = []
import './DebugPanel.css'

const TOOLS: { command: DebugCommand; icon: string; key: MessageKey; shortcut: string }[] = [
  { command: 'continue', icon: '▶', key: 'debugger.continue', shortcut: 'F5' },
  { command: 'next', icon: '↷', key: 'debugger.stepOver', shortcut: 'F10' },
  { command: 'stepIn', icon: '↓', key: 'debugger.stepIn', shortcut: 'F11' },
  { command: 'stepOut', icon: '↑', key: 'debugger.stepOut', shortcut: 'Shift+F11' }
]

function Toolbar({ session }: { session: DebugSessionView }) {
  const { t } = useT()
  const paused = session.status === 'paused'
  const live = session.status !== 'ended'
  return (
    <div className="debug-toolbar" role="toolbar" aria-label={t('debugger.toolbar')}>
      {TOOLS.map((tool) => (
        <button
          key={tool.command}
          type="button"
          className="btn btn-small"
          disabled={!paused}
          onClick={() => void debugStore.getState().command(tool.command)}
          title={`${t(tool.key)} (${tool.shortcut})`}
          aria-label={t(tool.key)}
          data-testid={`debug-${tool.command}`}
        >
          {tool.icon}
        </button>
      ))}
      {session.status === 'running' && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void debugStore.getState().command('pause')}
          data-testid="debug-pause"
        >
          ⏸ {t('debugger.pause')}
        </button>
      )}
      {live ? (
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={() => void debugStore.getState().stop()}
          title={`${t('debugger.stop')} (Shift+F5)`}
          data-testid="debug-stop"
        >
          ■ {t('debugger.stop')}
        </button>
      ) : (
        <button type="button" className="btn btn-small" onClick={() => debugStore.getState().close()} data-testid="debug-close">
          {t('debugger.close')}
        </button>
      )}
    </div>
  )
}

function Status({ session }: { session: DebugSessionView }) {
  const { t } = useT()
  let text: string
  if (session.status === 'starting') text = t('debugger.status.starting')
  else if (session.status === 'running') text = t('debugger.status.running')
  else if (session.status === 'paused')
    text = t(session.reason === 'exception' ? 'debugger.status.exception' : 'debugger.status.paused', { line: session.line ?? 0 })
  else text = t('debugger.status.ended', { status: session.exit?.status ?? '', code: session.exit?.exitCode ?? '–' })
  return (
    <div className={`debug-status debug-status-${session.status}`} role="status" data-testid="debug-status" data-status={session.status}>
      <span>{text}</span>
      {session.executionId && <span className="muted"> · {t('debugger.recordedInputs', { id: session.executionId.slice(0, 8) })}</span>}
      {session.exception && (
        <pre className="debug-exception" data-testid="debug-exception">
          {session.exception}
        </pre>
      )}
    </div>
  )
}

function Stack({ session }: { session: DebugSessionView }) {
  const { t } = useT()
  if (!session.frames.length) return null
  return (
    <section className="debug-section">
      <h4>{t('debugger.stack')}</h4>
      <ol className="debug-stack" data-testid="debug-stack">
        {session.frames.map((f, i) => (
          <li key={i}>
            <button
              type="button"
              className={`debug-frame ${i === session.selectedFrame ? 'selected' : ''} ${f.user ? '' : 'muted'}`}
              aria-current={i === session.selectedFrame}
              onClick={() => debugStore.getState().selectFrame(i)}
            >
              {f.name} <span className="muted">{f.user ? t('debugger.frameLine', { line: f.line }) : `${f.file}:${f.line}`}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  )
}

function Watches({ paused }: { paused: boolean }) {
  const { t } = useT()
  const watches = useDebug((s) => s.watches)
  const values = useDebug((s) => s.watchValues)
  const [text, setText] = useState('')
  return (
    <section className="debug-section">
      <h4>{t('debugger.watch')}</h4>
      <ul className="debug-watches" data-testid="debug-watches">
        {watches.map((w, i) => {
          const v = values.find((x) => x.expression === w)
          return (
            <li key={`${w}:${i}`}>
              <code>{w}</code> ={' '}
              <span className={v?.error ? 'debug-error' : ''} data-testid="debug-watch-value">
                {paused ? (v?.error ?? v?.value ?? '…') : '–'}
              </span>
              <button
                type="button"
                className="link"
                onClick={() => debugStore.getState().removeWatch(i)}
                aria-label={t('debugger.removeWatch', { expression: w })}
              >
                ×
              </button>
            </li>
          )
        })}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          debugStore.getState().addWatch(text)
          setText('')
        }}
      >
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('debugger.addWatch')}
          aria-label={t('debugger.addWatch')}
          data-testid="debug-watch-input"
        />
      </form>
    </section>
  )
}

function Console({ session }: { session: DebugSessionView }) {
  const { t } = useT()
  const entries = useDebug((s) => s.console)
  const [text, setText] = useState('')
  const paused = session.status === 'paused'
  return (
    <section className="debug-section">
      <h4>{t('debugger.console')}</h4>
      <ul className="debug-console" data-testid="debug-console" aria-live="polite">
        {entries.map((e) => (
          <li key={e.id}>
            <code>&gt; {e.expression}</code>
            {e.error ? (
              <div className="debug-error" data-testid="debug-console-error">
                {e.error}
              </div>
            ) : e.result && session.id ? (
              <ul className="debug-var-list" role="tree" aria-label={e.expression}>
                <VariableNode sessionId={session.id} variable={{ ...e.result, name: '' }} depth={0} />
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void debugStore.getState().evaluate(text)
          setText('')
        }}
      >
        <input
          value={text}
          disabled={!paused}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('debugger.consolePlaceholder')}
          aria-label={t('debugger.consoleLabel')}
          data-testid="debug-console-input"
        />
      </form>
    </section>
  )
}

function Breakpoints({ workflowId, stepId, session }: { workflowId: string; stepId: string; session: DebugSessionView | null }) {
  const { t } = useT()
  const list = useDebug((s) => s.breakpoints[`${workflowId}:${stepId}`] ?? NO_BREAKPOINTS)
  if (!list.length) return <p className="muted debug-hint">{t('debugger.breakpointsHint')}</p>
  return (
    <section className="debug-section">
      <h4>{t('debugger.breakpoints')}</h4>
      <ul className="debug-breakpoints" data-testid="debug-breakpoints">
        {list.map((b) => {
          const result = session?.breakpointResults.find((r) => r.line === b.line)
          return (
            <li key={b.line}>
              <span>{t('debugger.frameLine', { line: b.line })}</span>
              <input
                defaultValue={b.condition ?? ''}
                placeholder={t('debugger.condition')}
                aria-label={t('debugger.conditionFor', { line: b.line })}
                onBlur={(e) => debugStore.getState().setCondition(workflowId, stepId, b.line, e.target.value)}
                data-testid="debug-condition"
              />
              <button
                type="button"
                className="link"
                onClick={() => debugStore.getState().toggleBreakpoint(workflowId, stepId, b.line)}
                aria-label={t('debugger.removeBreakpoint', { line: b.line })}
              >
                ×
              </button>
              {result?.message && (
                <div className={result.verified ? 'muted' : 'debug-error'} data-testid="debug-breakpoint-message">
                  {result.message}
                </div>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

export function DebugPanel({ workflowId, stepId }: { workflowId: string; stepId: string }) {
  const { t } = useT()
  const session = useDebug((s) => (s.session?.workflowId === workflowId && s.session.stepId === stepId ? s.session : null))
  return (
    <aside className="debug-panel" aria-label={t('debugger.title')} data-testid="debug-panel">
      {session && <Toolbar session={session} />}
      {session && <Status session={session} />}
      {session && <Stack session={session} />}
      {session?.id && session.status === 'paused' && (
        <section className="debug-section">
          <h4>{t('debugger.vars.title')}</h4>
          <FrameVariables
            sessionId={session.id}
            frameId={session.selectedFrame}
            stopKey={`${session.line}:${session.frames.length}:${session.selectedFrame}`}
          />
        </section>
      )}
      {session && <Watches paused={session.status === 'paused'} />}
      {session && <Console session={session} />}
      <Breakpoints workflowId={workflowId} stepId={stepId} session={session} />
      {session && (session.output.length > 0 || session.exit) && (
        <section className="debug-section">
          <h4>{t('debugger.output')}</h4>
          {session.output.length > 0 && (
            <pre className="debug-output" data-testid="debug-output">
              {session.output.join('\n')}
            </pre>
          )}
          {session.exit?.output != null && <JsonViewer value={session.exit.output} testid="debug-exit-output" />}
          {session.exit?.error && (
            <pre className="debug-error">
              {session.exit.explained
                ? [t(session.exit.explained.key, session.exit.explained.params), session.exit.explained.detail].filter(Boolean).join('\n')
                : session.exit.error}
            </pre>
          )}
        </section>
      )}
    </aside>
  )
}
