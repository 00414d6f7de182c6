// Many `stepwise run` processes on one database at once (a scheduler starting a batch): every one of them
// must wait its turn for the write lock instead of failing with "database is locked".
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, step, withStore } from './helpers/workflows'

let dir: string
beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-concurrent-')
}, 120_000)
afterAll(cleanupTempDirs)

describe('concurrent CLI runs on one database', () => {
  it('50 runs of the same file at once all succeed and are all recorded', async () => {
    const db = join(dir, 'shared.db')
    const file = join(dir, 'batch.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Batch',
        steps: [step(0, 'One', py(emit('{"n": 1}')), { output_mapping: { n: 'n' } }), step(1, 'Two', py(emit('{"m": variables["n"] + 1}')))]
      })
    )
    const results = await Promise.all(
      Array.from({ length: 50 }, () => runCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', dir], { timeoutMs: 170_000 }))
    )
    const failures = results.filter((r) => r.code !== 0).map((r) => r.stderr.trim())
    expect(failures).toEqual([])
    const recorded = withStore(db, (s) => s.listExecutions())
    expect(recorded).toHaveLength(50)
    expect(recorded.every((e) => e.status === 'SUCCESS')).toBe(true)
  }, 180_000)
})
