// Main's errors in the person's language: an error that came with a code (see shared/error-messages) is
// said with this window's words; any other keeps main's English message.
import type { ErrorMessageCode } from '../../../shared/error-messages'
import type { ServiceErrorParams } from '../../../shared/service-error-params'
import { isMessageKey, type MessageKey, type MessageParams } from '../i18n'
import { ApiError } from '../api'

type ServiceCode = keyof ServiceErrorParams
// The services' codes are said under errko.<code>; a code without its sentence fails to compile here.
type MissingServiceKey = Exclude<`errko.${ServiceCode}`, MessageKey>
const everyServiceCodeHasText: [MissingServiceKey] extends [never] ? true : MissingServiceKey = true
void everyServiceCodeHasText

const FIRST_HOUR_KEYS: Record<Exclude<ErrorMessageCode, ServiceCode>, MessageKey> = {
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
  // Said with the workflow and the step it names (the older sentence had neither).
  noSuccessfulRun: 'errko.noSuccessfulRun',
  deleteWhileRunning: 'everyday.error.deleteWhileRunning',
  updateWhileRunning: 'everyday.error.updateWhileRunning'
}

/** The i18n key of a code, or null for a code this window does not know (a newer main). */
export function errorKeyOf(code: string): MessageKey | null {
  if (Object.prototype.hasOwnProperty.call(FIRST_HOUR_KEYS, code)) return FIRST_HOUR_KEYS[code as keyof typeof FIRST_HOUR_KEYS]
  const key = `errko.${code}`
  return isMessageKey(key) ? key : null
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
  return explainedText(err.explained)
}

/** The same for an explanation that came in a result rather than an error (a cron preview, the secrets' place). */
export function explainedText(e: { key?: string; params?: Record<string, string>; detail?: string }): ErrorText | null {
  const key = e.key ? errorKeyOf(e.key) : null
  if (!key) return null
  return { key, params: e.params ?? {}, ...(e.detail ? { detail: e.detail } : {}) }
}

/** An error as one line of text in this window's language (main's English when it came without a code). */
export function errorSentence(err: unknown, t: (key: MessageKey, params?: MessageParams) => string): string {
  const known = errorText(err)
  if (!known) return err instanceof Error ? err.message : String(err)
  const said = t(known.key, known.params)
  return known.detail ? `${said} ${known.detail}` : said
}
