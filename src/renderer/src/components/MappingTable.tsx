// A key/value table for a step's input or output mapping, with the names that make sense offered as
// suggestions (a native datalist: typed freely, picked with the keyboard) and unknown names flagged.
import { useId } from 'react'
import type { MappingRow } from '../stores/draft-store'
import { useT } from '../i18n/use-t'

export interface Suggestion {
  value: string
  label?: string
}

export function MappingTable({
  rows,
  onChange,
  keyLabel,
  valueLabel,
  keySuggestions = [],
  valueSuggestions = [],
  unknownValues = [],
  unknownValueHint,
  testid,
  caption,
  help
}: {
  rows: MappingRow[]
  onChange: (rows: MappingRow[]) => void
  keyLabel: string
  valueLabel: string
  keySuggestions?: Suggestion[]
  valueSuggestions?: Suggestion[]
  unknownValues?: string[]
  unknownValueHint?: string
  testid: string
  caption: string
  help: string
}) {
  const { t } = useT()
  const uid = useId()
  const keyList = `${uid}-keys`
  const valueList = `${uid}-values`
  const set = (i: number, patch: Partial<MappingRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  return (
    <div className="mapping" data-testid={testid}>
      <div className="mapping-head">
        <h3>{caption}</h3>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onChange([...rows, { key: '', value: '' }])}
          data-testid={`${testid}-add`}
        >
          + {t('mapping.addRow')}
        </button>
      </div>
      <p className="hint">{help}</p>
      {rows.length > 0 && (
        <table className="mapping-table">
          <thead>
            <tr>
              <th scope="col">{keyLabel}</th>
              <th scope="col" aria-hidden="true" />
              <th scope="col">{valueLabel}</th>
              <th scope="col">
                <span className="sr-only">{t('mapping.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const unknown = row.value.trim() !== '' && unknownValues.includes(row.value.trim())
              return (
                <tr key={i} data-testid={`${testid}-row`}>
                  <td>
                    <input
                      value={row.key}
                      onChange={(e) => set(i, { key: e.target.value })}
                      list={keySuggestions.length ? keyList : undefined}
                      aria-label={`${keyLabel} ${i + 1}`}
                      spellCheck={false}
                      data-testid={`${testid}-key`}
                    />
                  </td>
                  <td className="mapping-arrow" aria-hidden="true">
                    ←
                  </td>
                  <td>
                    <input
                      value={row.value}
                      onChange={(e) => set(i, { value: e.target.value })}
                      list={valueSuggestions.length ? valueList : undefined}
                      aria-label={`${valueLabel} ${i + 1}`}
                      aria-invalid={unknown}
                      className={unknown ? 'invalid' : undefined}
                      title={unknown ? unknownValueHint : undefined}
                      spellCheck={false}
                      data-testid={`${testid}-value`}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={`${t('mapping.remove')} ${i + 1}`}
                      onClick={() => onChange(rows.filter((_, j) => j !== i))}
                      data-testid={`${testid}-remove`}
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
      {unknownValues.length > 0 && unknownValueHint && (
        <p className="field-warning" role="status" data-testid={`${testid}-warning`}>
          ⚠ {unknownValueHint}: {unknownValues.join(', ')}
        </p>
      )}
      <datalist id={keyList}>
        {keySuggestions.map((s) => (
          <option key={s.value} value={s.value} label={s.label} />
        ))}
      </datalist>
      <datalist id={valueList}>
        {valueSuggestions.map((s) => (
          <option key={s.value} value={s.value} label={s.label} />
        ))}
      </datalist>
      {valueSuggestions.length > 0 && (
        <div className="chips" aria-label={t('mapping.suggestions')} data-testid={`${testid}-suggestions`}>
          {valueSuggestions.map((s) => (
            <button
              key={s.value}
              type="button"
              className="chip"
              title={s.label}
              onClick={() => {
                const empty = rows.findIndex((r) => !r.value.trim())
                if (empty >= 0) set(empty, { value: s.value, key: rows[empty].key || s.value })
                else onChange([...rows, { key: s.value, value: s.value }])
              }}
            >
              {s.value}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
