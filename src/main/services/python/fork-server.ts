// The POSIX spare: one interpreter started ahead (resources/python/spare_bootstrap.py, `fork N`) that forks
// a fresh process per step. Python's startup is paid once for N steps and Stepwise spawns nothing per
// step, where a one-shot spare costs a whole interpreter start (and a spawn) for every step: on two cores
// a chain of short steps was bound by that CPU, not by the steps.
//
// The server was started with N pairs of pipes; slot i's pair becomes its step's stdout and stderr. The
// next slot's process is forked ahead and waits for its command. The server's stdout carries, per slot,
// "s <slot> <pid>" once the step has its command and "e <slot> <code> <left>"
// (a negative code: the signal; left 0: nothing of the step still runs) when it has ended. A server whose slots are all used is retired: its stdin
// is closed, it exits, and the steps it forked go on.
import type { ChildProcess } from 'node:child_process'
import { constants } from 'node:os'
import type { Readable } from 'node:stream'
import { isRunning } from '../process-alive'
import type { StepEnd, StepProcess } from './step-process-types'

/** Slots a server is started with: each costs two pipes, held until the server is retired. */
export const FORK_SLOTS = 16
/** After a step's pipes closed, how long its end may take to be reported before its pid is looked at. */
const LOST_END_GRACE_MS = 2000
const LOST_END_POLL_MS = 1000

type Listener = () => void

/** A step forked by a server: what step-process reads of a spawned one. */
export class ForkedStep implements StepProcess {
  pid: number | undefined
  private result: StepEnd | null = null
  private readonly exitListeners: Listener[] = []
  private readonly done: Promise<StepEnd>
  private markExited!: () => void
  private watchdog: NodeJS.Timeout | undefined

  constructor(
    readonly stdout: Readable,
    readonly stderr: Readable
  ) {
    const exited = new Promise<void>((resolve) => (this.markExited = resolve))
    const streams = Promise.all([streamDone(stdout), streamDone(stderr)])
    this.done = Promise.all([exited, streams]).then(() => this.result as StepEnd)
    void streams.then(() => this.watchForLostEnd())
  }

  /**
   * The waiter reports the end; one killed from outside never will. Once the pipes have closed and no
   * report came, the step's pid is looked at every second, and its end is taken from its disappearance.
   */
  private watchForLostEnd(): void {
    if (this.result) return
    const look = (): void => {
      if (this.pid !== undefined && isRunning(this.pid)) {
        this.watchdog = setTimeout(look, LOST_END_POLL_MS)
        return
      }
      this.ended({ shortMessage: 'the process that waited for it was ended, and its exit code with it' })
    }
    this.watchdog = setTimeout(look, LOST_END_GRACE_MS)
  }

  once(_event: 'exit', listener: Listener): this {
    if (this.result) queueMicrotask(listener)
    else this.exitListeners.push(listener)
    return this
  }

  then<A = StepEnd, B = never>(
    onFulfilled?: ((value: StepEnd) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null
  ): Promise<A | B> {
    return this.done.then(onFulfilled, onRejected)
  }

  /** The waiter's report: the exit code, or minus the signal that ended the step. */
  ended(end: StepEnd): void {
    if (this.result) return
    this.result = end
    clearTimeout(this.watchdog)
    this.markExited()
    for (const l of this.exitListeners.splice(0)) l()
  }
}

/** A step forked after it was given up on: its own session and group, ended whole. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

function streamDone(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    stream.once('end', resolve)
    stream.once('close', resolve)
    stream.once('error', () => resolve())
  })
}

function endFromCode(text: string): StepEnd {
  const n = Number(text)
  if (!Number.isInteger(n)) return { shortMessage: 'the server could not fork the step' }
  if (n >= 0) return { exitCode: n }
  const signal = (Object.entries(constants.signals).find(([, v]) => v === -n)?.[0] ?? undefined) as NodeJS.Signals | undefined
  return { signal }
}

interface Slot {
  step: ForkedStep
  started: (ok: boolean) => void
  /**
   * Given up on (no answer in time, or the server was ended) and started cold instead: if its waiter
   * forks it after all, it is killed at once, so the step never runs twice.
   */
  abandoned: boolean
}

export class ForkServer {
  private next = 0
  private readonly slots = new Map<number, Slot>()
  private control = ''
  private gone = false
  private lastUsed = Date.now()

