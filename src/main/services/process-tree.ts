// Ending a step's script together with every process it started.
// POSIX: the script is spawned as the leader of its own process group (detached), so one signal to the
// negative pid reaches its children and grandchildren; SIGTERM first, SIGKILL after a short grace.
// Windows: there are no process groups; `taskkill /T /F` walks the tree by parent pid.
import { runCommand, type CommandRunner } from './command-runner'

/** The arguments of the Windows command that ends a whole tree: `taskkill /pid N /T /F`. */
export function windowsTreeKillCommand(pid: number): { command: string; args: string[] } {
  return { command: 'taskkill', args: ['/pid', String(pid), '/T', '/F'] }
}

export interface KillTreeOptions {
  platform?: NodeJS.Platform
  /** How long the group gets after SIGTERM before SIGKILL. */
  graceMs?: number
  run?: CommandRunner
  /** Injected for tests; defaults to process.kill. */
  signal?: (pid: number, signal: NodeJS.Signals | 0) => void
}

/** Ends `pid` and its descendants. Resolves once the last signal is sent (Windows: once taskkill returns). */
export async function killProcessTree(pid: number, options: KillTreeOptions = {}): Promise<void> {
  const platform = options.platform ?? process.platform
  if (platform === 'win32') {
    const { command, args } = windowsTreeKillCommand(pid)
    await (options.run ?? runCommand)(command, args)
    return
  }
  const send = options.signal ?? ((p: number, s: NodeJS.Signals | 0) => process.kill(p, s))
  const groupAlive = (): boolean => {
    try {
      send(-pid, 0)
      return true
    } catch {
      return false
    }
  }
  try {
    send(-pid, 'SIGTERM')
  } catch {
    return // the group is already gone
  }
  const graceMs = options.graceMs ?? 1500
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    if (!groupAlive()) return
  }
  try {
    send(-pid, 'SIGKILL')
  } catch {
    // gone between the check and the kill
  }
}
