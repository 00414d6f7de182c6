// The POSIX fork server (spare interpreters on Linux and macOS): what is particular to forking many steps
// from one interpreter. Cold-start parity of each step is in spare-interpreters.test.ts.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { FORK_SLOTS, ForkServer } from '../src/main/services/python/fork-server'
import { SparePool, startStepProcess, type SpareKey } from '../src/main/services/python/spare-pool'
import type { StepProcess } from '../src/main/services/python/step-process-types'
import { collectStep as collect } from './helpers/step-output'
import { PYTHON } from './helpers/python'

let dir: string
let key: SpareKey
const pools: SparePool[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-fork-'))
  key = { python: PYTHON, cwd: dir, env: { ...process.env, PYTHONIOENCODING: 'utf-8' } }
  return () => rmSync(dir, { recursive: true, force: true })
})

afterEach(() => {
  while (pools.length) pools.pop()?.dispose()
})

function forkPool(): SparePool {
  const pool = new SparePool({ kind: 'fork' })
  pools.push(pool)
  pool.fill(key)
  return pool
}

function script(name: string, code: string): string {
  const path = join(dir, name)
  writeFileSync(path, code)
  return path
}

/** The step, wrapped: it is awaitable, and an async function returning it would wait for its end. */
async function inSpare(pool: SparePool, path: string, args: string[] = []): Promise<{ step: StepProcess }> {
  const started = await startStepProcess({ ...key, script: path, args }, pool)
  expect(started.spare).toBe(true)
  return { step: started.child }
}

