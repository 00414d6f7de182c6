// Deleting runs takes what they kept on disk with them: a debug run's temp folder (its scripts and
// variables files) and the values too big for the database (stepwise-values/<execution>/). Only a folder
// of the name the runner gives its own is removed, so a damaged or hand-edited row can never point the
// delete at a user's folder.
import { rm } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Store } from '../store'
import { removeRunValues } from '../values/value-folder'

export interface DeletedRuns {
  deleted: number
  /** Temp folders removed from disk. */
  removedFolders: number
}

export function isOwnTempFolder(executionId: string, folder: string): boolean {
  return basename(folder).startsWith(`stepwise-${executionId.slice(0, 8)}-`)
}

export async function deleteRuns(store: Store, ids: string[]): Promise<DeletedRuns> {
  const folders = store.tempFoldersOf(ids).filter((f) => isOwnTempFolder(f.id, f.tempDir))
  const deleted = store.deleteExecutions(ids)
  // A running run is not deleted, and its values stay with it.
  await removeRunValues(store.path, store.missingExecutions(ids))
  let removedFolders = 0
  for (const f of folders) {
    try {
      await rm(f.tempDir, { recursive: true, force: true })
      removedFolders++
    } catch {
      // Held open (an editor, a scanner): the run is gone all the same and the temp sweep retries.
    }
  }
  return { deleted, removedFolders }
}
