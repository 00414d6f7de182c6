// Spare interpreters: Python takes ~40 ms to start here and far longer behind a virus scanner, so the
// next step's interpreter is started ahead and waits (resources/python/spare_bootstrap.py) until it is
// told which script to run. The step then behaves as a cold `python script.py --variables-file vars.json`.
// On POSIX a spare is a fork server (fork-server.ts) that forks a fresh process per step; on Windows,
// which cannot fork, it is an interpreter that runs one step and exits. A spare whose key (interpreter,
// working folder, environment) changed, that waited too long, or that died, is thrown away and the step
// starts cold.
//
// spawnStepPython is the one place a step's Python is spawned, for both paths.
import { execa, type ResultPromise } from 'execa'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import bootstrapSource from '../../../../resources/python/spare_bootstrap.py?raw'
import { FORK_SLOTS, ForkServer } from './fork-server'
import { fileStamp } from './probe-cache'
import type { StepProcess } from './step-process-types'

export interface SpareKey {
  python: string
  cwd: string
  /** The step's whole environment (the parent's is not added). */
  env: Record<string, string | undefined>
}

export interface StepProcessRequest extends SpareKey {
  script: string
  args: string[]
  /** Variables of this one step (added after `env`), e.g. a token naming its run: not part of the key. */
  stepEnv?: Record<string, string>
  /** Injected by tests of another platform's way of starting a step; such a step always starts cold. */
  platform?: NodeJS.Platform
}

function spawnOptions(cwd: string, env: Record<string, string | undefined>, stdin: 'ignore' | 'pipe', platform: NodeJS.Platform) {
  return {
    cwd,
    stdin,
    buffer: false,
    reject: false,
    // Its own process group on POSIX, so a timeout or Stop reaches every process the script started.
    // On Windows `detached` would open a console window; taskkill /T finds the tree there instead.
    detached: platform !== 'win32',
    windowsHide: true,
    cleanup: true,
    extendEnv: false,
    env
  } as const
}

export type StepChild = ResultPromise<ReturnType<typeof spawnOptions>>

/** A fork server: the step's own pipes, `slots` pairs of them, follow stdin, stdout and stderr. */
function spawnForkServer(key: SpareKey, slots: number): ChildProcess {
  return spawn(key.python, ['-c', bootstrapSource, 'fork', String(slots)], {
    cwd: key.cwd,
    env: key.env,
    stdio: Array<'pipe'>(3 + 2 * slots).fill('pipe'),
    // Its own group, as a cold step is started: Ctrl+C in the terminal reaches Stepwise, which stops
    // the run, and not the server.
    detached: true,
    windowsHide: true
  })
}

/** Spawns a step's Python: `python <args>` cold (stdin empty), or a spare waiting on a pipe. */
export function spawnStepPython(
  key: SpareKey,
  args: string[],
  stdin: 'ignore' | 'pipe' = 'ignore',
  platform: NodeJS.Platform = process.platform
): StepChild {
  return execa(key.python, args, spawnOptions(key.cwd, key.env, stdin, platform))
}

/** The bootstrap's command: "<argc> <envc>" (a fork server's: "<argc> <envc> <slot>"), the script and its arguments, the step's variables as name, value. */
export function encodeCommand(script: string, args: string[], stepEnv: Record<string, string> = {}, slot?: number): Buffer {
  const argv = [script, ...args]
  const env = Object.entries(stepEnv)
  const fields = [`${argv.length} ${env.length}${slot === undefined ? '' : ` ${slot}`}`, ...argv, ...env.flat()]
  return Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8')
}

