// "Restart to update", shown only once an update is downloaded; held back while any run is going, so an
// update never ends a run (main refuses it then too).
import { useStore } from 'zustand'
import { useT } from '../i18n/use-t'
import { useRuns } from '../stores/hooks'
import { updateStore } from '../stores/update-store'
import './everyday.css'

export function UpdateBar() {
  const { t } = useT()
  const ready = useStore(updateStore, (s) => s.ready)
  const restarting = useStore(updateStore, (s) => s.restarting)
  const running = useRuns((s) => Object.values(s.runs).some((r) => r.status === 'RUNNING'))
  if (!ready) return null
  return (
    <div className="update-bar" role="status" data-testid="update-bar">
      <span>{t('everyday.update.ready', { version: ready })}</span>
      {running && <span className="muted">{t('everyday.update.afterRun')}</span>}
      <button
        type="button"
        className="btn btn-small btn-primary"
        onClick={() => void updateStore.getState().restart()}
        disabled={running || restarting}
        data-testid="restart-to-update"
      >
        {t('everyday.update.restart')}
      </button>
    </div>
  )
}
