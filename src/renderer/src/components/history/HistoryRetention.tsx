// Settings → History: "Keep history for N days". Saved when the field is left with a valid value;
// empty keeps every run (the default: nothing is deleted unless the person asks).
import { useEffect, useState } from 'react'
import { useT } from '../../i18n/use-t'
import { useSettings } from '../../stores/hooks'
import { settingsStore } from '../../stores/settings-store'

export function HistoryRetention() {
  const { t } = useT()
  const days = useSettings((s) => s.settings.history_keep_days)
  const [text, setText] = useState(days === null ? '' : String(days))
  useEffect(() => setText(days === null ? '' : String(days)), [days])
  const value = text.trim() === '' ? null : Number(text)
  const valid = value === null || (Number.isInteger(value) && value >= 1 && value <= 3650)
  return (
    <section className="settings-group">
      <h3>{t('everyday2.settings.history')}</h3>
      <label className="field field-narrow">
        <span>{t('everyday2.settings.keepDays')}</span>
        <input
          type="number"
          min={1}
          max={3650}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => valid && value !== days && void settingsStore.getState().update({ history_keep_days: value })}
          aria-invalid={!valid}
          aria-describedby="settings-keep-days-hint"
          data-testid="settings-keep-days"
        />
        {!valid && <span className="field-error">{t('everyday2.settings.keepDaysInvalid')}</span>}
      </label>
      <p className="hint" id="settings-keep-days-hint">
        {t('everyday2.settings.keepDaysHint')}
      </p>
    </section>
  )
}
