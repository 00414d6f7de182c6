// A collapsible JSON tree. Children are rendered only when opened, so a large output stays cheap.
import { useState } from 'react'
import type { JsonValue } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import { copyText } from '../app-actions'
import { sizeNoteParts } from '../../../shared/json-text'

function Scalar({ value }: { value: JsonValue }) {
  const { t } = useT()
  if (value === null) return <span className="json-null">null</span>
  const note = typeof value === 'string' ? sizeNoteParts(value) : null
  if (note)
    return (
      <span className="json-big" data-testid="big-value">
        <span className="muted">{t('values.bigNote', { mb: note.megabytes })}</span>
        {note.head && <code className="json-big-head" data-testid="big-value-head">{`${note.head}…`}</code>}
      </span>
    )
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>
  return null
}

function Node({ name, value, depth, openDepth }: { name: string | null; value: JsonValue; depth: number; openDepth: number }) {
  const isArray = Array.isArray(value)
  const isObject = value !== null && typeof value === 'object'
  const [open, setOpen] = useState(depth < openDepth)
  const label = name !== null ? <span className="json-key">{name}: </span> : null
  if (!isObject) {
    return (
      <div className="json-row" style={{ paddingLeft: depth * 14 + 14 }}>
        {label}
        <Scalar value={value} />
      </div>
    )
  }
  const entries: [string, JsonValue][] = isArray
    ? (value as JsonValue[]).map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, JsonValue>)
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`
  return (
    <div>
      <button
        type="button"
        className="json-row json-toggle"
        style={{ paddingLeft: depth * 14 }}
        onClick={() => setOpen(!open)}
        aria-expanded={open}
      >
        <span className="json-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {label}
        <span className="json-summary">{summary}</span>
      </button>
      {open && entries.map(([k, v]) => <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} />)}
    </div>
  )
}

export function JsonViewer({ value, testid, openDepth = 2 }: { value: JsonValue | undefined; testid?: string; openDepth?: number }) {
  const { t } = useT()
  if (value === undefined) return <p className="muted">{t('json.none')}</p>
  return (
    <div className="json-viewer" data-testid={testid}>
      <button type="button" className="btn btn-small json-copy" onClick={() => void copyText(JSON.stringify(value, null, 2))}>
        {t('action.copy')}
      </button>
      <Node name={null} value={value} depth={0} openDepth={openDepth} />
    </div>
  )
}
