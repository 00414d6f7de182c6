// The processes a step started, followed while it runs, so that Stop, a timeout or the step's end reaches
// even those that left its process group and session (a double fork with setsid, a daemonising library)
// and whose parent chain is gone by the time anyone looks. Linux: /proc is read every half second; a
// process belongs to the step when its parent, group or session does, or when it carries the step's token
// in its environment (read once per process, only for processes younger than the step). macOS: `ps`,
// by parent and group. Windows has its own answer (a job object, see resources/python).
import { readdirSync, readFileSync } from 'node:fs'
import { runCommand } from '../command-runner'
import { isRunning } from '../process-alive'

/** The environment variable each step's processes inherit, naming the step run they belong to. */
export const STEP_TOKEN_VARIABLE = 'STEPWISE_STEP_TOKEN'

interface Seen {
  pid: number
  ppid: number
  pgid: number
  session: number
  /** Clock ticks since boot (Linux); '' where unknown. Tells a reused pid from the process we saw. */
  start: string
  zombie: boolean
}

function readProcTable(): Seen[] | null {
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return null
  }
  const out: Seen[] = []
  for (const name of names) {
    if (name.charCodeAt(0) > 57) continue
    const seen = readProcStat(Number(name))
    if (seen) out.push(seen)
  }
  return out
}

function readProcStat(pid: number): Seen | null {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (f.length < 20) return null
  return { pid, ppid: Number(f[1]), pgid: Number(f[2]), session: Number(f[3]), start: f[19], zombie: f[0] === 'Z' || f[0] === 'X' }
}

async function readPsTable(): Promise<Seen[] | null> {
  const r = await runCommand('ps', ['-A', '-o', 'pid=', '-o', 'ppid=', '-o', 'pgid=', '-o', 'stat='], { timeoutMs: 3000 })
  if (r.exitCode !== 0) return null
  const out: Seen[] = []
  for (const line of r.stdout.split('\n')) {
    const [pid, ppid, pgid, stat] = line.trim().split(/\s+/)
    if (pid && stat)
      out.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), session: -1, start: '', zombie: stat.startsWith('Z') })
  }
  return out
}

export class DescendantWatch {
  /** pid → start time of each process seen as part of the step. */
  private readonly known = new Map<number, string>()
  private readonly groups = new Set<number>()
  private readonly sessions = new Set<number>()
  /** `pid:start` of processes whose environment was read and did not carry the token. */
  private readonly strangers = new Set<string>()
  private rootStart = ''
  private timer: NodeJS.Timeout | null = null
  private polling: Promise<void> | null = null

  constructor(
    private readonly rootPid: number,
    private readonly token: string,
    private readonly platform: NodeJS.Platform = process.platform,
    private readonly intervalMs = 500
  ) {
    // Started detached: the step leads its own group and session.
    this.groups.add(rootPid)
    this.sessions.add(rootPid)
  }

  start(): void {
    if (this.platform === 'win32' || this.timer) return
    // The step has only just started: nothing of it to find yet, and a whole look at the process table
    // per step cost a chain of short steps more than the steps. Its first look comes after intervalMs
    // (and at its end); a process it starts meanwhile is found then by its group, session or token.
    if (this.platform === 'linux') this.rootStart = readProcStat(this.rootPid)?.start ?? ''
    this.timer = setInterval(() => void this.poll(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Looks at the process table once; concurrent calls share one look. */
  poll(): Promise<void> {
    this.polling ??= this.scan().finally(() => (this.polling = null))
    return this.polling
  }

  /** The step's processes (other than the script itself) that still run code. */
  alive(): number[] {
    const out: number[] = []
    for (const [pid, start] of this.known) {
      if (this.platform === 'linux') {
        const now = readProcStat(pid)
        if (now && !now.zombie && now.start === start) out.push(pid)
      } else if (isRunning(pid)) out.push(pid)
    }
    return out
  }

  private async scan(): Promise<void> {
    const table = this.platform === 'linux' ? readProcTable() : this.platform === 'win32' ? null : await readPsTable().catch(() => null)
    if (!table) return
    if (!this.rootStart) this.rootStart = table.find((p) => p.pid === this.rootPid)?.start ?? ''
    const byParent = new Map<number, Seen[]>()
    for (const p of table) {
      const list = byParent.get(p.ppid)
      if (list) list.push(p)
      else byParent.set(p.ppid, [p])
    }
    const queue: number[] = [this.rootPid, ...this.known.keys()]
    const add = (p: Seen): void => {
      if (p.pid === this.rootPid || this.known.has(p.pid)) return
      this.known.set(p.pid, p.start)
      this.groups.add(p.pgid)
      if (p.session > 0) this.sessions.add(p.session)
      queue.push(p.pid)
    }
    for (const p of table) {
      if (p.zombie) continue
      if (this.groups.has(p.pgid) || this.sessions.has(p.session) || this.carriesToken(p)) add(p)
    }
    while (queue.length) for (const child of byParent.get(queue.pop()!) ?? []) if (!child.zombie) add(child)
  }

  private carriesToken(p: Seen): boolean {
    if (this.platform !== 'linux' || p.pid === this.rootPid || this.known.has(p.pid)) return false
    // Only processes started after the step can be its own; each is read once.
    if (!this.rootStart || Number(p.start) < Number(this.rootStart)) return false
    const key = `${p.pid}:${p.start}`
    if (this.strangers.has(key)) return false
    let environ: Buffer
    try {
      environ = readFileSync(`/proc/${p.pid}/environ`)
    } catch {
      this.strangers.add(key)
      return false
    }
    if (environ.includes(`${STEP_TOKEN_VARIABLE}=${this.token}\0`)) return true
    this.strangers.add(key)
    return false
  }
}
