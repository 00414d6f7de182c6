// Runs jobs at most `limit` at a time, in arrival order: 500 files dropped at once become 500 queued
// runs, never 500 Python processes.
export class RunQueue {
  private readonly waiting: (() => Promise<unknown>)[] = []
  private head = 0
  private running = 0
  private idleWaiters: (() => void)[] = []

  constructor(private readonly limit: number) {}

  get active(): number {
    return this.running
  }

  get pending(): number {
    return this.waiting.length - this.head
  }

  push(job: () => Promise<unknown>): void {
    this.waiting.push(job)
    this.pump()
  }

  /** Drops the jobs that have not started (the runner is stopping). */
  clear(): void {
    this.waiting.length = 0
    this.head = 0
    this.settleIdle()
  }

  idle(): Promise<void> {
    if (!this.running && !this.pending) return Promise.resolve()
    return new Promise((r) => this.idleWaiters.push(r))
  }

  private pump(): void {
    while (this.running < this.limit && this.head < this.waiting.length) {
      const job = this.waiting[this.head++]
      // Compact now and then, so that a long-lived queue does not keep every finished job.
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head)
        this.head = 0
      }
      this.running++
      void job()
        .catch(() => undefined)
        .finally(() => {
          this.running--
          this.pump()
          this.settleIdle()
        })
    }
  }

  private settleIdle(): void {
    if (this.running || this.pending) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }
}
