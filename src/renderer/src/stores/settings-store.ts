// Settings, app info and the Python interpreters found: what the language, theme and run defaults hang on.
import { createStore } from 'zustand/vanilla'
import type { AppInfo, Language, PythonInterpreter, Settings } from '../../../shared/model'
import { DEFAULT_SETTINGS } from '../../../shared/model'
import { call } from '../api'
import { resolveLanguage } from '../i18n'
import { reportError } from './toast-store'

type SettingsPatch = Partial<Settings>

export interface SettingsState {
  settings: Settings
  info: AppInfo | null
  loaded: boolean
  pythons: PythonInterpreter[] | null
  pythonsLoading: boolean
  load(): Promise<void>
  update(patch: SettingsPatch): Promise<boolean>
  loadPythons(refresh?: boolean): Promise<void>
  browsePython(): Promise<PythonInterpreter | null>
}

export const settingsStore = createStore<SettingsState>()((set, get) => ({
  settings: DEFAULT_SETTINGS,
  info: null,
  loaded: false,
  pythons: null,
  pythonsLoading: false,
  async load() {
    try {
      const [settings, info] = await Promise.all([call('settings:get', {}), call('app:info', {})])
      set({ settings, info, loaded: true })
    } catch (err) {
      set({ loaded: true })
      reportError('error.loadSettings', err)
    }
  },
  async update(patch) {
    const before = get().settings
    set({ settings: { ...before, ...patch } })
    try {
      set({ settings: await call('settings:update', { patch }) })
      return true
    } catch (err) {
      set({ settings: before })
      reportError('error.saveSettings', err)
      return false
    }
  },
  async loadPythons(refresh) {
    set({ pythonsLoading: true })
    try {
      set({ pythons: await call('python:list', { refresh }) })
    } catch (err) {
      set({ pythons: [] })
      reportError('error.findPython', err)
    } finally {
      set({ pythonsLoading: false })
    }
  },
  async browsePython() {
    try {
      const found = await call('python:browse', {})
      if (!found) return null
      const list = get().pythons ?? []
      if (!list.some((p) => p.path === found.path)) set({ pythons: [...list, found] })
      return found
    } catch (err) {
      reportError('error.browsePython', err)
      return null
    }
  }
}))

export function effectiveLanguage(state: Pick<SettingsState, 'settings' | 'info'>): Language {
  return resolveLanguage(state.settings.language, state.info?.locale ?? (typeof navigator !== 'undefined' ? navigator.language : 'en'))
}
