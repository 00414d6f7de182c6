// What the engine reads of a step's process, however it was started: spawned cold, handed to a one-shot
// spare, or forked by a fork server.
import type { Readable } from 'node:stream'

export interface StepEnd {
  exitCode?: number
  signal?: string
  /** Why it never ran: spawn's error code (ENOENT) and message. */
  code?: string
  originalMessage?: string
  shortMessage?: string
  /** Known to have left no process running (a fork server's waiter on Linux sees every one it left). */
  alone?: boolean
}

export interface StepProcess extends PromiseLike<StepEnd> {
  readonly pid?: number
  readonly stdout: Readable | null
  readonly stderr: Readable | null
  /** The process exited (its output may still be draining). */
  once(event: 'exit', listener: () => void): unknown
}
