// Application settings. Each change is saved at once; there is nothing to forget to save here.
import { useEffect, useState } from 'react'
import { defaultMaxParallel, type Language, type Theme } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import { useSettings } from '../stores/hooks'
import { settingsStore } from '../stores/settings-store'
import { FolderField } from './FolderField'
import { HistoryRetention } from './history/HistoryRetention'
import { PackageSettings } from './PackageSettings'
import { PythonPicker } from './PythonPicker'
import { Toggle } from './Toggle'

export function SettingsScreen() {
  const { t } = useT()
  const settings = useSettings((s) => s.settings)
  const info = useSettings((s) => s.info)
  const pythons = useSettings((s) => s.pythons)
  const update = settingsStore.getState().update
  const [timeout, setTimeoutText] = useState(String(settings.default_timeout_seconds))
  useEffect(() => setTimeoutText(String(settings.default_timeout_seconds)), [settings.default_timeout_seconds])
  const chosen = pythons?.find((p) => p.path === settings.python_path) ?? (settings.python_path ? null : pythons?.[0])
  const timeoutValid = Number(timeout) > 0 && Number(timeout) <= 7 * 24 * 3600
  const [parallel, setParallel] = useState(settings.max_parallel === null ? '' : String(settings.max_parallel))
  useEffect(() => setParallel(settings.max_parallel === null ? '' : String(settings.max_parallel)), [settings.max_parallel])
  const parallelValue = parallel.trim() === '' ? null : Number(parallel)
  const parallelValid = parallelValue === null || (Number.isInteger(parallelValue) && parallelValue >= 1 && parallelValue <= 64)

  return (
    <div className="form-page settings-page" data-testid="settings-screen">
      <h2>{t('settings.title')}</h2>

      <section className="settings-group">
        <h3>{t('settings.run')}</h3>
        <div className="field">
          <span>{t('settings.python')}</span>
          <PythonPicker
            value={settings.python_path}
            onChange={(python_path) => void update({ python_path })}
            defaultLabel={t('settings.pythonAuto')}
            testid="settings-python"
          />
          {chosen && (
            <p className="hint" data-testid="settings-python-version">
              {t('settings.pythonInUse', { version: chosen.version, arch: chosen.architecture, path: chosen.path })}
            </p>
          )}
        </div>
        <label className="field field-narrow">
          <span>{t('settings.defaultTimeout')}</span>
          <input
            type="number"
            min={1}
            value={timeout}
            onChange={(e) => setTimeoutText(e.target.value)}
            onBlur={() =>
              timeoutValid &&
              Number(timeout) !== settings.default_timeout_seconds &&
              void update({ default_timeout_seconds: Number(timeout) })
            }
            aria-invalid={!timeoutValid}
            data-testid="settings-timeout"
          />
          {!timeoutValid && <span className="field-error">{t('settings.timeoutInvalid')}</span>}
        </label>
        <label className="field field-narrow">
          <span>{t('settings.maxParallel')}</span>
          <input
            type="number"
            min={1}
            max={64}
            value={parallel}
            placeholder={String(defaultMaxParallel(navigator.hardwareConcurrency || 1))}
            onChange={(e) => setParallel(e.target.value)}
            onBlur={() => parallelValid && parallelValue !== settings.max_parallel && void update({ max_parallel: parallelValue })}
            aria-invalid={!parallelValid}
            aria-describedby="settings-parallel-hint"
            data-testid="settings-max-parallel"
          />
          {!parallelValid && <span className="field-error">{t('settings.maxParallelInvalid')}</span>}
        </label>
        <p className="hint" id="settings-parallel-hint">
          {t('settings.maxParallelHint', { auto: defaultMaxParallel(navigator.hardwareConcurrency || 1) })}
        </p>
        <Toggle
          checked={settings.debug_mode}
          onChange={(debug_mode) => void update({ debug_mode })}
          label={t('everyday.settings.debugDefault')}
          hint={t('everyday.settings.debugDefaultHint')}
          testid="settings-debug"
        />
        <div className="field">
          <span>{t('settings.workingDirectory')}</span>
          <FolderField
            value={settings.default_working_directory}
            onChange={(default_working_directory) => void update({ default_working_directory })}
            placeholder={t('workflowSettings.appFolder')}
            testid="settings-workdir"
            label={t('settings.workingDirectory')}
          />
        </div>
      </section>

      <PackageSettings />

      <HistoryRetention />

      <section className="settings-group">
        <h3>{t('settings.unattended')}</h3>
        <Toggle
          checked={settings.keep_running_in_background}
          onChange={(keep_running_in_background) => void update({ keep_running_in_background })}
          label={t('settings.keepRunning')}
          hint={t('settings.keepRunningHint')}
          testid="settings-background"
        />
        <Toggle
          checked={settings.start_at_login}
          onChange={(start_at_login) => void update({ start_at_login })}
          label={t('settings.startAtLogin')}
          testid="settings-login"
        />
      </section>

      <section className="settings-group">
        <h3>{t('settings.appearance')}</h3>
        <label className="field field-narrow">
          <span>{t('settings.language')}</span>
          <select
            value={settings.language ?? ''}
            onChange={(e) => void update({ language: (e.target.value || null) as Language | null })}
            data-testid="settings-language"
          >
            <option value="">{t('settings.languageSystem')}</option>
            <option value="en">English</option>
            <option value="ko">한국어</option>
          </select>
        </label>
        <label className="field field-narrow">
          <span>{t('settings.theme')}</span>
          <select value={settings.theme} onChange={(e) => void update({ theme: e.target.value as Theme })} data-testid="settings-theme">
            <option value="system">{t('settings.themeSystem')}</option>
            <option value="light">{t('settings.themeLight')}</option>
            <option value="dark">{t('settings.themeDark')}</option>
          </select>
        </label>
      </section>

      {info && (
        <section className="settings-group about">
          <h3>{t('settings.about')}</h3>
          <dl className="execution-facts">
            <dt>{t('settings.version')}</dt>
            <dd>{info.version}</dd>
            <dt>{t('settings.database')}</dt>
            <dd>
              <code>{info.database_path}</code>
            </dd>
          </dl>
        </section>
      )}
    </div>
  )
}
