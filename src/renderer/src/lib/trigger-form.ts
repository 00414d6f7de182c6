// The folder-trigger form checked before it is sent, so the person reads what is wrong in their own
// language next to the field; the main process still checks the folder itself (exists, readable).
import type { MessageKey } from '../i18n'

export interface TriggerForm {
  folder: string
  pattern: string
  onAdd: boolean
  onChange: boolean
  processExisting: boolean
  moveAfterSuccess: boolean
  moveTo: string
  poll: boolean
}

export type TriggerField = 'folder' | 'pattern' | 'events' | 'moveTo'
export type TriggerProblems = Partial<Record<TriggerField, MessageKey>>

/** C:\..., \\server\share\..., or /...: the main process resolves a relative path against its own folder. */
const isFullPath = (p: string): boolean => /^(?:[a-zA-Z]:[\\/]|\\\\[^\\]+\\|\/)/.test(p)
const sameFolder = (a: string, b: string): boolean => a.replace(/[\\/]+$/, '').toLowerCase() === b.replace(/[\\/]+$/, '').toLowerCase()

export function triggerProblems(form: TriggerForm): TriggerProblems {
  const problems: TriggerProblems = {}
  const folder = form.folder.trim()
  if (!folder) problems.folder = 'trigger.error.folderMissing'
  else if (!isFullPath(folder)) problems.folder = 'trigger.error.folderNotFull'
  const pattern = form.pattern.trim()
  if (!pattern) problems.pattern = 'trigger.error.patternMissing'
  else if (/[\\/]/.test(pattern)) problems.pattern = 'trigger.error.patternPath'
  if (!form.onAdd && !form.onChange) problems.events = 'trigger.error.eventsMissing'
  if (form.moveAfterSuccess) {
    const moveTo = form.moveTo.trim()
    if (!moveTo) problems.moveTo = 'trigger.error.moveToMissing'
    else if (!isFullPath(moveTo)) problems.moveTo = 'trigger.error.folderNotFull'
    else if (folder && sameFolder(moveTo, folder)) problems.moveTo = 'trigger.error.moveToSame'
  }
  return problems
}
