// The errors a run, a step, a schedule or a folder trigger recorded are English in the store by design (the
// CLI prints them, history searches them, exports carry them). The window reads them back here: the
// sentence the engine made is recognised and becomes a code with its parameters, and what followed it
// (Python's stderr, the OS's reason) stays as it was, as the detail. A text not recognised is shown as
// recorded. test/errors-ko-recorded.test.ts feeds this what real runs record, so the two stay in step.
import { errorMessage, type ErrorMessage } from './error-messages'

type Reader = (first: string, rest: string) => ErrorMessage | null

const after = (first: string, prefixLength: number, rest: string): string | undefined =>
  [first.slice(prefixLength).trim(), rest].filter(Boolean).join('\n') || undefined

const STEP_READERS: Reader[] = [
  (first, rest) => {
    const m = /^Script failed with exit code (-?\d+) and wrote nothing to stderr\.$/.exec(first)
    return m ? errorMessage('stepExitCodeSilent', { code: m[1] }, rest || undefined) : null
  },
  (first, rest) => {
    const m = /^Script failed with exit code (-?\d+):?$/.exec(first)
    return m ? errorMessage('stepExitCode', { code: m[1] }, rest || undefined) : null
  },
  (first, rest) => {
    const m = /^The script was ended by the signal ([A-Z0-9]+)[.:]$/.exec(first)
    return m ? errorMessage('stepKilledBySignal', { signal: m[1] }, rest || undefined) : null
  },
  (first) => {
    const m = /^Timed out after ([\d.]+) s; the script and every process it started were stopped\.$/.exec(first)
    return m ? errorMessage('stepTimedOut', { seconds: m[1] }) : null
  },
  (first) => (first === 'Stopped by the user.' ? errorMessage('stepStopped', {}) : null),
  (first) => (first === 'Cancelled before it started' ? errorMessage('stepCancelledBeforeStart', {}) : null),
  (first, rest) => {
    const m = /^Could not start Python "(.*)" in "(.*)": (.*)$/.exec(first)
    return m ? errorMessage('stepCouldNotStart', { python: m[1], folder: m[2] }, [m[3], rest].filter(Boolean).join('\n')) : null
  },
  (first, rest) => {
    const m = /^Stopped while waiting to retry; attempt (\d+) had failed: /.exec(first)
    return m ? errorMessage('stepRetryStopped', { attempt: m[1] }, after(first, m[0].length, rest)) : null
  },
  (first, rest) => {
    const m = /^The script exited with code 0 but its output was cut off: /.exec(first)
    return m ? errorMessage('stepOutputCut', {}, after(first, m[0].length, rest)) : null
  },
  (first) => {
    const m = /^The script wrote more than (.+?) to stdout \(the most a step's output may be\) and was stopped\./.exec(first)
    return m ? errorMessage('stepOutputTooBig', { limit: m[1] }) : null
  },
  (first, rest) => {
    const m = /^Stepwise could not prepare the step's files in "(.*)": /.exec(first)
    return m ? errorMessage('stepFilesFailed', { folder: m[1] }, after(first, m[0].length, rest)) : null
  }
]

const split = (text: string): [string, string] => {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  return [lines[0] ?? '', lines.slice(1).join('\n')]
}

/** A step's recorded error as a code, or null when it is not one of the engine's sentences. */
export function explainStepError(text: string): ErrorMessage | null {
  const [first, rest] = split(text)
  for (const read of STEP_READERS) {
    const found = read(first, rest)
    if (found) return found
  }
  return null
}

/**
 * A run's recorded error. `Step "X": <the step's error>` becomes runStepFailed with the step's own error
 * under `inner`, for the window to say in turn.
 */
export function explainRunError(text: string): (ErrorMessage & { inner?: ErrorMessage }) | null {
  const [first, rest] = split(text)
  const couldNot = /^Step "(.*)" could not start: /.exec(first)
  if (couldNot) return errorMessage('runStepCouldNotStart', { step: couldNot[1] }, after(first, couldNot[0].length, rest))
  const stepFailed = /^Step "(.*?)": (.*)$/.exec(first)
  if (stepFailed) {
    const innerText = [stepFailed[2], rest].filter(Boolean).join('\n')
    const inner = explainStepError(innerText)
    if (!inner) return errorMessage('runStepFailed', { step: stepFailed[1], reason: stepFailed[2] }, rest || undefined)
    return { ...errorMessage('runStepFailed', { step: stepFailed[1], reason: '' }, inner.detail), inner }
  }
  const couldNotRun = /^Stepwise could not run this workflow: /.exec(first)
  if (couldNotRun) return errorMessage('runCouldNotRun', {}, after(first, couldNotRun[0].length, rest))
  return explainStepError(text)
}

/** A schedule's or a trigger's last result as the unattended runner recorded it (statuses are translated elsewhere). */
export function explainScheduleResult(text: string): ErrorMessage | null {
  const skipped = /^skipped (\S+): the previous run was still running$/.exec(text)
  if (skipped) return errorMessage('scheduleSkipped', { at: skipped[1] })
  if (text.startsWith('could not start: ')) return errorMessage('scheduleCouldNotStart', {}, text.slice('could not start: '.length))
  if (text.startsWith('error: ')) return errorMessage('scheduleError', {}, text.slice('error: '.length))
  return null
}

/** Why a folder trigger is paused, as recorded. */
export function explainPausedReason(text: string): ErrorMessage | null {
  const missing = /^The folder "(.*)" does not exist \(deleted, renamed, or its drive is disconnected\); the trigger waits for it\.$/.exec(
    text
  )
  if (missing) return errorMessage('triggerWaitsForFolder', { folder: missing[1] })
  const file = /^"(.*)" is a file, not a folder\.$/.exec(text)
  if (file) return errorMessage('folderIsFile', { folder: file[1] })
  const denied = /^Stepwise may not read the folder "(.*)" \(permission denied\)\.$/.exec(text)
  if (denied) return errorMessage('folderNotReadable', { folder: denied[1] })
  return null
}
