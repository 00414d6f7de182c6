// One runner per database: the app's in-process scheduler and `stepwise daemon` may both be up, and only
// the holder of this row fires schedules and triggers. The holder renews its heartbeat every tick; a row
// whose heartbeat is older than `staleMs` belongs to a runner that died or slept, and is taken over.
import type Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'

const NAME = 'unattended-runner'

export class Lease {
  readonly owner = randomUUID()

  constructor(
    private readonly db: Database.Database,
    private readonly options: { staleMs?: number; now?: () => number } = {}
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  /** Takes or renews the lease; true while this runner holds it. */
  acquire(): boolean {
    const staleMs = this.options.staleMs ?? 15_000
    return this.db
      .transaction((): boolean => {
        const at = this.now()
        const row = this.db.prepare(`SELECT owner, heartbeat_at FROM lease WHERE name = ?`).get(NAME) as
          { owner: string; heartbeat_at: number } | undefined
        if (row && row.owner !== this.owner && at - row.heartbeat_at <= staleMs) return false
        this.db
          .prepare(
            `INSERT INTO lease (name, owner, pid, heartbeat_at) VALUES (?, ?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, heartbeat_at = excluded.heartbeat_at`
          )
          .run(NAME, this.owner, process.pid, at)
        return true
      })
      .immediate()
  }

  /** Hands the lease back at once, so that another runner need not wait for it to go stale. */
  release(): void {
    this.db.prepare(`DELETE FROM lease WHERE name = ? AND owner = ?`).run(NAME, this.owner)
  }

  holder(): { owner: string; pid: number; heartbeat_at: number } | null {
    return (this.db.prepare(`SELECT owner, pid, heartbeat_at FROM lease WHERE name = ?`).get(NAME) as never) ?? null
  }
}
