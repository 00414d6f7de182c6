// Workflow files the OS hands the app (a double-clicked .stepwise.json, on the command line or through
// macOS's open-file event): imported like Import does, and kept until the window takes them, so one that
// arrives before the window has loaded is not lost.
import { isAbsolute } from 'node:path'
import type { OpenedFile } from '../../../shared/ipc-contract'
import { LIMITS } from '../../../shared/input-limits'
import { importWorkflowFile, ipcError } from '../request-handlers'
import type { Store } from '../store'

export const WORKFLOW_FILE_SUFFIX = '.stepwise.json'

/**
 * The workflow files among a command line's arguments. Only full paths ending in .stepwise.json: the
 * executable, Chromium's switches and whatever else a launcher adds are not files to import.
 */
export function workflowFilesIn(argv: readonly unknown[]): string[] {
  return argv.filter(
    (a): a is string =>
      typeof a === 'string' &&
      !a.startsWith('-') &&
      !a.includes('\0') &&
      a.length <= LIMITS.pathChars &&
      a.toLowerCase().endsWith(WORKFLOW_FILE_SUFFIX) &&
      (isAbsolute(a) || /^[A-Za-z]:[\\/]/.test(a))
  )
}

export class OpenedFiles {
  private queue: OpenedFile[] = []

  constructor(private readonly store: Store) {}

  /** Imports the file now; the window learns of it with take(). */
  async add(path: string): Promise<OpenedFile> {
    let opened: OpenedFile
    try {
      const wf = await importWorkflowFile(this.store, path)
      opened = { path, workflow_id: wf.id, name: wf.name }
    } catch (err) {
      opened = { path, error: ipcError(err) }
    }
    this.queue.push(opened)
    return opened
  }

  take(): OpenedFile[] {
    return this.queue.splice(0)
  }
}