describe.skipIf(process.platform === 'win32')('the fork server', () => {
  it('runs two steps at once, each with its own output, and a short one ends while a long one runs', async () => {
    const pool = forkPool()
    const { step: long } = await inSpare(
      pool,
      script('long.py', 'import sys, time\nprint("long 1", flush=True)\ntime.sleep(1.5)\nprint("long 2")\n')
    )
    const { step: short } = await inSpare(
      pool,
      script('short.py', 'import sys\nprint("short")\nprint("short err", file=sys.stderr)\nsys.exit(5)\n')
    )
    let longEnded = false
    const longDone = collect(long).then((r) => ((longEnded = true), r))
    const s = await collect(short)
    // The long step's waiter and pipes must not hold the short one's open.
    expect(longEnded).toBe(false)
    expect(s).toEqual({ stdout: 'short\n', stderr: 'short err\n', exitCode: 5, signal: undefined })
    expect(await longDone).toEqual({ stdout: 'long 1\nlong 2\n', stderr: '', exitCode: 0, signal: undefined })
    expect(long.pid).not.toBe(short.pid)
  })

  it(`runs more steps than one server has slots (${FORK_SLOTS}): every one in a spare, each a new process`, async () => {
    const pool = forkPool()
    const path = script('count.py', 'import os, sys\nprint(sys.argv[1], os.getpid())\n')
    const pids = new Set<string>()
    const n = 2 * FORK_SLOTS + 3
    for (let i = 0; i < n; i++) {
      const r = await collect((await inSpare(pool, path, [String(i)])).step)
      const [seen, pid] = r.stdout.trim().split(' ')
      expect(seen).toBe(String(i))
      pids.add(pid)
    }
    expect(pids.size).toBe(n)
    expect(pool.started).toEqual({ spare: n, cold: 0 })
    // Used-up servers are gone: only the next one (and perhaps its successor) waits.
    expect(pool.size).toBeLessThanOrEqual(2)
  })

  it.skipIf(process.platform !== 'linux')('says whether the step left a process running, even one in its own session', async () => {
    const pool = forkPool()
    const { step: alone } = await inSpare(
      pool,
      script('alone.py', 'import subprocess, sys\nsubprocess.run([sys.executable, "-c", "pass"])\n')
    )
    expect(await collect(alone)).toMatchObject({ exitCode: 0 })
    expect((await alone).alone).toBe(true)
    const { step: leaves } = await inSpare(
      pool,
      script(
        'leaves.py',
        'import subprocess, sys\np = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\nprint(p.pid)\n'
      )
    )
    const r = await collect(leaves)
    expect((await leaves).alone).toBeUndefined()
    process.kill(Number(r.stdout.trim()), 'SIGKILL')
  })

  it('a step given up on (no answer in time) and forked late after all is killed, so it never runs twice', async () => {
    // A stand-in for a server stalled past the answer's deadline: it reads the command, waits, then
    // starts the step's process in its own session and reports it, as a late waiter would.
    const stalled = script(
      'stalled.py',
      'import os, subprocess, sys, time\nos.read(0, 65536)\ntime.sleep(1)\np = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)\nos.write(1, b"s 0 %d\\n" % p.pid)\ntime.sleep(30)\n'
    )
    const child = spawn(PYTHON, [stalled], { stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] })
    const server = new ForkServer(child, 1)
    try {
      expect(await server.run(() => Buffer.from('1 0 0\0x.py\0'), 200)).toBeNull()
      const late = await new Promise<number>((resolve) => child.stdout?.on('data', (c: Buffer) => resolve(Number(String(c).split(' ')[2]))))
      for (let i = 0; i < 50 && isAlive(late); i++) await sleep(100)
      expect(isAlive(late)).toBe(false)
    } finally {
      server.end()
    }
  })

  it('the step forked ahead for the next slot, and its waiter, go when the server is thrown away', async () => {
    const pool = forkPool()
    const [server] = pool.pids()
    // The server forks the next slot's waiter, which forks the step that waits for its command.
    let waiting: number[] = []
    for (let i = 0; i < 50 && waiting.length < 2; i++) {
      await sleep(100)
      const waiters = childrenOf(server)
      waiting = [...waiters, ...waiters.flatMap(childrenOf)]
    }
    expect(waiting.length).toBe(2)
    pool.dispose()
    for (let i = 0; i < 50 && waiting.some(isAlive); i++) await sleep(100)
    expect(waiting.filter(isAlive)).toEqual([])
  })

  it('a step goes on to its end when its server is killed meanwhile', async () => {
    const pool = forkPool()
    const [server] = pool.pids()
    const { step } = await inSpare(pool, script('survive.py', 'import time\ntime.sleep(0.5)\nprint("done")\nraise SystemExit(3)\n'))
    process.kill(server, 'SIGKILL')
    expect(await collect(step)).toEqual({ stdout: 'done\n', stderr: '', exitCode: 3, signal: undefined })
  })

  it('a step killed by a signal reports the signal', async () => {
    const pool = forkPool()
    const { step } = await inSpare(pool, script('sleep.py', 'import time\nprint("up", flush=True)\ntime.sleep(30)\n'))
    let seen = ''
    step.stdout?.on('data', (c: Buffer) => {
      if (!seen.includes('\n') && (seen += c.toString()).includes('\n')) process.kill(step.pid!, 'SIGTERM')
    })
    expect(await collect(step)).toMatchObject({ stdout: 'up\n', exitCode: undefined, signal: 'SIGTERM' })
  })

  it('a step whose waiter is killed still ends (its end is taken from its pid), never hangs', async () => {
    const pool = forkPool()
    const { step } = await inSpare(pool, script('orphan.py', 'import os, time\nprint(os.getppid(), flush=True)\ntime.sleep(0.5)\n'))
    let waiter = 0
    step.stdout?.once('data', (c: Buffer) => {
      waiter = Number(c.toString().trim())
      process.kill(waiter, 'SIGKILL')
    })
    const r = await collect(step)
    expect(waiter).toBeGreaterThan(1)
    expect(r.exitCode).toBeUndefined()
    expect((await step).shortMessage).toMatch(/waited for it was ended/)
  }, 10_000)
})

/** Running code: not gone, and not a zombie waiting for its parent (the stand-in server never reaps). */
function isAlive(pid: number): boolean {
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
  const stat = r.stdout.trim()
  return stat !== '' && !stat.startsWith('Z')
}

function childrenOf(pid: number): number[] {
  const r = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' })
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, ppid]) => ppid === pid)
    .map(([child]) => child)
}
