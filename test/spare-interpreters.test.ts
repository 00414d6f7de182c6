// A spare interpreter must be indistinguishable from a cold `python script.py --variables-file vars.json`:
// each case runs the same script both ways and compares stdout, stderr and the exit byte for byte.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SparePool, spawnStepPython, startStepProcess, type SpareKey, type SpareKind } from '../src/main/services/python/spare-pool'
import { collectStep as collect, type StepOutcome as Outcome } from './helpers/step-output'
import { PYTHON } from './helpers/python'

const isWindows = process.platform === 'win32'
let root: string
let work: string
let scripts: string
let variablesFile: string
let key: SpareKey
const pools: SparePool[] = []

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stepwise-spare-'))
  work = join(root, 'work folder')
  scripts = join(root, 'scripts')
  mkdirSync(work)
  mkdirSync(scripts)
  variablesFile = join(scripts, 'vars.json')
  writeFileSync(variablesFile, '{"name": "x"}')
  key = { python: PYTHON, cwd: work, env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1', STEPWISE_CASE: '한글 ok' } }
  // A bare virtual environment: its startup loads far fewer modules (no .pth files of the machine's
  // site-packages), and a spare may count on nothing that only a fuller startup loads.
  execFileSync(PYTHON, ['-m', 'venv', '--without-pip', join(root, 'venv')])
  pythons.venv = join(root, 'venv', isWindows ? 'Scripts' : 'bin', isWindows ? 'python.exe' : 'python')
  return () => rmSync(root, { recursive: true, force: true })
})

afterEach(() => {
  while (pools.length) pools.pop()?.dispose()
})

// Both kinds of spare run here: the fork server (POSIX) and the one-shot spare (Windows; it runs on
// POSIX too, so its behaviour is held to the same cases on every machine).
const KINDS: SpareKind[] = isWindows ? ['one-shot'] : ['fork', 'one-shot']
let kind: SpareKind = KINDS[0]
const pythons: Record<'machine' | 'venv', string> = { machine: PYTHON, venv: PYTHON }
const CASES = KINDS.flatMap((k) => (['machine', 'venv'] as const).map((p) => [k, p] as const))

/** One spare per key unless asked (the app keeps two on a multi-core machine): each test counts its spares. */
function newPool(options?: ConstructorParameters<typeof SparePool>[0]): SparePool {
  const pool = new SparePool({ perKey: 1, kind, ...options })
  pools.push(pool)
  return pool
}

function script(name: string, code: string): string {
  const path = join(scripts, name)
  writeFileSync(path, code)
  return path
}

const args = (): string[] => ['--variables-file', variablesFile]

async function cold(path: string, k: SpareKey = key): Promise<Outcome> {
  return collect(spawnStepPython(k, [path, ...args()]))
}

/** Runs the script in a spare that is already waiting, and checks it really was a spare. */
async function viaSpare(path: string, k: SpareKey = key): Promise<Outcome> {
  const pool = newPool()
  pool.fill(k)
  const started = await startStepProcess({ ...k, script: path, args: args() }, pool)
  expect(started.spare).toBe(true)
  return collect(started.child)
}

async function expectParity(name: string, code: string): Promise<Outcome> {
  const path = script(name, code)
  const expected = await cold(path)
  const actual = await viaSpare(path)
  expect(actual).toEqual(expected)
  return actual
}

/** Parity of what the script leaves in files (written in the working folder) as well as of its output. */
async function expectParityWithFiles(name: string, code: string, files: string[]): Promise<{ outcome: Outcome; files: string[] }> {
  const path = script(name, code)
  const read = (): string[] => files.map((f) => (existsSync(join(work, f)) ? readFileSync(join(work, f), 'latin1') : '<missing>'))
  const clear = (): void => files.forEach((f) => rmSync(join(work, f), { force: true }))
  clear()
  const expected = await cold(path)
  const expectedFiles = read()
  clear()
  const actual = await viaSpare(path)
  expect(actual).toEqual(expected)
  expect(read()).toEqual(expectedFiles)
  return { outcome: actual, files: expectedFiles }
}

