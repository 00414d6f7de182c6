// Watches one trigger's folder (not its subfolders) and reports each finished file once per event.
// chokidar's awaitWriteFinish holds a file back until its size stops changing, so a file copied or
// downloaded slowly starts its run only when complete; polling mode is for network shares and synced
// folders where change notifications do not arrive.
import { watch, type FSWatcher } from 'chokidar'
import { basename } from 'node:path'
import type { FolderTrigger, TriggerEvent } from './schedule-store'
import { globToRegExp, isTemporaryFile } from './glob'

export interface WatchOptions {
  /** How long a file's size must stay the same before it counts as written. */
  stableMs?: number
  pollMs?: number
}

export class FolderWatch {
  private watcher: FSWatcher | null = null
  private readonly matches: RegExp

  constructor(
    readonly trigger: FolderTrigger,
    private readonly onFile: (path: string, event: TriggerEvent) => void,
    private readonly onError: (err: Error) => void,
    private readonly options: WatchOptions = {}
  ) {
    this.matches = globToRegExp(trigger.pattern)
  }

  accepts(path: string): boolean {
    const name = basename(path)
    return !isTemporaryFile(name) && this.matches.test(name)
  }

  /** Resolves once the watcher has read the folder (and reported the files already there, if asked). */
  start(processExisting: boolean): Promise<void> {
    const stableMs = this.options.stableMs ?? 1000
    const pollMs = this.options.pollMs ?? 250
    this.watcher = watch(this.trigger.folder, {
      depth: 0,
      ignoreInitial: !processExisting,
      usePolling: this.trigger.poll,
      interval: pollMs,
      binaryInterval: pollMs,
      awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: Math.min(100, stableMs) },
      // Temporary files never start a run, so they need not be watched at all.
      ignored: (path, stats) => !!stats?.isFile() && !this.accepts(path)
    })
    for (const event of ['add', 'change'] as const) {
      if (!this.trigger.events.includes(event)) continue
      this.watcher.on(event, (path) => {
        if (this.accepts(path)) this.onFile(path, event)
      })
    }
    this.watcher.on('error', (err) => this.onError(err as Error))
    const watcher = this.watcher
    return new Promise((resolve) => watcher.once('ready', () => resolve()))
  }

  async close(): Promise<void> {
    const w = this.watcher
    this.watcher = null
    await w?.close()
  }
}
