// The workflow's environment variables in its settings: a name, a text or a secret chosen by name (never
// its value), and the clean-environment option. Part of the draft, saved with the workflow.
import { useEffect, useState } from 'react'
import { call } from '../api'
import { useT } from '../i18n/use-t'
import { draftStore, type EnvRow } from '../stores/draft-store'
import { useDraft } from '../stores/hooks'
import { uiStore } from '../stores/ui-store'
import { Toggle } from './Toggle'

const NO_ROWS: EnvRow[] = []

export function EnvEditor() {
  const { t } = useT()
  const rows = useDraft((s) => s.draft?.env ?? NO_ROWS)
  const clean = useDraft((s) => s.draft?.clean_env ?? false)
  const [secretNames, setSecretNames] = useState<string[]>([])
  useEffect(() => {
    // Only names: a secret store that is unavailable just leaves the picker empty (the Secrets view says why).
    call('secrets:list', {}).then(
      (info) => setSecretNames(info.available ? info.names : []),
      () => setSecretNames([])
    )
  }, [])
  const update = draftStore.getState().update
  const setRow = (i: number, patch: Partial<EnvRow>): void => update({ env: rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) })

  return (
    <section className="field env-editor" aria-labelledby="env-title" data-testid="env-editor">
      <div className="mapping-head">
        <span id="env-title">{t('secrets.env.title')}</span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => update({ env: [...rows, { name: '', kind: 'text', value: '' }] })}
          data-testid="env-add"
        >
          + {t('secrets.env.add')}
        </button>
      </div>
      <p className="hint">{t('secrets.env.hint')}</p>
      {rows.length > 0 && (
        <table className="mapping-table env-table">
          <tbody>
            {rows.map((r, i) => {
              const label = r.name || `#${i + 1}`
              return (
                <tr key={i} data-testid={`env-row-${i}`}>
                  <td>
                    <input
                      value={r.name}
                      onChange={(e) => setRow(i, { name: e.target.value.trim() })}
                      placeholder="API_KEY"
                      aria-label={t('secrets.env.name')}
                      spellCheck={false}
                      data-testid={`env-name-${i}`}
                    />
                  </td>
                  <td>
                    <select
                      value={r.kind}
                      onChange={(e) => setRow(i, { kind: e.target.value as EnvRow['kind'], value: '' })}
                      aria-label={t('secrets.env.kind', { name: label })}
                      data-testid={`env-kind-${i}`}
                    >
                      <option value="text">{t('secrets.env.text')}</option>
                      <option value="secret">{t('secrets.env.secret')}</option>
                    </select>
                  </td>
                  <td>
                    {r.kind === 'text' ? (
                      <input
                        value={r.value}
                        onChange={(e) => setRow(i, { value: e.target.value })}
                        aria-label={t('secrets.env.value', { name: label })}
                        data-testid={`env-value-${i}`}
                      />
                    ) : (
                      <select
                        value={r.value}
                        onChange={(e) => setRow(i, { value: e.target.value })}
                        aria-label={t('secrets.env.value', { name: label })}
                        data-testid={`env-secret-${i}`}
                      >
                        <option value="">{t('secrets.env.pickSecret')}</option>
                        {r.value && !secretNames.includes(r.value) && (
                          <option value={r.value}>{t('secrets.env.notSet', { name: r.value })}</option>
                        )}
                        {secretNames.map((n) => (
                          <option key={n} value={n}>
                            {n}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="icon-btn"
                      onClick={() => update({ env: rows.filter((_, j) => j !== i) })}
                      aria-label={t('secrets.env.remove', { name: label })}
                      data-testid={`env-remove-${i}`}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => uiStore.getState().setScreen('secrets')}
        data-testid="env-manage-secrets"
      >
        {t('secrets.env.manage')}
      </button>
      <Toggle
        checked={clean}
        onChange={(clean_env) => update({ clean_env })}
        label={t('secrets.env.clean')}
        hint={t('secrets.env.cleanHint')}
        testid="env-clean"
      />
    </section>
  )
}
