// Ending a step's script together with every process it started.
// POSIX: the script is spawned as the leader of its own process group (detached), so one signal to the
// negative pid reaches its children and grandchildren; SIGTERM first, SIGKILL after a short grace.
// A descendant that left the group (start_new_session=True, setsid, a daemonising library) is found by
// walking parent pids in a snapshot of the process table taken before the first signal, and is signalled
// on its own.
// Windows: there are no process groups; `taskkill /T /F` walks the tree by parent pid.
import { readdirSync, readFileSync } from 'node:fs'
import { runCommand, type CommandRunner } from '../command-runner'

/** The arguments of the Windows command that ends a whole tree: `taskkill /pid N /T /F`. */
export function windowsTreeKillCommand(pid: number): { command: string; args: string[] } {
  return { command: 'taskkill', args: ['/pid', String(pid), '/T', '/F'] }
}

export interface ProcessEntry {
  pid: number
  ppid: number
  pgid: number
  /** Exited but not yet collected by its parent: it runs no code any more. */
  zombie: boolean
}

/** The process table, or null when it cannot be read (then only the group is signalled). */
export type ProcessLister = () => Promise<ProcessEntry[] | null>

export interface KillTreeOptions {
  platform?: NodeJS.Platform
  /** How long the group gets after SIGTERM before SIGKILL. */
  graceMs?: number
  run?: CommandRunner
  /** Injected for tests; defaults to process.kill. */
  signal?: (pid: number, signal: NodeJS.Signals | 0) => void
  /** Injected for tests; defaults to /proc on Linux and `ps` elsewhere. */
  listProcesses?: ProcessLister
  /** POSIX: more processes of the tree, found while it ran (a daemon whose parent chain is already gone). */
  alsoEnd?: number[]
}

export interface KillTreeResult {
  /** Windows: taskkill's exit code (128: the process had already exited). POSIX: null. */
  exitCode: number | null
  /** POSIX: true when something was still running after the grace and got SIGKILL. */
  forced: boolean
}

/** Linux: /proc/<pid>/stat is "pid (comm) state ppid pgrp ...", and comm may itself contain spaces and parentheses. */
export function parseProcStat(stat: string): ProcessEntry | null {
  const close = stat.lastIndexOf(')')
  if (close < 0) return null
  const pid = Number.parseInt(stat, 10)
  const [state, ppid, pgid] = stat.slice(close + 2).split(' ')
  if (!Number.isFinite(pid) || !state) return null
  return { pid, ppid: Number(ppid), pgid: Number(pgid), zombie: state === 'Z' || state === 'X' }
}

const listFromProc: ProcessLister = async () => {
  const out: ProcessEntry[] = []
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return null
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    try {
      const entry = parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8'))
      if (entry) out.push(entry)
    } catch {
      // exited while we were reading
    }
  }
  return out
}

function listFromPs(run: CommandRunner): ProcessLister {
  return async () => {
    const r = await run('ps', ['-A', '-o', 'pid=', '-o', 'ppid=', '-o', 'pgid=', '-o', 'stat='], { timeoutMs: 3000 })
    if (r.exitCode !== 0) return null
    const out: ProcessEntry[] = []
    for (const line of r.stdout.split('\n')) {
      const [pid, ppid, pgid, stat] = line.trim().split(/\s+/)
      if (pid && stat) out.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), zombie: stat.startsWith('Z') })
    }
    return out
  }
}

/** Descendants of `roots` by parent pid that are not in the group `pgid` and still run. */
function escapedDescendants(table: ProcessEntry[], roots: number[], pgid: number): number[] {
  const children = new Map<number, ProcessEntry[]>()
  for (const p of table) {
    if (!children.has(p.ppid)) children.set(p.ppid, [])
    children.get(p.ppid)!.push(p)
  }
  const escaped: number[] = []
  const queue = [...roots]
  const seen = new Set(queue)
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child.pid)) continue
      seen.add(child.pid)
      queue.push(child.pid)
      if (child.pgid !== pgid && !child.zombie) escaped.push(child.pid)
    }
  }
  return escaped
}

/**
 * Ends `pid` and its descendants. Resolves once they are gone or have been sent SIGKILL
 * (Windows: once taskkill returns).
 */
export async function killProcessTree(pid: number, options: KillTreeOptions = {}): Promise<KillTreeResult> {
  const platform = options.platform ?? process.platform
  const run = options.run ?? runCommand
  if (platform === 'win32') {
    const { command, args } = windowsTreeKillCommand(pid)
    const r = await run(command, args, { timeoutMs: 10_000 })
    return { exitCode: r.exitCode, forced: false }
  }

  const send = options.signal ?? ((p: number, s: NodeJS.Signals | 0) => process.kill(p, s))
  const list = options.listProcesses ?? (platform === 'linux' ? listFromProc : listFromPs(run))
  const trySend = (target: number, sig: NodeJS.Signals | 0): boolean => {
    try {
      send(target, sig)
      return true
    } catch {
      return false
    }
  }

  // Snapshot before signalling: once the leader dies its children are re-parented and the chain is lost.
  const before = await list().catch(() => null)
  const escaped = [...new Set([...(before ? escapedDescendants(before, [pid], pid) : []), ...(options.alsoEnd ?? [])])].filter(
    (p) => p !== pid
  )
  // Not started detached (or already gone as a group): fall back to the process itself.
  const groupTarget = trySend(-pid, 0) ? -pid : pid

  const stillRunning = async (): Promise<boolean> => {
    const table = await list().catch(() => null)
    if (table) {
      // A zombie member keeps kill(-pgid, 0) succeeding until something reaps it (in a container
      // whose init does not reap, never), but it runs no code: it does not count as running.
      const watched = new Set(escaped)
      return table.some((p) => !p.zombie && (p.pgid === pid || p.pid === pid || watched.has(p.pid)))
    }
    return trySend(groupTarget, 0) || escaped.some((p) => trySend(p, 0))
  }

  const anySent = [groupTarget, ...escaped].map((t) => trySend(t, 'SIGTERM')).some(Boolean)
  if (!anySent) return { exitCode: null, forced: false }

  const deadline = Date.now() + (options.graceMs ?? 1500)
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    if (!(await stillRunning())) return { exitCode: null, forced: false }
  }
  // What the survivors started during the grace is caught by the group signal, or here by a fresh walk
  // from every process still known to belong to the tree.
  const after = await list().catch(() => null)
  const late = after ? escapedDescendants(after, [pid, ...escaped, ...after.filter((p) => p.pgid === pid).map((p) => p.pid)], pid) : []
  for (const target of new Set([groupTarget, ...escaped, ...late])) trySend(target, 'SIGKILL')
  return { exitCode: null, forced: true }
}
