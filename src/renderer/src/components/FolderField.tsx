// A folder path chosen with the system dialog; typing is allowed too, for paths pasted from elsewhere.
import { call } from '../api'
import { useT } from '../i18n/use-t'
import { reportError } from '../stores/toast-store'

export function FolderField({
  value,
  onChange,
  placeholder,
  testid,
  label,
  clearLabel
}: {
  value: string | null
  onChange: (path: string | null) => void
  placeholder: string
  testid: string
  label: string
  /** The clear button's text where "use the default" is not what clearing means. */
  clearLabel?: string
}) {
  const { t } = useT()
  const pick = async () => {
    try {
      const folder = await call('dialogs:pickFolder', value ? { default_path: value } : {})
      if (folder) onChange(folder)
    } catch (err) {
      reportError('error.pickFolder', err)
    }
  }
  return (
    <div className="control-row">
      <input
        value={value ?? ''}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value.trim() ? e.target.value : null)}
        spellCheck={false}
        aria-label={label}
        data-testid={testid}
      />
      <button type="button" className="btn" onClick={() => void pick()} data-testid={`${testid}-pick`}>
        {t('action.chooseFolder')}
      </button>
      {value && (
        <button type="button" className="btn btn-ghost" onClick={() => onChange(null)} data-testid={`${testid}-clear`}>
          {clearLabel ?? t('action.useDefault')}
        </button>
      )}
    </div>
  )
}
