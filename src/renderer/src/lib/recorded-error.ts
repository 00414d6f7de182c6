// What runs, steps, schedules and triggers recorded (English in the store) said in this window's language
// when shared/recorded-error-text recognises it; null leaves the recorded text as it is.
import { explainPausedReason, explainRunError, explainScheduleResult, explainStepError } from '../../../shared/recorded-error-text'
import type { ErrorMessage } from '../../../shared/error-messages'
import { isMessageKey, type MessageKey, type MessageParams } from '../i18n'
import { errorKeyOf } from './error-text'

type Translate = (key: MessageKey, params?: MessageParams) => string

function say(e: (ErrorMessage & { inner?: ErrorMessage }) | null, t: Translate): string | null {
  if (!e) return null
  const key = errorKeyOf(e.code)
  if (!key) return null
  if (!e.inner) return t(key, e.params)
  const reason = say(e.inner, t)
  return reason === null ? null : t(key, { ...e.params, reason })
}

/** The first line of a run's error, translated (Python's own lines after it stay as recorded). */
export const runErrorHeadline = (error: string, t: Translate): string | null => say(explainRunError(error), t)

/** The first line of a step's (or an attempt's) error, translated. */
export const stepErrorHeadline = (error: string, t: Translate): string | null => say(explainStepError(error), t)

/** A schedule's or trigger's last result: a run status, or what the unattended runner recorded, with its detail. */
export function scheduleResultText(result: string, t: Translate): string {
  const status = `status.${result}`
  if (isMessageKey(status)) return t(status)
  const e = explainScheduleResult(result)
  const said = say(e, t)
  if (said === null) return result
  return e?.detail ? `${said}: ${e.detail}` : said
}

/** Why a folder trigger is paused, translated when it is one of the runner's sentences. */
export const pausedReasonText = (reason: string, t: Translate): string => say(explainPausedReason(reason), t) ?? reason
