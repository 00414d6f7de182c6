// A write of the run's record that failed: the disk is full (SQLITE_FULL, ENOSPC) or failing (SQLITE_IOERR).
// The run cannot go on being recorded, so it ends FAILED with a message a user can act on.

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code === 'ENOSPC' || code.startsWith('SQLITE_IOERR'))
}

/** What the run's error says about a failed write; `what` names what was being written. */
export function writeFailureMessage(err: unknown, what: string): string {
  const detail = `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message ?? String(err)}`
  return isDiskFull(err)
    ? `The disk is full (or failing): Stepwise could not write ${what} (${detail}). Free some disk space, then run the workflow again.`
    : `Stepwise could not write ${what} (${detail}).`
}
