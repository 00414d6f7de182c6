// Values reach the next step exactly as under the seed executor, which hands Python's own values on:
// 43.0 stays a float, big integers keep every digit, keys keep their order, NaN and Infinity stay floats,
// Korean written with ensure_ascii=False arrives intact. Each case runs through two real steps in Stepwise
// and in the seed executor (test/fixtures/seed_executor.py, a copy of the bench peer), and what the second
// step saw is compared. A replay of the second step sees it again. All of it twice: with outputs small
// enough to be kept in the database, and with outputs over 1 MB, which are kept in files beside it.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseJsonText, type JsonText } from '../src/shared/json-text'
import type { Execution, Step } from '../src/shared/model'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, py, REPO_ROOT, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

const SEED = join(REPO_ROOT, 'test', 'fixtures', 'seed_executor.py')

/** The first step's stdout, written by Python's json.dumps as a real step would; `pad` characters more in front. */
const firstOutput = (pad: number): string[] => [
  'print(json.dumps({',
  `  "pad": "p" * ${pad},`,
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

const steps = (pad: number): Step[] => [
  step(0, 'Write', py(...firstOutput(pad)), {
    output_mapping: { pct: 'pct', big: 'big', years: 'years', missing: 'missing', top: 'top', city: 'city' }
  }),
  step(1, 'Read', py(...SECOND_REPORT), { input_mapping: { share: 'pct', yrs: 'years' } })
]

/** What the seed executor's second step printed, for the same workflow. */
function seedSecondOutput(dir: string, pad: number): Record<string, unknown> {
  const file = join(dir, 'seed-workflow.json')
  writeFileSync(file, JSON.stringify({ variables: { who: 'me' }, steps: steps(pad) }), 'utf8')
  const r = spawnSync(PYTHON, [SEED, file, PYTHON, '--state'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 })
  expect(r.status, r.stderr).toBe(0)
  // Its state holds the first step's NaN, which only a tolerant parse reads.
  const state = parseJsonText(r.stdout.trim()) as { stopped: boolean; step_outputs: Record<string, Record<string, unknown>> }
  expect(state.stopped).toBe(false)
  return state.step_outputs['step-1']
}

/** A recorded text as written, wherever it is kept. */
function textOf(text: JsonText | null | undefined): string {
  if (!text) throw new Error('no text recorded')
  return text.file === undefined ? text.json : readFileSync(text.file).subarray(text.start, text.end).toString('utf8')
}

describe.each([
  { where: 'in the database', pad: 0 },
  { where: 'in files beside the database (outputs over 1 MB)', pad: 1_200_000 }
])('values pass through unchanged, as under the seed executor: kept $where', ({ pad }) => {
  let services: ReturnType<typeof openRealServices>
  let dir: string
  let run: Execution
  let seen: Record<string, unknown>
  let seed: Record<string, unknown>

  beforeAll(async () => {
    dir = makeTempDir()
    services = openRealServices(dir)
    run = await saveAndRun(services, workflow('fidelity', steps(pad), { variables: { who: 'me' } }), { workingDirectory: dir })
    expect(run.status, run.error ?? '').toBe('SUCCESS')
    seen = parseJsonText(textOf(services.store.executionTexts(run.id).outputs.get('step-1'))) as Record<string, unknown>
    seed = seedSecondOutput(dir, pad)
  })

  it(pad ? 'the big outputs are files beside the database, and the database stays small' : 'small outputs stay in the database', () => {
    const folder = join(dir, 'stepwise-values', run.id)
    if (!pad) return expect(existsSync(folder)).toBe(false)
    expect(readdirSync(folder)).toHaveLength(2)
    expect(statSync(services.dbPath).size).toBeLessThan(pad / 2)
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
    expect(textOf(texts.outputs.get('step-0'))).toContain('"pct": 43.0, "big": 12345678901234567890')
    expect(textOf(texts.variables.get('big'))).toBe('12345678901234567890')
    expect(textOf(texts.variables.get('missing'))).toBe('NaN')
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
    expect(textOf(services.store.executionTexts(done.id).outputs.get('step-1'))).toBe(
      textOf(services.store.executionTexts(run.id).outputs.get('step-1'))
    )
    const handed = (id: string) => [...services.store.stepInputTexts(id, 'step-1')!].map(([k, v]) => [k, textOf(v)])
    expect(handed(done.id)).toEqual(handed(run.id))
  })
})
