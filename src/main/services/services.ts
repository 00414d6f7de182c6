// The main-process services wired together once; the app shell, the CLI and the test bridge all start here.
import { dirname, join } from 'node:path'
import { defaultDatabasePath, userCacheDir } from './app-paths'
import { EnvironmentManager } from './environments'
import { ProbeCache } from './python'
import { SecretStore } from './secrets'
import { Store } from './store'
import { DebugService } from './debugger'
import { scheduleHistoryTrim } from './history'
import { endOrphanedSteps, processStartTimeNow, sweepInterruptedTempFolders, WorkflowRunner } from './engine'

export interface Services {
  store: Store
  runner: WorkflowRunner
  /** The step debugger's sessions. */
  debugger: DebugService
  /** The secrets of this database (OS credential store or the encrypted file beside it). */
  secrets: SecretStore
  /** Stops every running execution (killing its processes), then closes the database. */
  close(): Promise<void>
}

export function openServices(options: { dbPath?: string; tempRoot?: string; defaultWorkingDirectory?: string } = {}): Services {
  const store = new Store(options.dbPath ?? defaultDatabasePath(), processStartTimeNow)
  const secrets = new SecretStore(store.path)
  const context = {
    secrets,
    tempRoot: options.tempRoot,
    defaultWorkingDirectory: options.defaultWorkingDirectory,
    // What an interpreter is does not depend on the database: a second --db (or a fresh one) reuses it.
    probeCache: new ProbeCache(join(userCacheDir(), 'python-probes.json')),
    environments: new EnvironmentManager(join(dirname(store.path), 'environments'))
  }
  const runner = new WorkflowRunner(store, context)
  const debug = new DebugService(store, context)
  // Runs this open found dead: their runner is certainly gone, so their files go now and the step processes
  // they left running are ended (close() waits for that, so even a short CLI command finishes the job).
  sweepInterruptedTempFolders(store.interruptedAtOpen)
  const orphans = endOrphanedSteps(store, store.interruptedAtOpen).catch(() => 0)
  // Off the start-up path: other leftovers (a folder a scanner held) can wait a moment.
  const sweep = setTimeout(() => void runner.sweepTempFolders().catch(() => undefined), 2000)
  sweep.unref()
  const stopTrim = scheduleHistoryTrim(store)
  return {
    store,
    runner,
    debugger: debug,
    secrets,
    async close() {
      clearTimeout(sweep)
      stopTrim()
      await orphans
      await debug.stopAll()
      await runner.stopAll()
      runner.dispose()
      store.close()
    }
  }
}
