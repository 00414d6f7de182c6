// Fires schedules and folder triggers into the same WorkflowRunner as the Run button. The app (in-process)
// and `stepwise daemon` each own one; only the lease holder fires, and each schedule's run time is claimed
// in the database before it starts, so a run time never starts two runs.
import { access, constants, mkdir, rename, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { errorMessage, type ErrorMessage } from '../../../shared/error-messages'
import type { Execution, Variables } from '../../../shared/model'
import type { StartedRun, WorkflowRunner } from '../engine'
import type { Store } from '../store'
import { runsBetween, runsToStart } from './cron'
import { FolderWatch, type WatchOptions } from './folder-watch'
import { Lease } from './lease'
import { RunQueue } from './run-queue'
import * as db from './schedule-store'

export interface UnattendedOptions {
  now?: () => number
  tickMs?: number
  staleMs?: number
  /** Folder-trigger runs at a time; the rest wait in the queue. */
  parallel?: number
  watch?: WatchOptions
  log?: (line: string) => void
}

export class UnattendedRunner {
  readonly lease: Lease
  private timer: NodeJS.Timeout | null = null
  private ticking: Promise<void> | null = null
  private readonly watches = new Map<string, FolderWatch>()
  private readonly queued = new Map<string, (() => void)[]>()
  private readonly folderRuns: RunQueue
  private readonly inFlight = new Set<Promise<unknown>>()
  /** null until the first tick, so that the first answer is logged either way. */
  private holding: boolean | null = null

  constructor(
    private readonly store: Store,
    private readonly runner: WorkflowRunner,
    private readonly options: UnattendedOptions = {}
  ) {
    this.lease = new Lease(store.db, { staleMs: options.staleMs, now: options.now })
    this.folderRuns = new RunQueue(options.parallel ?? 4)
  }

  private now(): Date {
    return new Date((this.options.now ?? Date.now)())
  }

  private log(line: string): void {
    this.options.log?.(`${new Date().toISOString()} ${line}`)
  }

  start(): void {
    const tick = (): void => {
      this.ticking ??= this.tick()
        .catch((err: Error) => this.log(`error: ${err.message}`))
        .finally(() => (this.ticking = null))
    }
    tick()
    this.timer = setInterval(tick, this.options.tickMs ?? 500)
  }

  /** Stops firing and watching and hands the lease back; runs already started go on (see Services.close). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.ticking
    this.folderRuns.clear()
    await this.closeWatches()
    if (this.holding) this.lease.release()
    this.holding = false
  }

  /** Runs started by this runner that have not ended yet (tests and the daemon wait on them). */
  async settled(): Promise<void> {
    while (this.inFlight.size || this.folderRuns.active || this.folderRuns.pending) {
      await Promise.allSettled([...this.inFlight])
      await this.folderRuns.idle()
    }
  }

  /** One pass: renew the lease, fire what is due, keep the folder watches in line with the table. */
  async tick(): Promise<void> {
    const holds = this.lease.acquire()
    if (holds !== this.holding) this.log(holds ? 'took the runner lease' : 'another runner holds the lease')
    this.holding = holds
    if (!holds) {
      await this.closeWatches()
      return
    }
    this.fireSchedules()
    await this.syncWatches()
  }

  private fireSchedules(): void {
    const now = this.now()
    for (const s of db.listSchedules(this.store.db)) {
      if (!s.enabled) continue
      let due: Date[]
      try {
        due = runsBetween(s.cron, s.tz, new Date(s.last_fire_at), now)
      } catch (err) {
        db.recordScheduleResult(this.store.db, s.id, now.toISOString(), `error: ${(err as Error).message}`)
        continue
      }
      if (!due.length) continue
      if (!db.claimFire(this.store.db, s.id, s.last_fire_at, due[due.length - 1].toISOString())) continue
      const starts = runsToStart(due, now, s.catch_up)
      if (due.length > starts.length)
        this.log(`schedule ${s.id}: ${due.length - starts.length} missed run(s) not caught up (${s.catch_up})`)
      for (const at of starts) this.fireSchedule(s, at)
    }
  }

  private fireSchedule(s: db.Schedule, at: Date): void {
    const variables = { trigger_time: at.toISOString() }
    const launch = (allowConcurrent: boolean): void =>
      this.track(
        this.launch(s.workflow_id, variables, { trigger: 'schedule', triggerId: s.id, allowConcurrent }, (result) =>
          db.recordScheduleResult(this.store.db, s.id, this.now().toISOString(), result)
        )
      )
    const running = db.isWorkflowRunning(this.store.db, s.workflow_id) || (this.queued.get(s.workflow_id)?.length ?? 0) > 0
    if (!running || s.overlap === 'allow') return launch(s.overlap === 'allow')
    if (s.overlap === 'skip') {
      this.log(`schedule ${s.id}: run time ${at.toISOString()} skipped, the previous run is still running`)
      db.recordScheduleResult(
        this.store.db,
        s.id,
        this.now().toISOString(),
        `skipped ${at.toISOString()}: the previous run was still running`
      )
      return
    }
    const waiting = this.queued.get(s.workflow_id) ?? []
    waiting.push(() => launch(false))
    this.queued.set(s.workflow_id, waiting)
  }

  /** Starts a run and reports its end; a run that cannot start (deleted workflow, no Python) is a result too. */
  private async launch(
    workflowId: string,
    variables: Variables,
    options: { trigger: 'schedule' | 'folder'; triggerId: string; allowConcurrent: boolean },
    report: (result: string) => void
  ): Promise<Execution | null> {
    let run: StartedRun
    try {
      if (!this.store.hasWorkflow(workflowId)) throw new Error(`the workflow ${workflowId} was deleted`)
      run = await this.runner.start(workflowId, { variables, ...options })
    } catch (err) {
      this.log(`${options.trigger} ${options.triggerId}: could not start: ${(err as Error).message}`)
      report(`could not start: ${(err as Error).message}`)
      this.drainQueue(workflowId)
      return null
    }
    this.log(`${options.trigger} ${options.triggerId}: started execution ${run.executionId}`)
    const execution = await run.done
    this.log(`${options.trigger} ${options.triggerId}: execution ${run.executionId} ended ${execution.status}`)
    report(execution.status)
    this.drainQueue(workflowId)
    return execution
  }

  private drainQueue(workflowId: string): void {
    const next = this.queued.get(workflowId)?.shift()
    if (!this.queued.get(workflowId)?.length) this.queued.delete(workflowId)
    next?.()
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p)
    void p.finally(() => this.inFlight.delete(p))
  }

  private async closeWatches(): Promise<void> {
    const all = [...this.watches.values()]
    this.watches.clear()
    await Promise.all(all.map((w) => w.close()))
  }

  private async syncWatches(): Promise<void> {
    const triggers = db.listTriggers(this.store.db).filter((t) => t.enabled)
    const ids = new Set(triggers.map((t) => t.id))
    for (const [id, w] of this.watches) {
      if (!ids.has(id)) {
        this.watches.delete(id)
        await w.close()
      }
    }
    for (const t of triggers) {
      const problem = await folderProblem(t.folder)
      const watching = this.watches.get(t.id)
      if (problem) {
        if (watching) {
          this.watches.delete(t.id)
          await watching.close()
        }
        if (t.paused_reason !== problem) {
          this.log(`trigger ${t.id}: paused: ${problem}`)
          db.setTriggerPaused(this.store.db, t.id, problem)
        }
        continue
      }
      if (watching) continue
      if (t.paused_reason) {
        this.log(`trigger ${t.id}: the folder is back, watching again`)
        db.setTriggerPaused(this.store.db, t.id, null)
      }
      const w = new FolderWatch(
        t,
        (path, event) => this.onFile(t, path, event),
        (err) => this.log(`trigger ${t.id}: watch error: ${err.message}`),
        this.options.watch
      )
      this.watches.set(t.id, w)
      await w.start(t.process_existing)
    }
  }

  private onFile(t: db.FolderTrigger, path: string, event: db.TriggerEvent): void {
    this.log(`trigger ${t.id}: ${event} ${path}`)
    this.folderRuns.push(() =>
      this.launch(
        t.workflow_id,
        { trigger_file: path, trigger_event: event },
        { trigger: 'folder', triggerId: t.id, allowConcurrent: true },
        (result) => db.recordTriggerResult(this.store.db, t.id, this.now().toISOString(), `${result}: ${basename(path)}`)
      ).then(async (execution) => {
        if (execution?.status === 'SUCCESS' && t.move_to) await this.moveAway(t, path)
      })
    )
  }

  private async moveAway(t: db.FolderTrigger, path: string): Promise<void> {
    try {
      await mkdir(t.move_to!, { recursive: true })
      await rename(path, join(t.move_to!, basename(path)))
    } catch (err) {
      this.log(`trigger ${t.id}: could not move ${path} to ${t.move_to}: ${(err as Error).message}`)
    }
  }
}

/** Why a trigger's folder cannot be watched now, or null when it can. */
export async function folderProblem(folder: string): Promise<string | null> {
  return (await explainedFolderProblem(folder))?.message ?? null
}

/** The same with its code, for the window. */
export async function explainedFolderProblem(folder: string): Promise<{ message: string; explanation: ErrorMessage } | null> {
  const s = await stat(folder).catch(() => null)
  if (!s)
    return {
      message: `The folder "${folder}" does not exist (deleted, renamed, or its drive is disconnected); the trigger waits for it.`,
      explanation: errorMessage('folderMissing', { folder })
    }
  if (!s.isDirectory()) return { message: `"${folder}" is a file, not a folder.`, explanation: errorMessage('folderIsFile', { folder }) }
  try {
    await access(folder, constants.R_OK | constants.X_OK)
  } catch {
    return {
      message: `Stepwise may not read the folder "${folder}" (permission denied).`,
      explanation: errorMessage('folderNotReadable', { folder })
    }
  }
  return null
}
