// Stopping a step ends the script and everything it started. Real processes on this machine: a Python
// leader starts children, which start grandchildren; all of them write their pid to a file and sleep.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { CommandRunner } from '../src/main/services/command-runner'
import { killProcessTree, parseProcStat, windowsTreeKillCommand } from '../src/main/services/engine'

const PYTHON = process.env.STEPWISE_TEST_PYTHON ?? 'python3'
const tmp = mkdtempSync(join(tmpdir(), 'stepwise-tree-'))
const script = join(tmp, 'tree.py')

// Roles by argv: leader → 2 children → 1 grandchild each = 5 processes.
// stubborn: every process ignores SIGTERM, so only SIGKILL ends them.
// escape: one grandchild starts its own session, leaving the process group (as daemonising code does).
writeFileSync(
  script,
  `import os, signal, subprocess, sys, time
role, pidfile, mode = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
kids = []
if role == "leader":
    kids = [subprocess.Popen([sys.executable, __file__, "child", pidfile, mode]) for _ in range(2)]
elif role == "child":
    escape = mode == "escape" and not os.path.exists(pidfile + ".escaped")
    if escape:
        open(pidfile + ".escaped", "w").close()
    kids = [subprocess.Popen([sys.executable, __file__, "grandchild", pidfile, mode], start_new_session=escape)]
with open(pidfile, "a") as f:
    f.write("%d\\n" % os.getpid())
time.sleep(120)
`
)

const started: number[] = []

function pidsIn(file: string): number[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)
}

/**
 * Whether the process still runs. A zombie has ended and only waits for its parent to collect its
 * status; in a container whose init never reaps orphans it would stay forever, so it counts as gone.
 */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))
  } catch {
    return process.platform !== 'linux'
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 25))
  }
  return check()
}

async function startTree(mode: 'plain' | 'stubborn' | 'escape'): Promise<{ leader: number; pids: number[] }> {
  const pidfile = join(tmp, `${mode}-${Date.now()}.pids`)
  // detached: the leader of its own process group, as the step executor starts a script.
  const child = spawn(PYTHON, [script, 'leader', pidfile, mode], { detached: true, stdio: 'ignore' })
  child.on('error', () => {})
  const leader = child.pid!
  started.push(leader)
  const ready = await waitFor(() => pidsIn(pidfile).length === 5, 15_000)
  const pids = pidsIn(pidfile)
  started.push(...pids)
  expect(ready, `the tree did not start: ${pids.length} of 5 pids written`).toBe(true)
  expect(pids).toContain(leader)
  return { leader, pids }
}

afterEach(() => {
  // Never leave processes behind, even when an assertion failed half-way.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe.skipIf(process.platform === 'win32')('killProcessTree on this machine', () => {
  it('a plain kill of the script leaves its grandchildren running (why the tree kill exists)', async () => {
    const { leader, pids } = await startTree('plain')
    process.kill(leader, 'SIGKILL')
    await waitFor(() => !running(leader), 2000)
    const survivors = pids.filter((p) => p !== leader && running(p))
    expect(survivors).toHaveLength(4)
  })

  it('ends the script, its children and its grandchildren', async () => {
    const { leader, pids } = await startTree('plain')
    const t0 = Date.now()
    const result = await killProcessTree(leader, { graceMs: 1500 })
    expect(await waitFor(() => pids.every((p) => !running(p)), 2000)).toBe(true)
    expect(result.forced).toBe(false) // SIGTERM was enough, so nobody waited for the grace
    expect(Date.now() - t0).toBeLessThan(1500)
  })

  it('uses SIGKILL after the grace when the scripts ignore SIGTERM', async () => {
    const { leader, pids } = await startTree('stubborn')
    const t0 = Date.now()
    const result = await killProcessTree(leader, { graceMs: 400 })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400)
    expect(result.forced).toBe(true)
    expect(await waitFor(() => pids.every((p) => !running(p)), 2000)).toBe(true)
  })

  it('also ends a grandchild that left the process group with its own session', async () => {
    const { leader, pids } = await startTree('escape')
    await killProcessTree(leader, { graceMs: 1000 })
    expect(await waitFor(() => pids.every((p) => !running(p)), 2000)).toBe(true)
  })

  it('does nothing harmful when the process is already gone', async () => {
    const { leader, pids } = await startTree('plain')
    await killProcessTree(leader)
    await waitFor(() => pids.every((p) => !running(p)), 2000)
    await expect(killProcessTree(leader)).resolves.toEqual({ exitCode: null, forced: false })
  })
})