describe.each(CASES)('%s spare, %s Python', (k, python) => {
  beforeAll(() => {
    kind = k
    key = { ...key, python: pythons[python] }
  })

  describe('a spare interpreter runs a step exactly as a cold start', () => {
    it('sys.argv and sys.orig_argv', async () => {
      const r = await expectParity('argv.py', 'import sys\nprint(sys.argv)\nprint(getattr(sys, "orig_argv", [None])[1:])\n')
      expect(r.stdout).toContain('--variables-file')
    })

    it("sys.path[0] is the script's folder and the rest of sys.path is the same", async () => {
      const r = await expectParity('path.py', 'import sys\nprint(sys.path[0])\nprint(sys.path)\n')
      expect(r.stdout.split('\n')[0]).toBe(scripts)
    })

    it('__main__: the globals, __file__, __spec__, __loader__, sys.modules["__main__"], and no bootstrap names', async () => {
      const r = await expectParity(
        'main.py',
        [
          'import sys',
          'print(list(globals()))',
          'print({k: repr(v) for k, v in globals().items() if k not in ("__loader__", "__builtins__")})',
          'print(type(__loader__).__module__, type(__loader__).__name__, __loader__.name, __loader__.path)',
          'print(sys.modules["__main__"].__dict__ is globals(), __builtins__ is sys.modules["builtins"])',
          'print(sorted(sys.modules))',
          'class Point: pass',
          'import pickle; print(type(pickle.loads(pickle.dumps(Point()))).__qualname__)'
        ].join('\n')
      )
      expect(r.stdout).toContain("'__spec__': 'None'")
    })

    it('stdin is empty and closed to the script', async () => {
      const r = await expectParity(
        'stdin.py',
        'import os, stat, sys\nprint(repr(sys.stdin.read()), sys.stdin.isatty(), sys.stdin.encoding, stat.S_ISCHR(os.fstat(0).st_mode))\n'
      )
      // The null device, as `stdin: 'ignore'` gives a cold start, not the pipe the command came through.
      expect(r.stdout.trim()).toBe("'' False utf-8 True")
    })

    it.each([
      ['exit3.py', 'import sys, atexit\natexit.register(lambda: print("atexit ran"))\nsys.exit(3)\n', 3],
      ['exitmsg.py', 'import sys\nprint("out")\nsys.exit("bad input: 홍길동")\n', 1],
      ['exitnone.py', 'import sys\nsys.exit()\n', 0],
      ['exitobj.py', 'raise SystemExit([1, 2])\n', 1],
      ['ok.py', 'import json\nprint(json.dumps({"ok": True}))\n', 0]
    ])('exit code and message of %s', async (name, code, exitCode) => {
      const r = await expectParity(name, code)
      expect(r.exitCode).toBe(exitCode)
    })

    it('a traceback shows only the user frames, chained exceptions included', async () => {
      const r = await expectParity(
        'tb.py',
        'def inner():\n    raise ValueError("boom ü")\ntry:\n    inner()\nexcept ValueError as e:\n    raise RuntimeError("wrapped") from e\n'
      )
      expect(r.exitCode).toBe(1)
      expect(r.stderr.startsWith('Traceback (most recent call last):\n  File "')).toBe(true)
      expect(r.stderr).not.toContain('<string>')
    })

    it("a script's own sys.excepthook receives only its frames", async () => {
      const r = await expectParity(
        'hook.py',
        'import sys, traceback\nsys.excepthook = lambda t, v, tb: print("HOOK", t.__name__, [f.name for f in traceback.extract_tb(tb)])\ndef f(): raise OSError("x")\nf()\n'
      )
      expect(r.stdout.trim()).toBe("HOOK OSError ['<module>', 'f']")
    })

    it('a syntax error is reported as a cold start reports it', async () => {
      // Python 3.8/3.9 place an unexpected-EOF error on another line when parsing a file than when
      // compiling its bytes; this error is not at the end of the file.
      const r = await expectParity('syntax.py', 'x = 1\ny = = 2\nz = 3\n')
      expect(r.stderr).toContain('SyntaxError')
    })

    it('warnings filters: DeprecationWarning shown in __main__ only, as cold', async () => {
      await expectParity(
        'warn.py',
        'import warnings, sys\nprint(warnings.filters)\nwarnings.warn("dep", DeprecationWarning)\nwarnings.warn("user")\nimport json\nprint(sys.warnoptions)\n'
      )
    })

    it('the environment, including non-ASCII values', async () => {
      const r = await expectParity('env.py', 'import os, json\nprint(json.dumps(sorted(os.environ.items())))\n')
      expect(r.stdout).toContain('STEPWISE_CASE')
    })

    it("a step's own variables reach the script and its children, in the same place in os.environ", async () => {
      const path = script(
        'stepenv.py',
        'import os, json, subprocess, sys\nprint(json.dumps(list(os.environ.items())[-3:]))\nsys.stdout.flush()\nsubprocess.run([sys.executable, "-c", "import os; print(os.environ[\'STEP_TOKEN\'])"])\n'
      )
      const stepEnv = { STEP_TOKEN: 'run-42 토큰' }
      const expected = await collect((await startStepProcess({ ...key, script: path, args: args(), stepEnv })).child)
      const pool = newPool()
      pool.fill(key)
      const started = await startStepProcess({ ...key, script: path, args: args(), stepEnv }, pool)
      expect(started.spare).toBe(true)
      expect(await collect(started.child)).toEqual(expected)
      expect(expected.stdout).toContain('run-42 토큰\n')
    })

    it('no open descriptor but stdin, stdout and stderr', async () => {
      const r = await expectParity(
        'fds.py',
        'import os\nopen_fds = []\nfor fd in range(3, 256):\n    try:\n        os.fstat(fd)\n        open_fds.append(fd)\n    except OSError:\n        pass\nprint(open_fds)\n'
      )
      // Compared with a cold start's (a test runner may itself leave one open to both); none of the server's pipes.
      expect(r.stdout.trim()).toMatch(/^\[[\d, ]*\]$/)
    })

    it.skipIf(isWindows)('its own session and process group; SIGCHLD as cold, so its children can be waited for', async () => {
      const r = await expectParity(
        'session.py',
        'import os, signal, subprocess, sys\nprint(os.getsid(0) == os.getpid(), os.getpgrp() == os.getpid())\nprint(signal.getsignal(signal.SIGCHLD), signal.getsignal(signal.SIGPIPE))\nprint(subprocess.run([sys.executable, "-c", "raise SystemExit(7)"]).returncode)\n'
      )
      // SIG_DFL and SIG_IGN, printed as numbers by Python 3.11+.
      expect(r.stdout).toMatch(/^True True\n(0|Handlers\.SIG_DFL) (1|Handlers\.SIG_IGN)\n7\n$/)
    })

    it('at the exit: an unclosed file is flushed, a ZipFile finished, a replaced sys.stdout kept whole', async () => {
      const r = await expectParityWithFiles(
        'unclosed.py',
        [
          'import sys, zipfile',
          'f = open("unclosed.txt", "w", encoding="utf-8")',
          'f.write("데이터 " * 1000)',
          'z = zipfile.ZipFile("unclosed.zip", "w")',
          // A fixed time: the archive records it, and two runs may fall in different seconds.
          'z.writestr(zipfile.ZipInfo("a.txt", date_time=(2026, 1, 2, 3, 4, 6)), "hello")',
          'print("before")',
          'sys.stdout = open("redirected.txt", "w")',
          'print("to the file " * 100)'
        ].join('\n'),
        ['unclosed.txt', 'unclosed.zip', 'redirected.txt']
      )
      expect(r.outcome.stdout).toBe('before\n')
      expect(Buffer.from(r.files[0], 'latin1').toString('utf8')).toBe('데이터 '.repeat(1000))
      // The end of central directory record: the archive was finished.
      expect(r.files[1]).toContain('PK\x05\x06')
      expect(r.files[2]).toBe('to the file '.repeat(100) + '\n')
    })

    it('at the exit: an unclosed file in a script that defines a function (its globals in a cycle) is flushed', async () => {
      const r = await expectParityWithFiles(
        'unclosed-cycle.py',
        [
          'import csv',
          'f = open("cycle.txt", "w")',
          'f.write("hello,world\\n" * 3)',
          'csv.writer(open("cycle.csv", "w", newline="")).writerow(["a", "b"])',
          'def helper():',
          '    pass'
        ].join('\n'),
        ['cycle.txt', 'cycle.csv']
      )
      expect(r.files).toEqual(['hello,world\n'.repeat(3), 'a,b\r\n'])
    })

    it('at the exit: __file__ is gone and sys.last_value is set, as after a cold script; a daemon thread stops', async () => {
      const path = script(
        'after-script.py',
        [
          'import atexit, sys, threading, time',
          'def spin():',
          '    while True:',
          '        time.sleep(0.001)',
          'threading.Thread(target=spin, daemon=True).start()',
          'atexit.register(lambda: print("file" if "__file__" in globals() else "no file", repr(getattr(sys, "last_value", None))))',
          'raise ValueError("kept")'
        ].join('\n')
      )
      const expected = await cold(path)
      expect(await viaSpare(path)).toEqual(expected)
      expect(expected.stdout).toBe("no file ValueError('kept')\n")
      expect(expected.exitCode).toBe(1)
    })

    it('at the exit: __del__ runs in the same order, threads are joined, atexit runs, C stdio is flushed', async () => {
      const r = await expectParity(
        'teardown.py',
        [
          'import atexit, json, sys, threading, time',
          'class Noisy:',
          '    def __init__(self, n): self.n = n',
          '    def __del__(self): print("del", self.n)',
          'a = Noisy(1)',
          '_hidden = Noisy(2)',
          'b = Noisy(3)',
          'json.attached = Noisy(4)',
          'def late():',
          '    time.sleep(0.3)',
          '    print("thread done", flush=True)',
          'threading.Thread(target=late).start()',
          'atexit.register(lambda: print("atexit", a.n))',
          ...(isWindows ? [] : ['import ctypes', 'ctypes.CDLL(None).printf(b"from C\\n")']),
          'print("end of script")'
        ].join('\n')
      )
      expect(r.stdout).toContain('thread done\natexit 1\n')
      // __main__ goes first (it came into sys.modules before json), its names in their order.
      expect(r.stdout).toContain('del 1\ndel 2\ndel 3\ndel 4\n')
      if (!isWindows) expect(r.stdout).toContain('from C')
    })

    it('at the exit: a failing __del__ and a failing atexit callback are reported as cold', async () => {
      const path = script(
        'failing-exit.py',
        [
          'import atexit',
          'class Bad:',
          '    def __del__(self): raise ValueError("in __del__")',
          'bad = Bad()',
          'def boom(): raise RuntimeError("in atexit")',
          'atexit.register(boom)',
          'raise SystemExit(9)'
        ].join('\n')
      )
      // Functions print with their addresses, which differ from process to process.
      const same = (o: Outcome): Outcome => ({ ...o, stderr: o.stderr.replace(/ at 0x[0-9a-f]+>/g, ' at 0x…>') })
      const expected = same(await cold(path))
      expect(same(await viaSpare(path))).toEqual(expected)
      expect(expected.exitCode).toBe(9)
      expect(expected.stderr).toContain('RuntimeError: in atexit')
      expect(expected.stderr).toContain('ValueError: in __del__')
    })

    it('the script runs one frame below the bootstrap: recursion reaches as deep, less a frame or two', async () => {
      const path = script(
        'depth.py',
        'import sys\ndef down(n):\n    try:\n        return down(n + 1)\n    except RecursionError:\n        return n\nprint(down(0))\n'
      )
      const coldDepth = Number((await cold(path)).stdout)
      const spareDepth = Number((await viaSpare(path)).stdout)
      expect(coldDepth).toBeGreaterThan(900)
      expect(coldDepth - spareDepth).toBeGreaterThanOrEqual(0)
      // The bootstrap's top level, and on some Pythons the exec() call that runs the script (five more before).
      expect(coldDepth - spareDepth).toBeLessThanOrEqual(2)
    })

    it('the working folder', async () => {
      const r = await expectParity('cwd.py', 'import os\nprint(os.getcwd())\nprint(os.listdir("."))\n')
      expect(r.stdout.split('\n')[0]).toBe(work)
    })

    it('stdout and stderr interleave and buffer as cold (PYTHONUNBUFFERED)', async () => {
      await expectParity(
        'io.py',
        'import sys\nprint(sys.stdout.line_buffering, sys.stdout.write_through, sys.flags)\nsys.stderr.write("e1\\n")\nprint("o1")\n'
      )
    })

    it.skipIf(isWindows)('KeyboardInterrupt ends the process by SIGINT after printing the traceback', async () => {
      const r = await expectParity('kbd.py', 'def f():\n    raise KeyboardInterrupt\nf()\n')
      expect(r.signal).toBe('SIGINT')
    })

    it.skipIf(isWindows)('signal handlers and SIGTERM as cold', async () => {
      const r = await expectParity(
        'sig.py',
        'import os, signal\nprint({s.name: str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)})\nos.kill(os.getpid(), signal.SIGTERM)\n'
      )
      expect(r.signal).toBe('SIGTERM')
    })

    it('one fresh process per step: nothing a step changed is seen by the next', async () => {
      const path = script(
        'state.py',
        'import os, json\nprint(getattr(json, "touched", False), os.environ.get("STEP_SET"))\njson.touched = True\nos.environ["STEP_SET"] = "1"\nprint(os.getpid())\n'
      )
      const pool = newPool()
      pool.fill(key)
      const pids = new Set<string>()
      for (let i = 0; i < 3; i++) {
        const started = await startStepProcess({ ...key, script: path, args: args() }, pool)
        expect(started.spare).toBe(true)
        const [first, pid] = (await collect(started.child)).stdout.trim().split('\n')
        expect(first).toBe('False None')
        pids.add(pid)
      }
      expect(pids.size).toBe(3)
    })
  })

  describe('a broken spare falls back to a cold start with the same result', () => {
    const code = 'import os, sys\nprint(sys.argv[1:], os.getcwd())\nraise SystemExit(4)\n'

    it('killed while waiting', async () => {
      const path = script('fallback.py', code)
      const expected = await cold(path)
      const pool = newPool()
      pool.fill(key)
      const [pid] = pool.pids()
      process.kill(pid, 'SIGKILL')
      const started = await startStepProcess({ ...key, script: path, args: args() }, pool)
      expect(started.spare).toBe(false)
      expect(await collect(started.child)).toEqual(expected)
    })

    it('exited on its own before it was used', async () => {
      const path = script('fallback2.py', code)
      const expected = await cold(path)
      const pool = newPool()
      pool.fill(key)
      const [pid] = pool.pids()
      process.kill(pid, 'SIGTERM')
      await sleep(200)
      const started = await startStepProcess({ ...key, script: path, args: args() }, pool)
      expect(started.spare).toBe(false)
      expect(await collect(started.child)).toEqual(expected)
    })

    it('stale: waited longer than allowed', async () => {
      const path = script('stale.py', code)
      const expected = await cold(path)
      const pool = newPool({ maxIdleMs: 50 })
      pool.fill(key)
      await sleep(150)
      const started = await startStepProcess({ ...key, script: path, args: args() }, pool)
      expect(started.spare).toBe(false)
      expect(await collect(started.child)).toEqual(expected)
    })

    it.each([
      ['working folder', (k: SpareKey): SpareKey => ({ ...k, cwd: scripts })],
      ['environment', (k: SpareKey): SpareKey => ({ ...k, env: { ...k.env, STEPWISE_CASE: 'changed' } })]
    ])('mismatched key (%s): the spare is ended and the step starts cold', async (_, change) => {
      const path = script('mismatch.py', 'import os, sys\nprint(os.getcwd(), os.environ["STEPWISE_CASE"])\n')
      const other = change(key)
      const expected = await cold(path, other)
      const pool = newPool({ maxKeys: 1 })
      pool.fill(key)
      const [stalePid] = pool.pids()
      const started = await startStepProcess({ ...other, script: path, args: args() }, pool)
      expect(started.spare).toBe(false)
      expect(await collect(started.child)).toEqual(expected)
      expect(pool.pids()).not.toContain(stalePid)
    })

    it('two keys in use at once (two runs in two folders) keep a spare each; a third ends the oldest', async () => {
      const pool = newPool()
      const keys = [key, { ...key, cwd: scripts }, { ...key, cwd: root }]
      pool.fill(keys[0])
      pool.fill(keys[1])
      const [first, second] = pool.pids()
      const path = script('two.py', 'import os\nprint(os.getcwd())\n')
      const started = await startStepProcess({ ...keys[0], script: path, args: args() }, pool)
      expect(started.spare).toBe(true)
      // A one-shot spare is the step's process; a fork server forks it.
      if (kind === 'one-shot') expect(started.child.pid).toBe(first)
      expect((await collect(started.child)).stdout.trim()).toBe(work)
      expect(pool.pids()).toContain(second)
      pool.fill(keys[2])
      expect(pool.pids()).not.toContain(second)
      expect(pool.size).toBe(2)
    })

    it('disposing the pool ends the waiting spares', async () => {
      const pool = newPool()
      pool.fill(key)
      const [pid] = pool.pids()
      pool.dispose()
      await sleep(200)
      expect(() => process.kill(pid, 0)).toThrow()
      expect(pool.size).toBe(0)
    })
  })
})
