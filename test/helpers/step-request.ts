// A request for the step executor in a fresh case folder of its own (a working folder and a temp folder).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { StepRunRequest } from '../../src/main/services/engine'
import { PYTHON } from './python'

let n = 0

export function stepRequest(root: string, code: string, extra: Partial<StepRunRequest> = {}, timeoutMs = 20_000): StepRunRequest {
  const dir = join(root, `case-${++n}`)
  mkdirSync(join(dir, 'work'), { recursive: true })
  return {
    python: PYTHON,
    code,
    variables: {},
    workingDirectory: join(dir, 'work'),
    tempDir: join(dir, 'tmp'),
    fileStem: 'step_0_Test',
    timeoutMs,
    debug: false,
    ...extra
  }
}
