// Which process a pid names: its start time. A pid recorded before a crash may since have been given to an
// unrelated program; only a process with the same pid AND the same start time is the one we started.
import { readFileSync } from 'node:fs'
import { runCommand, type CommandRunner } from '../command-runner'

/** Linux: field 22 of /proc/<pid>/stat (clock ticks after boot); the fields after "(comm)" start at field 3. */
export function procStartTicks(stat: string): string | null {
  const close = stat.lastIndexOf(')')
  if (close < 0) return null
  const ticks = stat.slice(close + 2).split(' ')[22 - 3]
  return ticks && /^\d+$/.test(ticks) ? ticks : null
}

/** Linux only, at once (from /proc): the start time of `pid`; null elsewhere or when there is no such process. */
export function processStartTimeNow(pid: number): string | null {
  if (process.platform !== 'linux' || !Number.isInteger(pid) || pid <= 0) return null
  try {
    const ticks = procStartTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    return ticks ? `linux:${ticks}` : null
  } catch {
    return null
  }
}

/** The start time of `pid` as this OS words it, or null when there is no such process or it cannot be told. */
export async function processStartTime(
  pid: number,
  options: { platform?: NodeJS.Platform; run?: CommandRunner } = {}
): Promise<string | null> {
  const platform = options.platform ?? process.platform
  const run = options.run ?? runCommand
  if (!Number.isInteger(pid) || pid <= 0) return null
  if (platform === 'linux') return processStartTimeNow(pid)
  if (platform === 'win32') {
    const r = await run(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `(Get-CimInstance Win32_Process -Filter "ProcessId=${pid}").CreationDate.ToUniversalTime().ToString('o')`
      ],
      { timeoutMs: 15_000 }
    )
    const text = r.stdout.trim()
    return r.exitCode === 0 && text ? `win32:${text}` : null
  }
  const r = await run('ps', ['-o', 'lstart=', '-p', String(pid)], { timeoutMs: 5000 })
  const text = r.stdout.trim()
  return r.exitCode === 0 && text ? `${platform}:${text}` : null
}
