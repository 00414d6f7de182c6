// Spare interpreters: Python takes ~40 ms to start here and far longer behind a virus scanner, so the
// next step's interpreter is started ahead and waits (resources/python/spare_bootstrap.py) until it is
// told which script to run. It then behaves as a cold `python script.py --variables-file vars.json`.
// A spare runs one step and exits; one whose key (interpreter, working folder, environment) changed,
// that waited too long, or that died, is thrown away and the step starts cold.
//
// spawnStepPython is the one place a step's Python is spawned, for both paths.
import { execa, type ResultPromise } from 'execa'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import bootstrapSource from '../../../../resources/python/spare_bootstrap.py?raw'
import { fileStamp } from './probe-cache'

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

/** Spawns a step's Python: `python <args>` cold (stdin empty), or a spare waiting on a pipe. */
export function spawnStepPython(
  key: SpareKey,
  args: string[],
  stdin: 'ignore' | 'pipe' = 'ignore',
  platform: NodeJS.Platform = process.platform
): StepChild {
  return execa(key.python, args, spawnOptions(key.cwd, key.env, stdin, platform))
}

/** The bootstrap's command: "<argc> <envc>", the script and its arguments, the step's variables as name, value. */
export function encodeCommand(script: string, args: string[], stepEnv: Record<string, string> = {}): Buffer {
  const argv = [script, ...args]
  const env = Object.entries(stepEnv)
  const fields = [`${argv.length} ${env.length}`, ...argv, ...env.flat()]
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

interface Spare {
  child: StepChild
  key: SpareKey
  /** The interpreter file's "mtime:size" when the spare started: an upgrade in place makes it stale. */
  pythonStamp: string | null
  startedAt: number
  dead: boolean
  idleTimer: NodeJS.Timeout
}

export interface SparePoolOptions {
  /** Spares kept ready per key (default two, one on a single core): more help parallel steps. */
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
  private readonly perKey: number
  private readonly maxKeys: number
  private readonly maxIdleMs: number
  private disposed = false
  /** Steps started in a spare and cold, for diagnostics and tests. */
  readonly started = { spare: 0, cold: 0 }

  constructor(options: SparePoolOptions = {}) {
    // Two on a machine with cores to spare: a step of a few milliseconds outruns one interpreter's start
    // (~40 ms), so with one spare a chain of short steps still waits for each; two start side by side.
    this.perKey = options.perKey ?? (availableParallelism() > 1 ? 2 : 1)
    this.maxKeys = options.maxKeys ?? 2
    this.maxIdleMs = options.maxIdleMs ?? 60_000
  }

  /** A started spare for this key, or null (the caller starts cold). */
  take(key: SpareKey): StepChild | null {
    const list = this.spares.get(keyId(key)) ?? []
    while (list.length) {
      const spare = list.shift() as Spare
      if (this.usable(spare)) {
        clearTimeout(spare.idleTimer)
        this.hold(spare.child, true)
        return spare.child
      }
      this.end(spare)
    }
    return null
  }

  /** Starts spares for this key until `perKey` are waiting. */
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
    while (list.length < this.perKey) list.push(this.start(key, id))
  }

  /** How many spares are waiting (for tests and diagnostics). */
  get size(): number {
    let n = 0
    for (const list of this.spares.values()) n += list.filter((s) => !s.dead).length
    return n
  }

  /** The pids of the waiting spares (tests kill one to prove the fallback). */
  pids(): number[] {
    return [...this.spares.values()].flat().flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]))
  }

  dispose(): void {
    this.disposed = true
    for (const list of this.spares.values()) list.forEach((s) => this.end(s))
    this.spares.clear()
  }

  private start(key: SpareKey, id: string): Spare {
    const child = spawnStepPython(key, ['-c', bootstrapSource], 'pipe')
    const spare: Spare = {
      child,
      key,
      pythonStamp: fileStamp(key.python),
      startedAt: Date.now(),
      dead: false,
      idleTimer: setTimeout(() => this.discard(id, spare), this.maxIdleMs).unref()
    }
    const gone = (): void => {
      spare.dead = true
      this.discard(id, spare)
    }
    child.once('exit', gone)
    void child.then(gone, gone)
    // A waiting spare must not keep the CLI alive; it is held again once it runs a step.
    this.hold(child, false)
    return spare
  }

  private usable(spare: Spare): boolean {
    const c = spare.child
    return (
      !spare.dead &&
      !c.killed &&
      c.exitCode === null &&
      c.signalCode === null &&
      Date.now() - spare.startedAt < this.maxIdleMs &&
      fileStamp(spare.key.python) === spare.pythonStamp &&
      // A cold start in a deleted folder fails; a spare already inside it would not.
      existsSync(spare.key.cwd)
    )
  }

  private discard(id: string, spare: Spare): void {
    const list = this.spares.get(id)
    const i = list?.indexOf(spare) ?? -1
    if (list && i >= 0) {
      list.splice(i, 1)
      this.end(spare)
    }
  }

  private end(spare: Spare): void {
    clearTimeout(spare.idleTimer)
    if (!spare.dead) spare.child.kill('SIGKILL')
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
  child: StepChild
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
  const spare = pool?.take(key) ?? null
  let started: StartedStep | null = null
  if (spare) {
    if (await sendCommand(spare, encodeCommand(req.script, req.args, req.stepEnv))) started = { child: spare, spare: true }
    else spare.kill('SIGKILL')
  }
  started ??= {
    child: spawnStepPython({ ...key, env: { ...key.env, ...req.stepEnv } }, [req.script, ...req.args], 'ignore', platform),
    spare: false
  }
  if (pool) {
    pool.started[started.spare ? 'spare' : 'cold']++
    pool.fill(key)
  }
  return started
}
