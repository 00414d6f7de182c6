// Values reach the next step exactly as under the seed executor, which hands Python's own values on:
// 43.0 stays a float, big integers keep every digit, keys keep their order, NaN and Infinity stay floats,
// Korean written with ensure_ascii=False arrives intact. Each case runs through two real steps in Stepwise
// and in the seed executor (test/fixtures/seed_executor.py, a copy of the bench peer), and what the second
// step saw is compared. A replay of the second step sees it again.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseJsonText } from '../src/shared/json-text'
import type { Execution, Step } from '../src/shared/model'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, py, REPO_ROOT, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

const SEED = join(REPO_ROOT, 'test', 'fixtures', 'seed_executor.py')

/** The first step's stdout, written by Python's json.dumps as a real step would. */
const FIRST_OUTPUT = [
  'print(json.dumps({',
  '  "total": 534.0, "pct": 43.0, "big": 12345678901234567890,',
  '  "years": {"2024": 1, "2023": 2, "999": 3},',
  '  "missing": float("nan"), "top": float("inf"), "bottom": float("-inf"),',
  '  "city": "서울 — café 😀",',
  '}, ensure_ascii=False))'
]

/** The second step reports what it was handed: repr of everything, in order, and a report line. */
const SECOND_REPORT = [
  'import math',
  's = variables["step-0"]',
  'print(json.dumps({',
  '  "everything": repr(variables),',
  '  "report": f"{s[\'total\']} rows, {variables[\'share\']}%",',
  '  "nan": isinstance(variables["missing"], float) and math.isnan(variables["missing"]),',
  '  "inf": variables["top"] == math.inf,',
  '  "big_exact": variables["big"] == 12345678901234567890,',
  '  "years": list(variables["yrs"]),',
  '  "city": variables["city"],',
  '}))'
]

const steps = (): Step[] => [
  step(0, 'Write', py(...FIRST_OUTPUT), {
    output_mapping: { pct: 'pct', big: 'big', years: 'years', missing: 'missing', top: 'top', city: 'city' }
  }),
  step(1, 'Read', py(...SECOND_REPORT), { input_mapping: { share: 'pct', yrs: 'years' } })
]

/** What the seed executor's second step printed, for the same workflow. */
function seedSecondOutput(dir: string): Record<string, unknown> {
  const file = join(dir, 'seed-workflow.json')
  writeFileSync(file, JSON.stringify({ variables: { who: 'me' }, steps: steps() }), 'utf8')
  const r = spawnSync(PYTHON, [SEED, file, PYTHON, '--state'], { encoding: 'utf8', timeout: 60_000 })
  expect(r.status, r.stderr).toBe(0)
  // Its state holds the first step's NaN, which only a tolerant parse reads.
  const state = parseJsonText(r.stdout.trim()) as { stopped: boolean; step_outputs: Record<string, Record<string, unknown>> }
  expect(state.stopped).toBe(false)
  return state.step_outputs['step-1']
}

describe('values pass through unchanged, as under the seed executor', () => {
  let services: ReturnType<typeof openRealServices>
  let run: Execution
  let seen: Record<string, unknown>
  let seed: Record<string, unknown>

  beforeAll(async () => {
    const dir = makeTempDir()
    services = openRealServices(dir)
    run = await saveAndRun(services, workflow('fidelity', steps(), { variables: { who: 'me' } }), { workingDirectory: dir })
    expect(run.status, run.error ?? '').toBe('SUCCESS')
    seen = run.steps[1].output as Record<string, unknown>
    seed = seedSecondOutput(dir)
  })
  afterAll(() => services.store.close())

  it('the second step is handed everything exactly as under the seed: same values, same order', () => {
    expect(seen).toEqual(seed)
  })

  it('43.0 stays a float: the report prints "534.0 rows, 43.0%" (input_mapping alias of an output_mapping variable)', () => {
    expect(seed.report).toBe('534.0 rows, 43.0%')
    expect(seen.report).toBe('534.0 rows, 43.0%')
  })

  it('12345678901234567890 keeps every digit', () => {
    expect(seen.big_exact).toBe(true)
    expect(seen.everything).toContain("'big': 12345678901234567890")
  })

  it('keys "2024", "2023", "999" keep their order', () => {
    expect(seen.years).toEqual(['2024', '2023', '999'])
    expect(seen.everything).toContain("'years': {'2024': 1, '2023': 2, '999': 3}")
  })

  it("NaN and Infinity reach the next step as float('nan') and inf", () => {
    expect(seen.nan).toBe(true)
    expect(seen.inf).toBe(true)
    expect(seen.everything).toContain("'bottom': -inf")
  })

  it('Korean written with ensure_ascii=False arrives intact', () => {
    expect(seen.city).toBe('서울 — café 😀')
  })

  it("the record keeps the step's own text, not a rewrite of it", () => {
    const texts = services.store.executionTexts(run.id)
    expect(texts.outputs.get('step-0')?.json).toContain('"pct": 43.0, "big": 12345678901234567890')
    expect(texts.variables.get('big')?.json).toBe('12345678901234567890')
    expect(texts.variables.get('missing')?.json).toBe('NaN')
  })

  it('`show --json` is strict JSON with each value as the step wrote it, NaN and Infinity as null', async () => {
    await ensureCliBuilt()
    const r = await runCli(['show', run.id, '--json', '--db', services.dbPath], { timeoutMs: 60_000 })
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as { variables: Record<string, unknown>; steps: { output: Record<string, unknown> }[] }
    expect(doc.variables.missing).toBeNull()
    expect(doc.steps[0].output.top).toBeNull()
    expect(r.stdout).toContain('"pct": 43.0, "big": 12345678901234567890')
    expect(r.stdout).toMatch(/"years": \{"2024": 1, "2023": 2, "999": 3\}/)
  })

  it('a replay of the second step is handed the same texts again', async () => {
    const replay = await services.runner.replayStep(run.id, 'step-1', { python: PYTHON })
    const done = await replay.done
    expect(done.status, done.error ?? '').toBe('SUCCESS')
    expect(done.steps[0].output).toEqual(run.steps[1].output)
    expect(services.store.stepInputTexts(done.id, 'step-1')).toEqual(services.store.stepInputTexts(run.id, 'step-1'))
  })
})
