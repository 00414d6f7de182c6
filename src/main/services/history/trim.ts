// "Keep history for N days": runs that started longer ago are deleted with their kept files, when the
// services start and once a day after, so a machine that is never restarted is trimmed too.
import type { Store } from '../store'
import { deleteRuns, type DeletedRuns } from './delete-runs'
import { removeOrphanValues } from '../values/value-folder'

const DAY_MS = 24 * 60 * 60 * 1000

export async function trimHistory(store: Store, now: Date = new Date()): Promise<DeletedRuns> {
  // Runs deleted with their workflow (or by an older Stepwise) leave their value folders: they go here.
  await removeOrphanValues(store.path, (ids) => store.missingExecutions(ids))
  const days = store.getSettings().history_keep_days
  if (!days) return { deleted: 0, removedFolders: 0 }
  const ids = store.executionsStartedBefore(new Date(now.getTime() - days * DAY_MS).toISOString())
  return ids.length ? deleteRuns(store, ids) : { deleted: 0, removedFolders: 0 }
}

/** Trims soon after start and then daily; returns the stop function. Timers never keep the process alive. */
export function scheduleHistoryTrim(store: Store, firstDelayMs = 3000): () => void {
  const trim = () => void trimHistory(store).catch(() => undefined)
  const first = setTimeout(trim, firstDelayMs)
  const daily = setInterval(trim, DAY_MS)
  first.unref()
  daily.unref()
  return () => {
    clearTimeout(first)
    clearInterval(daily)
  }
}