export function keyId(key: SpareKey): string {
  const env = Object.entries(key.env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return createHash('sha256')
    .update(JSON.stringify([key.python, key.cwd, env]))
    .digest('hex')
}

/** One spare of either kind: a one-shot interpreter (Windows) or a fork server (POSIX). */
interface Spare {
  key: SpareKey
  /** The interpreter file's "mtime:size" when the spare started: an upgrade in place makes it stale. */
  pythonStamp: string | null
  /** When it started, or last forked a step: a spare idle longer than maxIdleMs is ended. */
  since: number
  dead: boolean
  idleTimer: NodeJS.Timeout
  oneShot: StepChild | null
  server: ForkServer | null
}

export type SpareKind = 'fork' | 'one-shot'

export interface SparePoolOptions {
  /**
   * 'fork' (POSIX): one interpreter forks a fresh process per step. 'one-shot' (Windows, which cannot
   * fork): each spare is an interpreter that runs one step.
   */
  kind?: SpareKind
  /** One-shot spares kept ready per key (default two, one on a single core): more help parallel steps. */
  perKey?: number
  /** A spare idle longer than this is ended (it holds memory, and the machine may have changed). */
  maxIdleMs?: number
  /**
   * Keys kept at once; a new key ends the spares of the one used longest ago. Two, so that two runs in
   * different folders at the same time do not end each other's spares at every step.
   */
  maxKeys?: number
}

export class SparePool {
  private readonly spares = new Map<string, Spare[]>()
  readonly kind: SpareKind
  private readonly perKey: number
  private readonly maxKeys: number
  private readonly maxIdleMs: number
  private disposed = false
  /** Steps started in a spare and cold, for diagnostics and tests. */
  readonly started = { spare: 0, cold: 0 }

  constructor(options: SparePoolOptions = {}) {
    this.kind = options.kind ?? (process.platform === 'win32' ? 'one-shot' : 'fork')
    // Two one-shot spares on a machine with cores to spare: a step of a few milliseconds outruns one
    // interpreter's start (~40 ms), so with one spare a chain of short steps still waits for each.
    this.perKey = options.perKey ?? (availableParallelism() > 1 ? 2 : 1)
    this.maxKeys = options.maxKeys ?? 2
    this.maxIdleMs = options.maxIdleMs ?? 60_000
  }

  /** Hands the step to a usable spare of this key; null when there is none or it failed (start cold). */
  async run(key: SpareKey, script: string, args: string[], stepEnv: Record<string, string> = {}): Promise<{ child: StepProcess } | null> {
    const list = this.spares.get(keyId(key)) ?? []
    while (list.length) {
      const spare = list[0]
      if (!this.usable(spare)) {
        list.shift()
        this.end(spare)
        continue
      }
      if (spare.server) {
        spare.since = Date.now()
        const step = await spare.server.run((slot) => encodeCommand(script, args, stepEnv, slot), ACK_TIMEOUT_MS)
        // A server whose last slot is handed out leaves the list; it ends by itself once its steps are forked.
        if (spare.server.free === 0) this.drop(list, spare)
        if (step) return { child: step.step }
        this.drop(list, spare)
        spare.server.end()
        return null
      }
      list.shift()
      clearTimeout(spare.idleTimer)
      const child = spare.oneShot as StepChild
      this.hold(child, true)
      if (await sendCommand(child, encodeCommand(script, args, stepEnv))) return { child }
      child.kill('SIGKILL')
      return null
    }
    return null
  }

  /** Starts spares for this key until one with room is waiting (one-shot: until `perKey` are). */
  fill(key: SpareKey): void {
    if (this.disposed) return
    const id = keyId(key)
    const list = this.spares.get(id) ?? []
    // Map order is use order: this key becomes the newest, and the oldest beyond maxKeys are ended.
    this.spares.delete(id)
    this.spares.set(id, list)
    for (const [other, spares] of this.spares) {
      if (this.spares.size <= this.maxKeys) break
      spares.forEach((s) => this.end(s))
      this.spares.delete(other)
    }
    if (this.kind === 'fork') {
      // The next server starts while the second half of this one's slots is used: no step waits for it.
      const room = list.reduce((n, s) => n + (s.server?.free ?? 0), 0)
      if (room <= FORK_SLOTS / 2) list.push(this.start(key, id))
    } else while (list.length < this.perKey) list.push(this.start(key, id))
  }

  /** How many spares are waiting (for tests and diagnostics). */
  get size(): number {
    let n = 0
    for (const list of this.spares.values()) n += list.filter((s) => !s.dead).length
    return n
  }

  /** The pids of the waiting spares (tests kill one to prove the fallback). */
  pids(): number[] {
    return [...this.spares.values()].flat().flatMap((s) => {
      const pid = s.server ? s.server.pid : s.oneShot?.pid
      return pid === undefined ? [] : [pid]
    })
  }

  dispose(): void {
    this.disposed = true
    for (const list of this.spares.values()) list.forEach((s) => this.end(s))
    this.spares.clear()
  }

  private start(key: SpareKey, id: string): Spare {
    const server = this.kind === 'fork' ? new ForkServer(spawnForkServer(key, FORK_SLOTS), FORK_SLOTS) : null
    const oneShot = server ? null : spawnStepPython(key, ['-c', bootstrapSource], 'pipe')
    const spare: Spare = {
      key,
      pythonStamp: fileStamp(key.python),
      since: Date.now(),
      dead: false,
      idleTimer: setTimeout(() => this.idle(id, spare), this.maxIdleMs).unref(),
      oneShot,
      server
    }
    const child = server ? server.child : (oneShot as StepChild)
    // Gone by itself: out of the list, nothing to end. A server that exits once its last slot is handed
    // out still reports the steps it forked (the ForkServer waits for them).
    const gone = (): void => {
      spare.dead = true
      this.drop(this.spares.get(id), spare)
    }
    child.once('exit', gone)
    child.once('error', gone)
    if (oneShot) {
      void oneShot.then(gone, gone)
      // A waiting spare must not keep the CLI alive; it is held again once it runs a step.
      this.hold(oneShot, false)
    }
    return spare
  }

  /** Takes a spare out of its key's list and stops its idle timer; ending it is the caller's choice. */
  private drop(list: Spare[] | undefined, spare: Spare): void {
    const i = list?.indexOf(spare) ?? -1
    if (list && i >= 0) list.splice(i, 1)
    clearTimeout(spare.idleTimer)
  }

  private idle(id: string, spare: Spare): void {
    if (Date.now() - spare.since < this.maxIdleMs) {
      spare.idleTimer = setTimeout(() => this.idle(id, spare), this.maxIdleMs - (Date.now() - spare.since)).unref()
      return
    }
    this.discard(id, spare)
  }

  private usable(spare: Spare): boolean {
    const c = spare.server ? spare.server.child : (spare.oneShot as StepChild)
    return (
      !spare.dead &&
      !c.killed &&
      c.exitCode === null &&
      c.signalCode === null &&
      (spare.server ? spare.server.free > 0 : true) &&
      Date.now() - spare.since < this.maxIdleMs &&
      fileStamp(spare.key.python) === spare.pythonStamp &&
      // A cold start in a deleted folder fails; a spare already inside it would not.
      existsSync(spare.key.cwd)
    )
  }

  private discard(id: string, spare: Spare): void {
    this.drop(this.spares.get(id), spare)
    this.end(spare)
  }

  private end(spare: Spare): void {
    clearTimeout(spare.idleTimer)
    if (spare.server) spare.server.end()
    else if (!spare.dead) spare.oneShot?.kill('SIGKILL')
    spare.dead = true
  }

  private hold(child: StepChild, held: boolean): void {
    for (const h of [child, child.stdin, child.stdout, child.stderr] as ({ ref?(): unknown; unref?(): unknown } | null)[]) {
      if (held) h?.ref?.()
      else h?.unref?.()
    }
  }
}

/** Long enough for a spare still starting behind a virus scanner; a hung one then gives way to a cold start. */
const ACK_TIMEOUT_MS = 10_000

/**
 * Hands the script to a spare and waits for its answer (one NUL byte on stdout, removed here so the step's
 * stdout is exactly the script's); false when the spare died, hung, or wrote something first.
 */
function sendCommand(child: StepChild, command: Buffer): Promise<boolean> {
  const { stdin, stdout } = child
  if (!stdin || !stdout) return Promise.resolve(false)
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      clearTimeout(timer)
      stdout.off('readable', onReadable)
      stdout.off('end', onGone)
      stdout.off('close', onGone)
      resolve(ok)
    }
    const onGone = (): void => finish(false)
    const onReadable = (): void => {
      const first = stdout.read(1) as Buffer | null
      if (first === null) return
      if (first[0] === 0) return finish(true)
      stdout.unshift(first)
      finish(false)
    }
    const timer = setTimeout(onGone, ACK_TIMEOUT_MS)
    stdin.once('error', onGone)
    stdout.on('readable', onReadable)
    stdout.once('end', onGone)
    stdout.once('close', onGone)
    stdin.end(command)
  })
}

export interface StartedStep {
  child: StepProcess
  /** True when a spare runs the step. */
  spare: boolean
}

/**
 * The step's process running `python script args...`: a spare when the pool has a usable one, else a cold
 * start. Either way the pool then starts the spare for the next step.
 */
export async function startStepProcess(req: StepProcessRequest, spares?: SparePool | null): Promise<StartedStep> {
  const key: SpareKey = { python: req.python, cwd: req.cwd, env: req.env }
  const platform = req.platform ?? process.platform
  const pool = platform === process.platform ? spares : null
  const spare = pool ? await pool.run(key, req.script, req.args, req.stepEnv) : null
  const started: StartedStep = spare
    ? { child: spare.child, spare: true }
    : {
        child: spawnStepPython({ ...key, env: { ...key.env, ...req.stepEnv } }, [req.script, ...req.args], 'ignore', platform),
        spare: false
      }
  if (pool) {
    pool.started[started.spare ? 'spare' : 'cold']++
    pool.fill(key)
  }
  return started
}
