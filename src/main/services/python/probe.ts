// Verifies a candidate interpreter by running it: a stub, a shim that points nowhere or a Python 2 fails
// here, and a launcher or shim is replaced by the real executable it runs.
import type { PythonInterpreter } from '../../../shared/model'
import { runCommand, type CommandRunner } from '../command-runner'

// -I: ignore PYTHON* variables and user site-packages, so a broken environment cannot fake or break the answer.
// json.dumps escapes non-ASCII, so a path like C:\Users\홍길동 survives any console code page.
const PROBE_CODE =
  'import sys, platform, json; print(json.dumps({"executable": sys.executable, "prefix": sys.prefix, ' +
  '"version": platform.python_version(), "architecture": platform.architecture()[0], "major": sys.version_info[0]}))'

/**
 * The first start of an interpreter after boot can take over ten seconds while a virus scanner checks its
 * DLLs; a hung stub is still given up on, and answers are cached so this wait is rare.
 */
export const PROBE_TIMEOUT_MS = 15_000

export type ProbeResult =
  | { ok: true; interpreter: PythonInterpreter; /** sys.prefix: tells a venv apart from the interpreter it links to. */ prefix: string }
  | { ok: false; reason: string }

/** Runs the candidate and says what it really is, or why it is not a working Python 3. */
export async function probeCandidate(
  candidate: string,
  source: string,
  run: CommandRunner = runCommand,
  timeoutMs: number = PROBE_TIMEOUT_MS
): Promise<ProbeResult> {
  const result = await run(candidate, ['-I', '-c', PROBE_CODE], { timeoutMs })
  // The first line says what went wrong ("pyenv: python3.9: command not found", "Unknown option: -I");
  // later lines are usage text and hints.
  const why = result.stderr.trim().split(/\r?\n/)[0]?.trim().slice(0, 200)
  if (result.timedOut) return { ok: false, reason: `did not answer within ${timeoutMs / 1000} s` }
  if (result.exitCode === null) {
    return { ok: false, reason: why ? `could not run (${why})` : `did not answer within ${timeoutMs / 1000} s` }
  }
  if (result.exitCode !== 0) {
    // 9009 is what cmd-style stubs (the Store alias without the Store Python) exit with.
    return { ok: false, reason: `exited with code ${result.exitCode}${why ? `: ${why}` : ''}` }
  }
  try {
    const info = JSON.parse(result.stdout.trim().split(/\r?\n/).pop() ?? '') as Record<string, unknown>
    if (info.major !== 3) return { ok: false, reason: `is Python ${String(info.version ?? info.major)}, not Python 3` }
    if (typeof info.executable !== 'string' || !info.executable)
      return { ok: false, reason: 'does not report its executable (embedded Python?)' }
    return {
      ok: true,
      interpreter: { path: info.executable, version: String(info.version), architecture: String(info.architecture), source },
      prefix: typeof info.prefix === 'string' ? info.prefix : ''
    }
  } catch {
    // Python 2 rejects -I and exits non-zero above; a wrapper printing something else lands here.
    return { ok: false, reason: 'did not answer like a Python interpreter' }
  }
}

/** Runs the candidate; returns the real interpreter behind it, or null when it is not a working Python 3. */
export async function probeInterpreter(
  candidate: string,
  source: string,
  run: CommandRunner = runCommand,
  timeoutMs: number = PROBE_TIMEOUT_MS
): Promise<PythonInterpreter | null> {
  const result = await probeCandidate(candidate, source, run, timeoutMs)
  return result.ok ? result.interpreter : null
}
