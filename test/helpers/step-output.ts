// What a step's process wrote and how it ended, however it was started (cold, a spare, a fork server).
import type { StepProcess } from '../../src/main/services/python/step-process-types'

export interface StepOutcome {
  stdout: string
  stderr: string
  exitCode: number | undefined
  signal: string | undefined
}

export async function collectStep(child: StepProcess): Promise<StepOutcome> {
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout?.on('data', (c: Buffer) => out.push(c))
  child.stderr?.on('data', (c: Buffer) => err.push(c))
  const end = await child
  return {
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    exitCode: end.exitCode,
    signal: end.signal
  }
}
