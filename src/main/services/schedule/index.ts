// The schedule room: cron schedules, folder triggers, the one-runner lease and the runner that fires them.
import type Database from 'better-sqlite3'
import { readdir } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { errorMessage } from '../../../shared/error-messages'
import { ScheduleInputError } from './cron'
import { globToRegExp, isTemporaryFile } from './glob'
import { insertTrigger, type FolderTrigger, type NewTrigger } from './schedule-store'
import { explainedFolderProblem } from './unattended-runner'

export * from './cron'
export * from './schedule-store'
export { Lease } from './lease'
export { UnattendedRunner, folderProblem, explainedFolderProblem, type UnattendedOptions } from './unattended-runner'

/**
 * Adds a folder trigger after checking the folder and the pattern. A pattern that matches no file there
 * yet is allowed (files come later) but reported in `warning`, since it is often a typo.
 */
export async function addTrigger(
  db: Database.Database,
  input: NewTrigger,
  now: Date
): Promise<{ trigger: FolderTrigger; warning: string | null }> {
  if (!isAbsolute(input.folder) && !input.folder.trim()) throw new ScheduleInputError('--folder is empty.', errorMessage('folderEmpty', {}))
  const folder = resolve(input.folder)
  const problem = await explainedFolderProblem(folder)
  if (problem) throw new ScheduleInputError(problem.message.replace('; the trigger waits for it.', '.'), problem.explanation)
  const pattern = input.pattern ?? '*'
  const re = globToRegExp(pattern)
  const events = input.events ?? ['add']
  for (const e of events)
    if (e !== 'add' && e !== 'change')
      throw new ScheduleInputError(`Unknown event "${e}": use add or change.`, errorMessage('triggerEventUnknown', { event: e }))
  const trigger = insertTrigger(
    db,
    {
      workflowId: input.workflowId,
      folder,
      pattern,
      events,
      processExisting: input.processExisting ?? false,
      moveTo: input.moveTo ? resolve(input.moveTo) : null,
      poll: input.poll ?? false
    },
    now
  )
  const names = await readdir(folder)
  const matching = names.filter((n) => re.test(n) && !isTemporaryFile(n)).length
  const warning = matching ? null : `No file in "${folder}" matches "${pattern}" yet; the trigger starts a run for each one that arrives.`
  return { trigger, warning }
}

/** A folder trigger as the CLI's --json and the window show it (without its bookkeeping columns). */
export function triggerJson(t: FolderTrigger) {
  return {
    id: t.id,
    workflow_id: t.workflow_id,
    folder: t.folder,
    pattern: t.pattern,
    events: t.events,
    process_existing: t.process_existing,
    move_to: t.move_to,
    poll: t.poll,
    enabled: t.enabled,
    paused_reason: t.paused_reason,
    last_run_at: t.last_run_at,
    last_result: t.last_result
  }
}
