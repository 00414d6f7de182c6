// After a crash: what the dead runner left behind. A step's process tree it left running is ended, if its
// pid still names the very process it started (same start time); the run's temp folder is removed unless
// it was a debug run. Only runs this open marked INTERRUPTED are touched: their runner is certainly gone.
import { rmSync } from 'node:fs'
import { basename } from 'node:path'
import type { InterruptedRun, Store } from '../store'
import { processStartTime } from './process-identity'
import { killProcessTree } from './process-tree'

/** Ends the processes the interrupted runs' steps left running; resolves with how many trees it ended. */
export async function endOrphanedSteps(store: Store, runs: InterruptedRun[]): Promise<number> {
  let ended = 0
  for (const run of runs) {
    for (const step of run.steps) {
      if (!step.pid || !step.pidStartedAt) continue
      const now = await processStartTime(step.pid)
      if (now !== step.pidStartedAt) continue
      await killProcessTree(step.pid, { graceMs: 500 })
      ended++
      try {
        store.noteStepProcessEnded(
          run.executionId,
          step.stepId,
          `Its script (pid ${step.pid}) was still running with the processes it started; Stepwise ended them when it next started.`
        )
      } catch {
        // the database closed meanwhile: the processes are ended all the same
      }
    }
  }
  return ended
}

/** Removes the temp folders of interrupted, non-debug runs, at once; returns how many it removed. */
export function sweepInterruptedTempFolders(runs: InterruptedRun[]): number {
  let removed = 0
  for (const run of runs) {
    // Only a folder of the name the runner gives its own (a damaged row must never point rm elsewhere).
    if (run.debug || !run.tempDir || !basename(run.tempDir).startsWith(`stepwise-${run.executionId.slice(0, 8)}-`)) continue
    try {
      rmSync(run.tempDir, { recursive: true, force: true })
      removed++
    } catch {
      // held open by a scanner: the delayed sweep tries again
    }
  }
  return removed
}
