// A step's retry policy as the person types it: texts, so "1, " or an emptied field survive typing and are
// judged on save against the same limits main applies (RETRY_LIMITS), in the person's language.
import type { RetryPolicy } from '../../../shared/model'
import { RETRY_LIMITS } from '../../../shared/schemas'

export interface RetryForm {
  count: string
  delay_seconds: string
  backoff: string
  /** "1, 75"; blank: retry on any failure. */
  exit_codes: string
}

export type RetryField = keyof RetryForm

/** What a step gets when retry is switched on: a few retries, a short wait growing each time. */
export const DEFAULT_RETRY: RetryForm = { count: '3', delay_seconds: '10', backoff: '2', exit_codes: '' }

export function retryFormOf(policy: RetryPolicy | null): RetryForm | null {
  if (!policy) return null
  return {
    count: String(policy.count),
    delay_seconds: String(policy.delay_seconds),
    backoff: String(policy.backoff),
    exit_codes: policy.exit_codes?.join(', ') ?? ''
  }
}

// A blank field is NaN, not Number('') = 0: an emptied count must not read as "no retries".
const numberOf = (text: string): number => (text.trim() === '' ? NaN : Number(text.trim()))

const exitCodeTexts = (text: string): string[] =>
  text
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean)

/** The policy the form means; a field that is not a number stays NaN (validation names it before any save). */
export function retryPolicyOf(form: RetryForm | null): RetryPolicy | null {
  if (!form) return null
  const codes = exitCodeTexts(form.exit_codes)
  return {
    count: numberOf(form.count),
    delay_seconds: numberOf(form.delay_seconds),
    backoff: numberOf(form.backoff),
    exit_codes: codes.length ? codes.map(numberOf) : null
  }
}

export type RetryProblem =
  | { field: 'count'; limit: 'range'; value: string }
  | { field: 'delay_seconds'; limit: 'range'; value: string }
  | { field: 'backoff'; limit: 'range'; value: string }
  | { field: 'exit_codes'; limit: 'whole' | 'tooMany'; value: string }

const EXIT_CODE_MIN = -2147483648
const EXIT_CODE_MAX = 4294967295

export function retryProblems(form: RetryForm): RetryProblem[] {
  const problems: RetryProblem[] = []
  const count = numberOf(form.count)
  if (!Number.isInteger(count) || count < 0 || count > RETRY_LIMITS.count)
    problems.push({ field: 'count', limit: 'range', value: form.count.trim() })
  const delay = numberOf(form.delay_seconds)
  if (!Number.isFinite(delay) || delay < 0 || delay > RETRY_LIMITS.delaySeconds)
    problems.push({ field: 'delay_seconds', limit: 'range', value: form.delay_seconds.trim() })
  const backoff = numberOf(form.backoff)
  if (!Number.isFinite(backoff) || backoff < 1 || backoff > RETRY_LIMITS.backoff)
    problems.push({ field: 'backoff', limit: 'range', value: form.backoff.trim() })
  const codes = exitCodeTexts(form.exit_codes)
  const bad = codes.find((c) => !/^-?\d+$/.test(c) || Number(c) < EXIT_CODE_MIN || Number(c) > EXIT_CODE_MAX)
  if (bad !== undefined) problems.push({ field: 'exit_codes', limit: 'whole', value: bad })
  else if (codes.length > RETRY_LIMITS.exitCodes) problems.push({ field: 'exit_codes', limit: 'tooMany', value: String(codes.length) })
  return problems
}
