// A frame's variables as a lazy tree: a scope or value shows its children only when opened, a page of
// them at a time, so a list of millions of items costs one page.
import { useEffect, useState } from 'react'
import type { DebugVariable } from '../../../shared/debugger'
import { call } from '../api'
import { useT } from '../i18n/use-t'

const PAGE = 100

function Children({ sessionId, parent, depth }: { sessionId: string; parent: DebugVariable; depth: number }) {
  const { t } = useT()
  const [items, setItems] = useState<DebugVariable[]>([])
  const [total, setTotal] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = (start: number) =>
    call('debug:variables', { session_id: sessionId, ref: parent.ref, start, count: PAGE })
      .then((r) => {
        setItems((old) => (start === 0 ? r.variables : [...old, ...r.variables]))
        setTotal(r.total)
      })
      .catch((err: Error) => setError(err.message))
  useEffect(() => {
    void load(0)
  }, [sessionId, parent.ref])
  if (error) return <div className="debug-var-error">{error}</div>
  return (
    <ul role="group" className="debug-var-list">
      {items.map((v, i) => (
        <VariableNode key={`${v.name}:${i}`} sessionId={sessionId} variable={v} depth={depth} />
      ))}
      {total !== null && items.length < total && (
        <li>
          <button type="button" className="link" onClick={() => void load(items.length)} data-testid="debug-var-more">
            {t('debugger.vars.more', { shown: items.length, total })}
          </button>
        </li>
      )}
    </ul>
  )
}

export function VariableNode({ sessionId, variable, depth = 0 }: { sessionId: string; variable: DebugVariable; depth?: number }) {
  const { t } = useT()
  const [open, setOpen] = useState(depth === 0 && variable.type === 'scope' && variable.name === 'locals')
  const expandable = variable.ref > 0
  const label = variable.type === 'scope' ? t(variable.name === 'locals' ? 'debugger.vars.locals' : 'debugger.vars.globals') : variable.name
  return (
    <li
      role="treeitem"
      aria-expanded={expandable ? open : undefined}
      className="debug-var"
      data-testid="debug-var"
      data-name={variable.name}
    >
      <div className="debug-var-row" style={{ paddingLeft: depth * 12 }}>
        {expandable ? (
          <button
            type="button"
            className="debug-var-toggle"
            onClick={() => setOpen(!open)}
            aria-label={t(open ? 'debugger.vars.collapse' : 'debugger.vars.expand', { name: label })}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="debug-var-toggle" aria-hidden="true" />
        )}
        <span className="debug-var-name">{label}</span>
        {variable.type !== 'scope' && (
          <>
            <span className="debug-var-value" data-testid="debug-var-value" title={variable.value}>
              {variable.value}
            </span>
            <span className="debug-var-type muted">
              {variable.type}
              {variable.count !== undefined ? ` (${variable.count})` : ''}
            </span>
          </>
        )}
      </div>
      {open && expandable && <Children sessionId={sessionId} parent={variable} depth={depth + 1} />}
    </li>
  )
}

export function FrameVariables({ sessionId, frameId, stopKey }: { sessionId: string; frameId: number; stopKey: string }) {
  const { t } = useT()
  const [scopes, setScopes] = useState<DebugVariable[]>([])
  useEffect(() => {
    let live = true
    call('debug:variables', { session_id: sessionId, frame_id: frameId })
      .then((r) => live && setScopes(r.variables))
      .catch(() => live && setScopes([]))
    return () => {
      live = false
    }
  }, [sessionId, frameId, stopKey])
  return (
    <ul role="tree" aria-label={t('debugger.vars.title')} className="debug-var-list" data-testid="debug-variables">
      {scopes.map((s) => (
        <VariableNode key={`${stopKey}:${s.ref}`} sessionId={sessionId} variable={s} />
      ))}
    </ul>
  )
}
