// Main's errors in the person's language: an error that came with a code (see shared/error-messages) is
// said with this window's words; any other keeps main's English message.
import type { ErrorMessageCode } from '../../../shared/error-messages'
import type { MessageKey, MessageParams } from '../i18n'
import { ApiError } from '../api'

const KEYS: Record<ErrorMessageCode, MessageKey> = {
  noPython: 'everyday.error.noPython',
  pythonChosenMissing: 'everyday.error.pythonChosenMissing',
  pythonChosenBroken: 'everyday.error.pythonChosenBroken',
  workingFolderNotFullPath: 'everyday.error.workingFolderNotFullPath',
  workingFolderMissing: 'everyday.error.workingFolderMissing',
  alreadyRunning: 'everyday.error.alreadyRunning',
  noSteps: 'everyday.error.noSteps',
  workflowNotFound: 'everyday.error.workflowNotFound',
  executionNotFound: 'everyday.error.executionNotFound',
  invalidWorkflowFile: 'everyday.error.invalidWorkflowFile',
  stillRunning: 'runControl.run.error.stillRunning',
  nothingToResume: 'runControl.run.error.nothingToResume',
  replayNotResumable: 'runControl.run.error.replayNotResumable',
  noSuccessfulRun: 'runControl.run.error.noSuccessfulRun',
  deleteWhileRunning: 'everyday.error.deleteWhileRunning',
  updateWhileRunning: 'everyday.error.updateWhileRunning'
}

export interface ErrorText {
  key: MessageKey
  params: MessageParams
  /** Lines that stay as main wrote them (a file's problems, Python's own reason). */
  detail?: string
}

/** The translated form of an error, or null when main sent only its English message. */
export function errorText(err: unknown): ErrorText | null {
  if (!(err instanceof ApiError) || !err.explained?.key) return null
  const { key, params, detail } = err.explained
  if (!Object.prototype.hasOwnProperty.call(KEYS, key)) return null
  return { key: KEYS[key], params: params ?? {}, ...(detail ? { detail } : {}) }
}
