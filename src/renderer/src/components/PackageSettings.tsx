// Settings → Packages: where workflows' packages come from (a company index, an extra one, a folder of
// wheels), offline (the wheel folder alone), a proxy and a CA bundle. Each value is checked by the same
// rule main applies and refused here in the person's language; a valid one is saved when the field is left.
import { useEffect, useState } from 'react'
import type { Settings } from '../../../shared/model'
import { isFullPath } from '../../../shared/input-limits'
import { settingsPatchSchema } from '../../../shared/schemas'
import type { MessageKey } from '../i18n'
import { useT } from '../i18n/use-t'
import { useSettings } from '../stores/hooks'
import { settingsStore } from '../stores/settings-store'
import { FolderField } from './FolderField'
import { Toggle } from './Toggle'

type TextField = 'package_index_url' | 'package_extra_index_url' | 'package_proxy' | 'package_ca_bundle'

const isUrl = (field: TextField) => (text: string) => settingsPatchSchema.safeParse({ [field]: text }).success
const isFile = (text: string) => isFullPath(text) && settingsPatchSchema.safeParse({ package_ca_bundle: text }).success

function TextSetting({
  field,
  label,
  placeholder,
  valid,
  errorKey,
  testid
}: {
  field: TextField
  label: MessageKey
  placeholder: string
  valid: (text: string) => boolean
  errorKey: MessageKey
  testid: string
}) {
  const { t } = useT()
  const saved = useSettings((s) => s.settings[field])
  const [text, setText] = useState(saved ?? '')
  useEffect(() => setText(saved ?? ''), [saved])
  const value = text.trim()
  const ok = !value || valid(value)
  const commit = () => {
    const next = value || null
    if (ok && next !== saved) void settingsStore.getState().update({ [field]: next } as Partial<Settings>)
  }
  return (
    <label className="field">
      <span>{t(label)}</span>
      <input
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        spellCheck={false}
        aria-invalid={!ok}
        data-testid={testid}
      />
      {!ok && (
        <span className="field-error" role="alert" data-testid={`${testid}-error`}>
          {t(errorKey)}
        </span>
      )}
    </label>
  )
}

export function PackageSettings() {
  const { t } = useT()
  const settings = useSettings((s) => s.settings)
  const update = settingsStore.getState().update
  const [folder, setFolder] = useState(settings.package_find_links)
  useEffect(() => setFolder(settings.package_find_links), [settings.package_find_links])
  const folderOk = folder === null || isFullPath(folder)
  return (
    <section className="settings-group" data-testid="settings-packages">
      <h3>{t('packages.settings.title')}</h3>
      <p className="hint">{t('packages.settings.intro')}</p>
      <TextSetting
        field="package_index_url"
        label="packages.settings.indexUrl"
        placeholder="https://pypi.org/simple"
        valid={isUrl('package_index_url')}
        errorKey="packages.settings.urlInvalid"
        testid="settings-index-url"
      />
      <TextSetting
        field="package_extra_index_url"
        label="packages.settings.extraIndexUrl"
        placeholder="https://pypi.example.com/simple"
        valid={isUrl('package_extra_index_url')}
        errorKey="packages.settings.urlInvalid"
        testid="settings-extra-index-url"
      />
      <div className="field">
        <span>{t('packages.settings.wheelFolder')}</span>
        <FolderField
          value={folder}
          onChange={(path) => {
            setFolder(path)
            if (path === null || isFullPath(path)) void update({ package_find_links: path })
          }}
          placeholder={t('packages.settings.wheelFolderNone')}
          testid="settings-wheel-folder"
          label={t('packages.settings.wheelFolder')}
          clearLabel={t('packages.settings.wheelFolderClear')}
        />
        {!folderOk && (
          <span className="field-error" role="alert" data-testid="settings-wheel-folder-error">
            {t('packages.settings.folderInvalid')}
          </span>
        )}
        <p className="hint">{t('packages.settings.wheelFolderHint')}</p>
      </div>
      <Toggle
        checked={settings.package_offline}
        onChange={(package_offline) => void update({ package_offline })}
        label={t('packages.settings.offline')}
        hint={t('packages.settings.offlineHint')}
        testid="settings-offline"
      />
      {settings.package_offline && !settings.package_find_links && (
        <p className="field-warning" data-testid="settings-offline-warning">
          {t('packages.settings.offlineNeedsFolder')}
        </p>
      )}
      <TextSetting
        field="package_proxy"
        label="packages.settings.proxy"
        placeholder="http://proxy.example.com:8080"
        valid={isUrl('package_proxy')}
        errorKey="packages.settings.urlInvalid"
        testid="settings-proxy"
      />
      <TextSetting
        field="package_ca_bundle"
        label="packages.settings.caBundle"
        placeholder={t('packages.settings.caBundlePlaceholder')}
        valid={isFile}
        errorKey="packages.settings.fileInvalid"
        testid="settings-ca-bundle"
      />
    </section>
  )
}
