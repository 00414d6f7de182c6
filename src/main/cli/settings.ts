// `stepwise settings [--json]` and `stepwise settings set NAME VALUE`: the app's settings from the command line,
// checked by the same schema as the window's (e.g. the wheel folder of an offline machine, the parallel limit).
import { DEFAULT_SETTINGS, type Settings } from '../../shared/model'
import { describeIssues, settingsPatchSchema } from '../../shared/schemas'
import type { Services } from '../services/services'
import { say } from './terminal-text'

export class SettingsUsageError extends Error {}

export function settingsCommand(services: Services, args: string[], values: { json?: boolean }): number {
  const [sub, ...rest] = args
  const { store } = services
  if (!sub) {
    const settings = store.getSettings()
    if (values.json) say(process.stdout, `${JSON.stringify(settings, null, 2)}\n`)
    else for (const [k, v] of Object.entries(settings)) say(process.stdout, `${k} = ${JSON.stringify(v)}\n`)
    return 0
  }
  if (sub !== 'set' || rest.length !== 2)
    throw new SettingsUsageError('Use: stepwise settings [--json] | stepwise settings set NAME VALUE (VALUE as JSON; "null" clears it).')
  const [name, raw] = rest
  if (!(name in DEFAULT_SETTINGS))
    throw new SettingsUsageError(`"${name}" is not a setting; the settings are: ${Object.keys(DEFAULT_SETTINGS).join(', ')}.`)
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    value = raw
  }
  const patch = { [name]: value }
  const parsed = settingsPatchSchema.safeParse(patch)
  if (!parsed.success) throw new SettingsUsageError(describeIssues(parsed.error, patch))
  const updated = store.updateSettings(parsed.data as Partial<Settings>)
  say(process.stdout, `${name} = ${JSON.stringify(updated[name as keyof Settings])}\n`)
  return 0
}
