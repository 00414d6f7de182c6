// When a failed attempt is worth another, and how long to wait first: the step's policy, never a stop.
import type { RetryPolicy } from '../../../shared/model'
import type { EngineStepResult } from './scheduler'

/** Whether `attempt` (from 1), which just ended with `result`, is followed by another. */
export function shouldRetry(policy: RetryPolicy | null, result: EngineStepResult, attempt: number): boolean {
  if (!policy || attempt > policy.count) return false
  if (result.status !== 'FAILED' && result.status !== 'TIMED_OUT') return false
  // A step that never started its script (bad input_mapping, files not writable) fails the same way again.
  if (policy.exit_codes) return result.exitCode !== null && result.exitCode !== undefined && policy.exit_codes.includes(result.exitCode)
  return true
}

/** The wait after failed attempt `attempt`: delay, then delay × backoff, × backoff², ... capped at an hour. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(3600_000, Math.round(policy.delay_seconds * 1000 * Math.pow(policy.backoff, attempt - 1)))
}
