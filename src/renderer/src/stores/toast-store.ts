// Messages to the person: errors from main with their readable text, confirmations of what happened.
import { createStore } from 'zustand/vanilla'
import type { MessageKey, MessageParams } from '../i18n'
import { errorText } from '../lib/error-text'

export type ToastKind = 'error' | 'success' | 'info'

export interface ToastAction {
  labelKey: MessageKey
  run: () => void
}

export interface Toast {
  id: number
  kind: ToastKind
  titleKey: MessageKey
  params?: MessageParams
  /** Untranslated detail, usually main's own error message. */
  detail?: string
  /** A translated detail, with the same params as the title unless it has its own. */
  detailKey?: MessageKey
  detailParams?: MessageParams
  action?: ToastAction
}

interface ToastState {
  toasts: Toast[]
  push(toast: Omit<Toast, 'id'>): number
  dismiss(id: number): void
  clear(): void
}

let nextId = 1
const MAX_TOASTS = 5

export const toastStore = createStore<ToastState>()((set) => ({
  toasts: [],
  push(toast) {
    const id = nextId++
    set((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-MAX_TOASTS) }))
    return id
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
  },
  clear() {
    set({ toasts: [] })
  }
}))

/** An error from main: in the person's language when main gave it a code, else in main's own words. */
export function reportError(titleKey: MessageKey, err: unknown, params?: MessageParams): void {
  const known = errorText(err)
  if (known)
    toastStore.getState().push({ kind: 'error', titleKey, params, detailKey: known.key, detailParams: known.params, detail: known.detail })
  else toastStore.getState().push({ kind: 'error', titleKey, params, detail: err instanceof Error ? err.message : String(err) })
}

export function notify(kind: ToastKind, titleKey: MessageKey, params?: MessageParams, action?: ToastAction, detail?: string): void {
  toastStore.getState().push({ kind, titleKey, params, action, detail })
}
