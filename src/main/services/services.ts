// The main-process services wired together once; the app shell, the CLI and the test bridge all start here.
import { join } from 'node:path'
import { defaultDatabasePath, userDataDir } from './app-paths'
import { ProbeCache } from './python'
import { Store } from './store'
import { WorkflowRunner } from './engine'

export interface Services {
  store: Store
  runner: WorkflowRunner
  /** Stops every running execution (killing its processes), then closes the database. */
  close(): Promise<void>
}

export function openServices(options: { dbPath?: string; tempRoot?: string; defaultWorkingDirectory?: string } = {}): Services {
  const store = new Store(options.dbPath ?? defaultDatabasePath())
  const runner = new WorkflowRunner(store, {
    tempRoot: options.tempRoot,
    defaultWorkingDirectory: options.defaultWorkingDirectory,
    probeCache: new ProbeCache(join(userDataDir(), 'python-probes.json'))
  })
  // Off the start-up path: a crashed run's leftovers can wait a moment.
  const sweep = setTimeout(() => void runner.sweepTempFolders().catch(() => undefined), 2000)
  sweep.unref()
  return {
    store,
    runner,
    async close() {
      clearTimeout(sweep)
      await runner.stopAll()
      runner.dispose()
      store.close()
    }
  }
}
