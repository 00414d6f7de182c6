// Where the person is in the window (which screen, which tab, which step of the run panel) and the one
// modal question being asked. Confirmations are promises so that flows read top to bottom.
import { createStore } from 'zustand/vanilla'
import type { MessageKey, MessageParams } from '../i18n'

export type Screen = 'workflow' | 'settings' | 'schedules' | 'secrets'
export type CenterTab = 'steps' | 'graph' | 'history' | 'workflowSettings'
export type ConfirmAnswer = 'confirm' | 'alternate' | 'cancel'

export interface ConfirmRequest {
  titleKey: MessageKey
  messageKey: MessageKey
  params?: MessageParams
  confirmKey: MessageKey
  /** A third choice, e.g. "Don't save". */
  alternateKey?: MessageKey
  danger?: boolean
  resolve(answer: ConfirmAnswer): void
}

export interface PromptRequest {
  titleKey: MessageKey
  labelKey: MessageKey
  initial: string
  confirmKey: MessageKey
  resolve(value: string | null): void
}

export interface UiState {
  screen: Screen
  tab: CenterTab
  /** The step whose log and results the run panel shows; null: follow the running step. */
  runPanelStepId: string | null
  runPanelOpen: boolean
  confirmRequest: ConfirmRequest | null
  promptRequest: PromptRequest | null
  setScreen(screen: Screen): void
  setTab(tab: CenterTab): void
  setRunPanelStep(stepId: string | null): void
  setRunPanelOpen(open: boolean): void
  confirm(request: Omit<ConfirmRequest, 'resolve'>): Promise<ConfirmAnswer>
  prompt(request: Omit<PromptRequest, 'resolve'>): Promise<string | null>
  answerConfirm(answer: ConfirmAnswer): void
  answerPrompt(value: string | null): void
}

export const uiStore = createStore<UiState>()((set, get) => ({
  screen: 'workflow',
  tab: 'steps',
  runPanelStepId: null,
  runPanelOpen: true,
  confirmRequest: null,
  promptRequest: null,
  setScreen(screen) {
    set({ screen })
  },
  setTab(tab) {
    set({ tab })
  },
  setRunPanelStep(stepId) {
    set({ runPanelStepId: stepId })
  },
  setRunPanelOpen(open) {
    set({ runPanelOpen: open })
  },
  confirm(request) {
    get().confirmRequest?.resolve('cancel')
    return new Promise((resolve) => set({ confirmRequest: { ...request, resolve } }))
  },
  prompt(request) {
    get().promptRequest?.resolve(null)
    return new Promise((resolve) => set({ promptRequest: { ...request, resolve } }))
  },
  answerConfirm(answer) {
    const r = get().confirmRequest
    set({ confirmRequest: null })
    r?.resolve(answer)
  },
  answerPrompt(value) {
    const r = get().promptRequest
    set({ promptRequest: null })
    r?.resolve(value)
  }
}))