  constructor(
    readonly child: ChildProcess,
    readonly slotCount: number
  ) {
    child.stdout?.setEncoding('latin1')
    child.stdout?.on('data', (text: string) => this.read(text))
    child.stdout?.once('close', () => this.failAll('its reports ended'))
    child.stdin?.on('error', () => this.failUnstarted())
    child.once('error', () => this.failAll('it could not start'))
    // Its exit alone says nothing of the slots it was handed: a waiter may still be forking one. Only
    // the end of its reports (every waiter gone too) does.
    child.once('exit', () => (this.gone = true))
    this.hold()
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** Slots not yet handed a step. */
  get free(): number {
    return this.gone || this.child.exitCode !== null || this.child.signalCode !== null ? 0 : this.slotCount - this.next
  }

  get idleSince(): number {
    return this.lastUsed
  }

  /**
   * Hands the server a step (`command` is the bootstrap's command for `slot`, see encodeCommand); resolves
   * with the forked step, or null when the server is dead or does not answer (the caller starts it cold).
   */
  run(encode: (slot: number) => Buffer, ackTimeoutMs: number): Promise<{ step: ForkedStep } | null> {
    if (this.free === 0 || !this.child.stdin || this.child.stdin.destroyed) return Promise.resolve(null)
    const slot = this.next++
    this.lastUsed = Date.now()
    const out = this.child.stdio[3 + 2 * slot] as Readable
    const err = this.child.stdio[4 + 2 * slot] as Readable
    const step = new ForkedStep(out, err)
    // Wrapped: a ForkedStep is awaitable, and resolving a promise with it would wait for the step's end.
    const answer = new Promise<{ step: ForkedStep } | null>((resolve) => {
      const timer = setTimeout(() => done(false), ackTimeoutMs)
      const done = (ok: boolean): void => {
        clearTimeout(timer)
        const entry = this.slots.get(slot)
        if (!ok && entry) {
          entry.abandoned = true
          out.destroy()
          err.destroy()
        }
        resolve(ok ? { step } : null)
        this.hold()
      }
      this.slots.set(slot, { step, started: done, abandoned: false })
    })
    for (const s of [out, err] as { ref?(): void }[]) s.ref?.()
    this.child.stdin.write(encode(slot))
    // Every slot handed out: nothing more will come, and the server may go once it has forked this one.
    if (this.next === this.slotCount) this.child.stdin.end()
    this.hold()
    return answer
  }

  /** Ends the server; the steps it already forked go on (their Stop and end are their own). */
  end(): void {
    this.gone = true
    this.child.stdin?.destroy()
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
    for (let i = this.next; i < this.slotCount; i++) (this.child.stdio[3 + 2 * i] as Readable | null)?.destroy()
    this.failUnstarted()
  }

  private read(text: string): void {
    this.control += text
    let nl: number
    while ((nl = this.control.indexOf('\n')) >= 0) {
      const [kind, slotText, value, left] = this.control.slice(0, nl).split(' ')
      this.control = this.control.slice(nl + 1)
      const slot = this.slots.get(Number(slotText))
      if (!slot) continue
      if (slot.abandoned) {
        if (kind === 's') killGroup(Number(value))
        this.slots.delete(Number(slotText))
      } else if (kind === 's') {
        slot.step.pid = Number(value)
        slot.started(true)
      } else if (kind === 'e') {
        if (slot.step.pid === undefined) slot.started(false)
        else slot.step.ended({ ...endFromCode(value), ...(left === '0' && { alone: true }) })
        this.slots.delete(Number(slotText))
      }
    }
    this.hold()
  }

  private failUnstarted(): void {
    for (const slot of this.slots.values()) if (slot.step.pid === undefined && !slot.abandoned) slot.started(false)
  }

  private failAll(why: string): void {
    this.gone = true
    for (const [n, slot] of this.slots) {
      if (slot.step.pid === undefined) slot.started(false)
      else slot.step.ended({ shortMessage: `the process that waited for it ended first (${why})` })
      this.slots.delete(n)
    }
  }

  /** A waiting server must not keep the CLI alive; one with a step in flight must, until it reports. */
  private hold(): void {
    // A slot given up on does not keep the CLI alive: the step it stood for was started cold.
    const busy = [...this.slots.values()].some((s) => !s.abandoned)
    for (const h of [this.child, this.child.stdout, this.child.stderr, this.child.stdin] as ({ ref?(): void; unref?(): void } | null)[])
      if (busy) h?.ref?.()
      else h?.unref?.()
    for (let i = this.next; i < this.slotCount; i++) (this.child.stdio[3 + 2 * i] as { unref?(): void } | null)?.unref?.()
  }
}
