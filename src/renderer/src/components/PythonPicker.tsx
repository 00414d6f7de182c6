// Chooses a Python interpreter from the ones found (with versions), or one browsed to.
import { useEffect } from 'react'
import { useT } from '../i18n/use-t'
import { useSettings } from '../stores/hooks'
import { settingsStore } from '../stores/settings-store'
import { interpreterSourceLabel } from './interpreter-source'

export function PythonPicker({
  value,
  onChange,
  defaultLabel,
  testid
}: {
  value: string | null
  onChange: (path: string | null) => void
  defaultLabel: string
  testid: string
}) {
  const { t } = useT()
  const pythons = useSettings((s) => s.pythons)
  const loading = useSettings((s) => s.pythonsLoading)
  useEffect(() => {
    if (pythons === null && !settingsStore.getState().pythonsLoading) void settingsStore.getState().loadPythons()
  }, [pythons])
  const known = pythons ?? []
  const inList = value === null || known.some((p) => p.path === value)
  return (
    <div className="python-picker">
      <div className="control-row">
        <select
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value || null)}
          data-testid={testid}
          aria-label={t('settings.python')}
        >
          <option value="">{defaultLabel}</option>
          {known.map((p) => (
            <option key={p.path} value={p.path}>
              Python {p.version} · {interpreterSourceLabel(p.source, t)} · {p.path}
            </option>
          ))}
          {!inList && value && <option value={value}>{value}</option>}
        </select>
        <button
          type="button"
          className="btn"
          onClick={async () => {
            const found = await settingsStore.getState().browsePython()
            if (found) onChange(found.path)
          }}
          data-testid={`${testid}-browse`}
        >
          {t('action.browse')}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => void settingsStore.getState().loadPythons(true)}
          disabled={loading}
          data-testid={`${testid}-refresh`}
        >
          {loading ? t('settings.searching') : t('action.refresh')}
        </button>
      </div>
      {pythons !== null && known.length === 0 && !loading && <p className="field-warning">{t('settings.noPython')}</p>}
    </div>
  )
}
