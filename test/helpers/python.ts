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

/** A text in another encoding (cp949, utf-16...), encoded by Python's own codec: real bytes, not a table of ours. */
export function encodedBy(codec: string, text: string): Uint8Array {
  return execFileSync(PYTHON, ['-c', 'import sys; sys.stdout.buffer.write(sys.argv[2].encode(sys.argv[1]))', codec, text])
}
