// How much a step may write: its output (stdout) and the full log kept of its stderr. Far above any real
// step, far below what would take the app's memory or the disk with it; lowered by environment variables
// for tests and for machines short of disk.

/** 512 MB of stdout; STEPWISE_MAX_OUTPUT_MB. Past it the step is stopped and fails. */
export const outputLimitBytes = (): number => fromEnv('STEPWISE_MAX_OUTPUT_MB') ?? 512 * 1024 * 1024

/** 1 G characters of full log; STEPWISE_MAX_LOG_MB. Past it the file stops (the end still reaches the database). */
export const logLimitChars = (): number => fromEnv('STEPWISE_MAX_LOG_MB') ?? 1024 * 1024 * 1024

function fromEnv(name: string): number | undefined {
  const mb = Number(process.env[name])
  return Number.isFinite(mb) && mb > 0 ? Math.round(mb * 1024 * 1024) : undefined
}
