// A step's error is recorded in English (the CLI and exported runs read the same record); the window says
// the engine's usual headlines in the person's language. Anything else, and Python's own text, is shown
// as recorded.
import type { MessageKey, MessageParams } from '../i18n'

type TFunction = (key: MessageKey, params?: MessageParams) => string

const RULES: [RegExp, (m: RegExpExecArray, t: TFunction) => string][] = [
  [/^Script failed with exit code (-?\d+) and wrote nothing to stderr\.$/, (m, t) => t('histshots.err.exitSilent', { code: m[1] })],
  [/^Script failed with exit code (-?\d+)$/, (m, t) => t('histshots.err.exit', { code: m[1] })],
  [
    /^Timed out after (\d+(?:\.\d+)?) s; the script and every process it started were stopped\.$/,
    (m, t) => t('histshots.err.timedOut', { seconds: m[1] })
  ],
  [/^Stopped by the user\.$/, (_, t) => t('histshots.err.stopped')],
  [/^Cancelled before it started$/, (_, t) => t('histshots.err.cancelled')]
]

/** The first line of a recorded error in the window's language, when it is one the engine writes. */
export function localizeHeadline(headline: string, t: TFunction): string {
  const step = /^Step "(.*?)": (.*)$/.exec(headline)
  if (step) {
    const inner = localizeHeadline(step[2], t)
    return inner === step[2] ? headline : t('histshots.err.step', { name: step[1], error: inner })
  }
  for (const [pattern, say] of RULES) {
    const m = pattern.exec(headline)
    if (m) return say(m, t)
  }
  return headline
}
