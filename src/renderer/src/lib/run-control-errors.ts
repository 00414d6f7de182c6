// Main refuses a resume or a partial run with INVALID_INPUT and an English sentence; the few refusals a
// person meets in the window are recognised here so the toast can say them in the person's language.
import type { MessageKey } from '../i18n'

const KNOWN: [RegExp, MessageKey][] = [
  [/has no successful run/i, 'runControl.run.error.noSuccessfulRun'],
  [/succeeded; there is nothing to resume/i, 'runControl.run.error.nothingToResume'],
  [/is still running/i, 'runControl.run.error.stillRunning'],
  [/replayed one step/i, 'runControl.run.error.replayNotResumable']
]

/** The translated explanation of main's refusal, or null when it is not one of the known ones. */
export function runControlErrorKey(message: string): MessageKey | null {
  return KNOWN.find(([pattern]) => pattern.test(message))?.[1] ?? null
}
