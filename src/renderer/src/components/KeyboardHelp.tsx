// The shortcuts, on F1 or "?" (not while typing: there "?" is a character). Focus stays inside the list
// until Esc or Close, then returns where it was, as in any modal dialog.
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react'
import type { MessageKey } from '../i18n/en'
import { useT } from '../i18n/use-t'
import { uiStore } from '../stores/ui-store'
import './layout/layout.css'

const SHORTCUTS: { keys: string; key: MessageKey }[] = [
  { keys: 'F5', key: 'everyday2.keys.run' },
  { keys: 'Shift+F5', key: 'everyday2.keys.stop' },
  { keys: 'Ctrl+S', key: 'everyday2.keys.save' },
  { keys: 'Ctrl+F', key: 'everyday2.keys.find' },
  { keys: 'Tab', key: 'everyday2.keys.indent' },
  { keys: 'Esc, Tab', key: 'everyday2.keys.leaveEditor' },
  { keys: 'F9', key: 'everyday2.keys.breakpoint' },
  { keys: 'F10 / F11', key: 'everyday2.keys.stepping' },
  { keys: '↑ / ↓', key: 'everyday2.keys.selectStep' },
  { keys: 'Alt+↑ / Alt+↓', key: 'everyday2.keys.moveStep' },
  { keys: 'Delete', key: 'everyday2.keys.deleteStep' },
  { keys: '← → / ↑ ↓', key: 'everyday2.keys.resize' },
  { keys: 'F1 / ?', key: 'everyday2.keys.help' }
]

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'

/** Typing somewhere: a field, a select or the code editor. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  return /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable
}

export function KeyboardHelp() {
  const { t } = useT()
  const [open, setOpen] = useState(false)
  const dialog = useRef<HTMLDivElement>(null)
  const closeRef = useRef<HTMLButtonElement>(null)
  const returnTo = useRef<HTMLElement | null>(null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = uiStore.getState()
      if (ui.confirmRequest || ui.promptRequest || e.defaultPrevented) return
      if (e.key === 'F1' || (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target))) {
        e.preventDefault()
        returnTo.current = document.activeElement as HTMLElement | null
        setOpen(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  useEffect(() => {
    if (open) closeRef.current?.focus()
  }, [open])

  if (!open) return null
  const close = () => {
    setOpen(false)
    returnTo.current?.focus?.()
  }
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      close()
    } else if (e.key === 'Tab') {
      const items = [...(dialog.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])]
      if (!items.length) return
      const first = items[0]
      const last = items[items.length - 1]
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault()
        last.focus()
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault()
        first.focus()
      }
    }
  }
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={dialog}
        className="modal keyboard-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="keyboard-help-title"
        data-testid="keyboard-help"
        onKeyDown={onKeyDown}
      >
        <h2 id="keyboard-help-title">{t('everyday2.keys.title')}</h2>
        <div className="keyboard-help-list" tabIndex={0} aria-label={t('everyday2.keys.title')}>
          <table>
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.key}>
                  <th scope="row">
                    <kbd>{s.keys}</kbd>
                  </th>
                  <td>{t(s.key)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="modal-actions">
          <button ref={closeRef} type="button" className="btn btn-primary" onClick={close} data-testid="keyboard-help-close">
            {t('action.close')}
          </button>
        </div>
      </div>
    </div>
  )
}
