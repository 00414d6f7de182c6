// Storage that grows with the run, not with its square: each output is stored once and a step's inputs are
// rebuilt from references, equal to what the step was handed. Older databases open and read as before.
import Database from 'better-sqlite3'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCHEMA_VERSION } from '../src/main/services/store/connection'
import type { Step } from '../src/shared/model'
import type { RunEvent } from '../src/renderer/src/lib/event-batcher'
import { reduceEvents } from '../src/renderer/src/stores/runs-store'
import type { RunnerEvent } from '../src/main/services/engine'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, saveAndRun, step, workflow, withStore } from './helpers/workflows'

beforeAll(() => ensureCliBuilt(), 120_000)
afterAll(cleanupTempDirs)

const size = (db: string): number => [db, `${db}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0)

describe('inputs by reference', () => {
  it('rebuilt inputs equal each variables file the steps were handed: sequential, output_mapping and input_mapping aliases', async () => {
    const dir = makeTempDir('stepwise-inputs-')
    const services = openRealServices(dir)
    const steps: Step[] = [
      step(0, 'Fetch', py(emit('{"rows": [1, 2, 3], "who": variables["region"]}')), { output_mapping: { rows: 'rows', missing: 'nope' } }),
      step(1, 'Count', py(emit('{"count": len(variables["data"])}')), { input_mapping: { data: 'rows' }, output_mapping: { n: 'count' } }),
      step(2, 'Rename', py(emit('{"rows": "replaced", "region": "Busan"}')), { output_mapping: { rows: 'rows', region: 'region' } }),
      step(3, 'Last', py(emit('{"seen": sorted(variables)}')), { input_mapping: { place: 'region', total: 'n' } })
    ]
    const e = await saveAndRun(services, workflow('Refs', steps, { variables: { region: 'Seoul' } }), {
      workingDirectory: dir,
      debug: true
    })
    expect(e.status).toBe('SUCCESS')
    for (const s of e.steps) expect(s.input_variables).toEqual(JSON.parse(readFileSync(s.variables_path!, 'utf8')))
    expect(e.steps[3].input_variables).toMatchObject({
      place: 'Busan',
      total: 3,
      rows: 'replaced',
      'step-0': { rows: [1, 2, 3], who: 'Seoul' }
    })
    expect(e.variables).toEqual({ region: 'Busan', rows: 'replaced', n: 3 })
    expect(Object.keys(e.step_outputs)).toEqual(['step-0', 'step-1', 'step-2', 'step-3'])
    // Nothing whole is stored any more: no step's inputs, no per-step copy of the run's state.
    const raw = new Database(services.dbPath, { readonly: true })
    expect(raw.prepare(`SELECT COUNT(*) AS n FROM step_runs WHERE input_variables IS NOT NULL`).get()).toEqual({ n: 0 })
    expect(raw.prepare(`SELECT step_outputs FROM executions`).get()).toEqual({ step_outputs: '{}' })
    raw.close()

    // A replay of a step gets the same rebuilt inputs.
    const replay = await services.runner.replayStep(e.id, 'step-3', { python: e.python_path })
    const again = await replay.done
    expect(again.steps[0].input_variables).toEqual(e.steps[3].input_variables)
    services.store.close()
  }, 60_000)

  it('run:step events carry only the variables each step set; the window adds them up to the recorded variables', async () => {
    const dir = makeTempDir('stepwise-events-')
    const services = openRealServices(dir)
    const events: RunnerEvent[] = []
    services.runner.on((ev) => events.push(ev))
    const e = await saveAndRun(
      services,
      workflow(
        'Events',
        [
          step(0, 'A', py(emit('{"a": 1}')), { output_mapping: { a: 'a' } }),
          step(1, 'B', py(emit('{"b": [2]}')), { output_mapping: { b: 'b' } }),
          step(2, 'C', py(emit('{}')))
        ],
        { variables: { start: true } }
      ),
      { workingDirectory: dir }
    )
    const ended = events.flatMap((ev) => (ev.channel === 'run:step' && ev.payload.status === 'SUCCESS' ? [ev.payload.variables] : []))
    expect(ended).toEqual([{ a: 1 }, { b: [2] }, {}])
    const { runs } = reduceEvents({}, {}, events.filter((ev) => ev.channel !== 'run:finished') as RunEvent[])
    // run:started carries the initial variables, so the live pane shows them before any step set one.
    expect(runs[e.id].variables).toEqual(e.variables)
    expect(runs[e.id].steps[1].variables).toEqual({ start: true, a: 1, b: [2] })
    services.store.close()
  }, 30_000)

  it('a database of schema 2 opens, migrates, and shows its old runs unchanged', () => {
    const path = join(makeTempDir('stepwise-old-'), 'old.db')
    const old = new Database(path)
    old.exec(readFileSync(join(__dirname, 'fixtures', 'stepwise-schema-2.sql'), 'utf8'))
    old.close()
    const e = withStore(path, (s) => s.getExecution('a1d00000-0000-4000-8000-000000000001'))
    expect(e.status).toBe('SUCCESS')
    expect(e.variables).toEqual({ region: 'Seoul', rows: [1, 2, 3] })
    expect(e.step_outputs).toEqual({ 'step-0': { rows: [1, 2, 3] }, 'step-1': { count: 3 } })
    expect(e.steps.map((s) => s.input_variables)).toEqual([
      { region: 'Seoul' },
      { region: 'Seoul', rows: [1, 2, 3], 'step-0': { rows: [1, 2, 3] }, place: 'Seoul' }
    ])
    expect(e.steps.map((s) => [s.output, s.logs, s.duration_ms])).toEqual([
      [{ rows: [1, 2, 3] }, 'fetching\n', 300],
      [{ count: 3 }, '', 400]
    ])
    const db = new Database(path, { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
  })
})

describe('database growth', () => {
  it('60 steps with 100 KB outputs each grow the database by at most three times the outputs', async () => {
    const dir = makeTempDir('stepwise-growth-')
    const services = openRealServices(dir)
    const steps = Array.from({ length: 60 }, (_, i) =>
      step(i, `Blob ${i}`, py(emit(`{"blob": os.urandom(50 * 1024).hex(), "n": ${i}}`)), { output_mapping: { last: 'n' } })
    )
    const before = size(services.dbPath)
    const e = await saveAndRun(services, workflow('Blobs', steps), { workingDirectory: dir })
    expect(e.status).toBe('SUCCESS')
    const grown = size(services.dbPath) - before
    console.log(`60 × 100 KB outputs: database + WAL grew by ${(grown / 1e6).toFixed(1)} MB`)
    expect(grown).toBeLessThanOrEqual(18 * 1024 * 1024)
    services.store.close()
  }, 180_000)

  it('grows linearly with the step count (250 vs 500 trivial steps), and `show --json` of the long run works', async () => {
    const grow = async (count: number): Promise<{ grown: number; db: string; id: string }> => {
      const dir = makeTempDir('stepwise-linear-')
      const services = openRealServices(dir)
      const steps = Array.from({ length: count }, (_, i) => step(i, `S${i}`, `print('{"i": ${i}, "pad": "${'x'.repeat(40)}"}')\n`))
      const before = size(services.dbPath)
      const e = await saveAndRun(services, workflow(`Linear ${count}`, steps), { workingDirectory: dir })
      expect(e.status).toBe('SUCCESS')
      // Closing checkpoints the WAL into the file: the figure is what the run left stored, not the WAL's size,
      // which is reused and would hide the shape of the growth at this scale.
      services.store.close()
      const grown = size(services.dbPath) - before
      return { grown, db: services.dbPath, id: e.id }
    }
    const small = await grow(250)
    const large = await grow(500)
    console.log(`250 steps: +${(small.grown / 1e6).toFixed(2)} MB; 500 steps: +${(large.grown / 1e6).toFixed(2)} MB`)
    expect(large.grown / small.grown).toBeLessThan(2.3)

    const shown = await runCli(['show', large.id, '--json', '--db', large.db], { timeoutMs: 60_000 })
    expect(shown.code).toBe(0)
    const out = JSON.parse(shown.stdout)
    expect(out.steps).toHaveLength(500)
    expect(Object.keys(out.step_outputs)).toHaveLength(500)
    expect(out.step_outputs['step-499']).toMatchObject({ i: 499 })
  }, 600_000)
})
