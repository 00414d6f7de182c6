// Watching real processes from a test.
import { existsSync, readFileSync } from 'node:fs'

/**
 * Whether the process still runs code. A zombie has ended and only waits to be collected; in a container
 * whose init never reaps orphans it stays forever, so it counts as gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  if (process.platform !== 'linux') return true
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

export async function waitFor(check: () => boolean, ms: number, everyMs = 25): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, everyMs))
  }
  return check()
}

/** Waits for a file a script writes its pid(s) into, one per line. */
export async function readPids(file: string, count = 1, ms = 10_000): Promise<number[]> {
  const read = (): number[] => (existsSync(file) ? readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number) : [])
  await waitFor(() => read().length >= count, ms)
  const pids = read()
  if (pids.length < count) throw new Error(`${file}: expected ${count} pid(s), found ${pids.length}`)
  return pids
}

/** Best-effort SIGKILL of processes a failed test may have left behind (each pid and its group). */
export function killQuietly(pids: number[]): void {
  for (const pid of pids) {
    for (const target of process.platform === 'win32' ? [pid] : [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
}
