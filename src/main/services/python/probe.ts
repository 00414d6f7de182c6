// Verifies a candidate interpreter by running it: a stub, a shim that points nowhere or a Python 2 fails here.
import type { PythonInterpreter } from '../../../shared/model'
import { runCommand, type CommandRunner } from '../command-runner'

const PROBE_CODE =
  'import sys, platform, json; print(json.dumps({"executable": sys.executable, "version": platform.python_version(), "architecture": platform.architecture()[0], "major": sys.version_info[0]}))'

export const PROBE_TIMEOUT_MS = 8000

/** Runs the candidate; returns the real interpreter behind it, or null when it is not a working Python 3. */
export async function probeInterpreter(
  candidate: string,
  source: string,
  run: CommandRunner = runCommand
): Promise<PythonInterpreter | null> {
  const result = await run(candidate, ['-I', '-c', PROBE_CODE], { timeoutMs: PROBE_TIMEOUT_MS })
  if (result.exitCode !== 0) return null
  try {
    const info = JSON.parse(result.stdout.trim().split(/\r?\n/).pop() ?? '') as Record<string, unknown>
    if (info.major !== 3 || typeof info.executable !== 'string' || !info.executable) return null
    return { path: info.executable, version: String(info.version), architecture: String(info.architecture), source }
  } catch {
    return null
  }
}
