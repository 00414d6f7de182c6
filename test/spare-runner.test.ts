// Spare interpreters through the runner: a run with spares records exactly what a run without them does,
// and the setting and the run option turn them off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Execution } from '../src/shared/model'
import type { Store } from '../src/main/services/store'
import type { WorkflowRunner } from '../src/main/services/engine'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

let dir: string
let store: Store
let runner: WorkflowRunner

beforeAll(() => {
  dir = makeTempDir('stepwise-spare-runner-')
  ;({ store, runner } = openRealServices(dir))
})
afterAll(async () => {
  await runner.stopAll()
  runner.dispose()
  store.close()
  cleanupTempDirs()
})

const steps = [
  step(
    1,
    'Where',
    py(
      'import os, sys',
      'print("reading", os.path.basename(sys.argv[2]), file=sys.stderr)',
      emit(
        '{"argv": [os.path.basename(a) for a in sys.argv], "path0": sys.path[0] == os.path.dirname(__file__), "cwd": os.path.basename(os.getcwd()), "name": __name__, "stdin": sys.stdin.read(), "n": variables["n"]}'
      )
    ),
    { output_mapping: { n: 'n' } }
  ),
  step(2, 'Env', py('import os', emit('{"encoding": os.environ.get("PYTHONIOENCODING"), "n": variables["n"] + 1}')), {
    input_mapping: { n: 'n' },
    output_mapping: { n: 'n' }
  }),
  step(3, 'Fail', py('def check(n):', '    raise ValueError(f"n is {n}: 홍길동")', 'check(variables["n"])'), { input_mapping: { n: 'n' } })
]

/** A run's own temp folder (named by its id) appears in tracebacks. */
const samePaths = (text: string | null): string | null => text && text.replace(/stepwise-[0-9a-f]{8}-[^/\\]+/g, 'stepwise-RUN')

/** What a user sees of a run, without the paths and times that differ from run to run. */
function seen(e: Execution) {
  return {
    status: e.status,
    variables: e.variables,
    steps: e.steps.map((s) => ({
      name: s.name,
      status: s.status,
      exit_code: s.exit_code,
      output: s.output,
      logs: samePaths(s.logs),
      error: samePaths(s.error)
    }))
  }
}

async function runIn(folder: string, options: { spare?: boolean } = {}): Promise<Execution> {
  const wd = join(dir, folder)
  mkdirSync(wd, { recursive: true })
  return saveAndRun({ store, runner }, workflow(`spares ${folder}`, steps, { variables: { n: 1 } }), { workingDirectory: wd, ...options })
}

describe('spare interpreters in a run', () => {
  it('a run with spares (the default) records the same as a run with every step cold', async () => {
    const before = runner.spareStats()
    const withSpares = await runIn('same')
    const afterSpares = runner.spareStats()
    const cold = await runIn('same', { spare: false })
    expect(runner.spareStats()).toEqual(afterSpares)
    // The run starts its spare as it begins, so even the first step finds it.
    expect(afterSpares.spare - before.spare).toBe(3)
    expect(afterSpares.cold).toBe(before.cold)
    expect(seen(withSpares)).toEqual(seen(cold))
    expect(withSpares.steps[0].output).toEqual({
      argv: ['step_2_Where.py', '--variables-file', 'step_2_Where.json'],
      path0: true,
      cwd: 'same',
      name: '__main__',
      stdin: '',
      n: 1
    })
    expect(withSpares.steps[2].error).toMatch(
      /^Script failed with exit code 1:\nTraceback \(most recent call last\):\n {2}File ".*step_4_Fail\.py", line \d+, in <module>\n/
    )
    expect(withSpares.steps[2].error).toContain('ValueError: n is 2: 홍길동')
  })

  it('the spare_interpreters setting off starts every step cold', async () => {
    store.updateSettings({ spare_interpreters: false })
    try {
      const before = runner.spareStats()
      const e = await runIn('setting-off')
      expect(e.steps.map((s) => s.status)).toEqual(['SUCCESS', 'SUCCESS', 'FAILED'])
      expect(runner.spareStats()).toEqual(before)
    } finally {
      store.updateSettings({ spare_interpreters: true })
    }
  })

  it('a spare waiting in another working folder is not used there', async () => {
    await runIn('folder-a')
    const before = runner.spareStats()
    const e = await runIn('folder-b')
    // Every step ran in a spare of the run's own folder: folder-a's spare was not taken.
    expect(e.steps[0].output).toMatchObject({ cwd: 'folder-b' })
    expect(runner.spareStats().spare - before.spare).toBe(3)
  })
})
