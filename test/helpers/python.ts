// The Python the tests run steps with: the real executable (sys.executable), never a pyenv shim.
// Override with STEPWISE_TEST_PYTHON.
import { execFileSync } from 'node:child_process'

function resolveTestPython(): string {
  const fromEnv = process.env.STEPWISE_TEST_PYTHON
  const launcher = fromEnv ?? (process.platform === 'win32' ? 'python' : 'python3')
  const exe = execFileSync(launcher, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 15_000 }).trim()
  if (!exe) throw new Error(`"${launcher}" did not report its sys.executable`)
  return exe
}

export const PYTHON = resolveTestPython()
