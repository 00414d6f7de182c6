// Errors and confirmations in the corner: errors stay until dismissed, so a message is never missed.
import { useEffect } from 'react'
import { useToasts } from '../stores/hooks'
import { toastStore, type Toast } from '../stores/toast-store'
import { useT } from '../i18n/use-t'

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useT()
  useEffect(() => {
    if (toast.kind === 'error') return
    const id = setTimeout(() => toastStore.getState().dismiss(toast.id), toast.action ? 10000 : 4000)
    return () => clearTimeout(id)
  }, [toast])
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${toast.kind}`}>
      <div className="toast-body">
        <strong className="toast-title">{t(toast.titleKey, toast.params)}</strong>
        {toast.detailKey && <div className="toast-detail">{t(toast.detailKey, toast.detailParams ?? toast.params)}</div>}
        {toast.detail && <pre className="toast-detail">{toast.detail}</pre>}
      </div>
      <div className="toast-actions">
        {toast.action && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              toast.action!.run()
              toastStore.getState().dismiss(toast.id)
            }}
            data-testid="toast-action"
          >
            {t(toast.action.labelKey)}
          </button>
        )}
        <button
          type="button"
          className="icon-btn"
          aria-label={t('action.dismiss')}
          title={t('action.dismiss')}
          onClick={() => toastStore.getState().dismiss(toast.id)}
        >
          ×
        </button>
      </div>
    </div>
  )
}

export function Toasts() {
  const toasts = useToasts()
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>
  )
}