describe('killProcessTree, injected', () => {
  it('runs `taskkill /pid N /T /F` on Windows and sends no signal', async () => {
    const calls: string[][] = []
    const run: CommandRunner = async (command, args) => {
      calls.push([command, ...args])
      return { exitCode: 0, stdout: 'SUCCESS: The process with PID 4242 (child process of PID 900) has been terminated.\r\n', stderr: '' }
    }
    const signals: unknown[] = []
    const result = await killProcessTree(4242, { platform: 'win32', run, signal: (...a) => void signals.push(a) })
    expect(calls).toEqual([['taskkill', '/pid', '4242', '/T', '/F']])
    expect(windowsTreeKillCommand(7)).toEqual({ command: 'taskkill', args: ['/pid', '7', '/T', '/F'] })
    expect(result.exitCode).toBe(0)
    expect(signals).toEqual([])
  })

  it('on macOS reads `ps` and signals an escaped descendant besides the group', async () => {
    // 500 leads group 500; 501 is its child in the group; 502 (child of 501) left with setsid; 600 is unrelated.
    const ps = '  500     1   500 Ss\n  501   500   500 S\n  502   501   502 Ss\n  600     1   600 S\n'
    const run: CommandRunner = async (command) =>
      command === 'ps' ? { exitCode: 0, stdout: ps, stderr: '' } : { exitCode: null, stdout: '', stderr: 'unexpected' }
    const alive = new Set([-500, 500, 501, 502])
    const sent: [number, string | number][] = []
    const signal = (pid: number, sig: NodeJS.Signals | 0): void => {
      if (!alive.has(pid)) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' })
      sent.push([pid, sig])
      if (sig === 'SIGTERM') {
        alive.delete(pid)
        if (pid === -500) {
          alive.delete(500)
          alive.delete(501)
        }
      }
    }
    // After SIGTERM the table no longer lists the tree.
    let listed = 0
    const listProcesses = async () =>
      listed++ === 0
        ? [
            { pid: 500, ppid: 1, pgid: 500, zombie: false },
            { pid: 501, ppid: 500, pgid: 500, zombie: false },
            { pid: 502, ppid: 501, pgid: 502, zombie: false },
            { pid: 600, ppid: 1, pgid: 600, zombie: false }
          ]
        : [{ pid: 600, ppid: 1, pgid: 600, zombie: false }]
    await killProcessTree(500, { platform: 'darwin', run, signal, listProcesses, graceMs: 300 })
    expect(sent.filter(([, s]) => s === 'SIGTERM').map(([p]) => p)).toEqual([-500, 502])
    expect(sent.some(([p]) => p === 600 || p === -600)).toBe(false)

    // The real `ps` parser sees the same tree.
    const seen: [number, string | number][] = []
    alive.clear()
    ;[-500, 500, 501, 502].forEach((p) => alive.add(p))
    await killProcessTree(500, {
      platform: 'darwin',
      run,
      graceMs: 100,
      signal: (pid, sig) => {
        seen.push([pid, sig])
        if (!alive.has(pid)) throw new Error('ESRCH')
      }
    })
    expect(seen.filter(([, s]) => s === 'SIGTERM').map(([p]) => p)).toEqual([-500, 502])
    expect(seen.filter(([, s]) => s === 'SIGKILL').map(([p]) => p)).toEqual([-500, 502])
  })

  it('parses /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
    expect(parseProcStat('1234 (my (odd) name) Z 1 1200 1200 0 -1 4194560')).toEqual({ pid: 1234, ppid: 1, pgid: 1200, zombie: true })
    expect(parseProcStat('77 (python3) S 76 70 70 0')).toEqual({ pid: 77, ppid: 76, pgid: 70, zombie: false })
  })
})
