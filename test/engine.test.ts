// The engine carrying the reference's state from step to step, with every step run by real Python.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseJsonText, textsOf, valuesOf } from '../src/shared/json-text'
import type { JsonValue, Step, Variables } from '../src/shared/model'
import { runPythonStep } from '../src/main/services/engine'
import { dependencyGraph, runWorkflowSteps, type EngineOptions, type EngineResult } from '../src/main/services/engine'
import { stepFileStem } from '../src/main/services/file-names'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, loadExample, py, step } from './helpers/workflows'

afterAll(cleanupTempDirs)

interface Trace {
  result: Omit<EngineResult, 'variables' | 'stepOutputs'> & { variables: Variables; stepOutputs: Record<string, JsonValue> }
  /** Input variables of each step that started, by step id. */
  inputs: Record<string, Variables>
  started: string[]
  rejected: Record<string, string>
  warnings: Record<string, string[]>
  workDir: string
}

/** Runs `steps` through the engine, each step a real `python script.py --variables-file vars.json`; values shown parsed. */
async function run(
  steps: Step[],
  options: Partial<Omit<EngineOptions, 'initialVariables'>> & { initialVariables?: Variables } = {}
): Promise<Trace> {
  const dir = makeTempDir('stepwise-engine-')
  const workDir = join(dir, 'work')
  mkdirSync(workDir)
  const trace: Omit<Trace, 'result'> = { inputs: {}, started: [], rejected: {}, warnings: {}, workDir }
  const result = await runWorkflowSteps({
    ...options,
    steps,
    initialVariables: textsOf(options.initialVariables ?? {}),
    runStep: async (s, inputs) => {
      const r = await runPythonStep({
        python: PYTHON,
        code: s.code,
        variables: inputs,
        workingDirectory: workDir,
        tempDir: join(dir, 'tmp'),
        fileStem: stepFileStem(s.order, s.name),
        timeoutMs: (s.timeout_seconds ?? 20) * 1000,
        debug: false,
        signal: options.signal
      })
      return { status: r.status, output: r.output, error: r.error }
    },
    hooks: {
      onStepStart: (s, inputs) => {
        trace.started.push(s.id)
        trace.inputs[s.id] = valuesOf(inputs)
      },
      onStepRejected: (s, message) => void (trace.rejected[s.id] = message),
      onStepWarning: (s, message) => void (trace.warnings[s.id] = [...(trace.warnings[s.id] ?? []), message])
    }
  })
  const stepOutputs: Record<string, JsonValue> = {}
  for (const [id, output] of result.stepOutputs) stepOutputs[id] = parseJsonText(output.text)
  return { ...trace, result: { ...result, variables: valuesOf(result.variables), stepOutputs } }
}

/** A step that creates `name` in the working folder: if the file is there, the step ran. */
const touch = (name: string): string => py(`open(${JSON.stringify(name)}, "w").close()`, emit('{"touched": True}'))

describe('the reference example (examples/fetch-process-save.json)', () => {
  it('runs the three steps, maps fetched_data and processed_data, and writes output.json in the working folder', async () => {
    const example = loadExample()
    const t = await run(example.steps)
    expect(t.result.status).toBe('SUCCESS')
    expect(t.result.error).toBeNull()
    expect(t.result.skipped).toEqual([])
    const fetched = [{ id: 1 }, { id: 2 }, { id: 3 }]
    const processed = fetched.map((x) => ({ ...x, processed: true }))
    expect(t.result.variables).toEqual({ fetched_data: fetched, processed_data: processed })
    expect(t.result.stepOutputs).toEqual({
      'step-0': { status: 'success', data: fetched, count: 3 },
      'step-1': { status: 'success', result: processed, count: 3 },
      'step-2': { status: 'success', file: 'output.json' }
    })
    expect(JSON.parse(readFileSync(join(t.workDir, 'output.json'), 'utf8'))).toEqual(processed)

    // Each step gets every variable, every earlier step's output under its step id, and its aliases.
    expect(t.inputs['step-0']).toEqual({})
    expect(t.inputs['step-1']).toEqual({ fetched_data: fetched, 'step-0': t.result.stepOutputs['step-0'], input: fetched })
    expect(t.inputs['step-2']).toEqual({
      fetched_data: fetched,
      processed_data: processed,
      'step-0': t.result.stepOutputs['step-0'],
      'step-1': t.result.stepOutputs['step-1'],
      data_to_save: processed
    })
  })
})

describe('mappings', () => {
  it('an input alias gives the later step the variable under a new name; output_mapping sets variables from output keys', async () => {
    const t = await run(
      [
        step(0, 'Make', py(emit('{"value": 21, "other": "x"}')), { output_mapping: { answer_half: 'value' } }),
        step(1, 'Double', py(emit('{"doubled": variables["half"] * 2, "saw_original": variables["answer_half"]}')), {
          input_mapping: { half: 'answer_half' },
          output_mapping: { answer: 'doubled' }
        })
      ],
      { initialVariables: { greeting: 'hi' } }
    )
    expect(t.result.status).toBe('SUCCESS')
    expect(t.result.variables).toEqual({ greeting: 'hi', answer_half: 21, answer: 42 })
    expect(t.result.stepOutputs['step-1']).toEqual({ doubled: 42, saw_original: 21 })
    // Output keys that are not mapped stay in the step's output only.
    expect(t.result.variables).not.toHaveProperty('other')
  })

  it('a mapped key missing from the output gives a warning and the run still succeeds', async () => {
    const t = await run([
      step(0, 'Partial', py(emit('{"present": 1}')), { output_mapping: { got: 'present', lost: 'absent' } }),
      step(1, 'List', py(emit('[1, 2]')), { output_mapping: { first: 'x' } }),
      step(2, 'After', py(emit('{"ok": True}')))
    ])
    expect(t.result.status).toBe('SUCCESS')
    expect(t.result.variables).toEqual({ got: 1 })
    expect(t.warnings['step-0']).toEqual([
      'output_mapping: the output has no key "absent" (its keys: present); variable "lost" was not set.'
    ])
    expect(t.warnings['step-1']).toEqual([
      'output_mapping: the output has no key "x" (the output is not a JSON object); variable "first" was not set.'
    ])
    expect(t.started).toEqual(['step-0', 'step-1', 'step-2'])
  })

  it('an input_mapping naming an undefined variable fails that step before it starts; later steps never start', async () => {
    const t = await run(
      [
        step(0, 'Fetch_Data', py(emit('{"data": [1]}')), { output_mapping: { fetched_data: 'data' } }),
        step(1, 'Process_Data', touch('process-ran.txt'), { input_mapping: { input: 'fetched_dta' } }),
        step(2, 'Save_Data', touch('save-ran.txt'))
      ],
      { initialVariables: { user_input: 'hello' } }
    )
    expect(t.result.status).toBe('FAILED')
    expect(t.result.statuses).toEqual({ 'step-0': 'SUCCESS', 'step-1': 'FAILED', 'step-2': 'SKIPPED' })
    expect(t.result.skipped).toEqual(['step-2'])
    expect(t.started).toEqual(['step-0'])
    const message = t.rejected['step-1']
    expect(message).toContain('"input" → "fetched_dta"')
    expect(message).toContain('Defined variables: user_input, fetched_data.')
    expect(t.result.error).toContain('Step "Process_Data" could not start')
    expect(existsSync(join(t.workDir, 'process-ran.txt'))).toBe(false)
    expect(existsSync(join(t.workDir, 'save-ran.txt'))).toBe(false)
  })

  it('says so when no variables are defined at all', async () => {
    const t = await run([step(0, 'First', touch('ran.txt'), { input_mapping: { a: 'missing' } })])
    expect(t.result.status).toBe('FAILED')
    expect(t.rejected['step-0']).toContain('No variables are defined at this point.')
    expect(existsSync(join(t.workDir, 'ran.txt'))).toBe(false)
  })
})

describe('stopping', () => {
  it('a failing step stops the run: FAILED with its exit code and stderr, the later steps SKIPPED', async () => {
    const t = await run([
      step(0, 'Ok', py(emit('{"n": 1}'))),
      step(1, 'Broken', py('print("Error: cannot reach the server", file=sys.stderr)', 'sys.exit(4)')),
      step(2, 'Later', touch('later-ran.txt'))
    ])
    expect(t.result.status).toBe('FAILED')
    expect(t.result.statuses).toEqual({ 'step-0': 'SUCCESS', 'step-1': 'FAILED', 'step-2': 'SKIPPED' })
    expect(t.result.error).toContain('Step "Broken"')
    expect(t.result.error).toContain('exit code 4')
    expect(t.result.error).toContain('Error: cannot reach the server')
    expect(t.started).toEqual(['step-0', 'step-1'])
    expect(existsSync(join(t.workDir, 'later-ran.txt'))).toBe(false)
    expect(t.result.stepOutputs).toEqual({ 'step-0': { n: 1 } })
  })

  it('a timed-out step stops the run as TIMED_OUT', async () => {
    const t = await run([step(0, 'Slow', py('time.sleep(30)'), { timeout_seconds: 0.5 }), step(1, 'Later', touch('later.txt'))])
    expect(t.result.status).toBe('TIMED_OUT')
    expect(t.result.statuses).toEqual({ 'step-0': 'TIMED_OUT', 'step-1': 'SKIPPED' })
    expect(existsSync(join(t.workDir, 'later.txt'))).toBe(false)
  })

  it('aborting the signal cancels the running step and skips the rest', async () => {
    const abort = new AbortController()
    const pending = run(
      [step(0, 'Slow', py('print("going", file=sys.stderr, flush=True)', 'time.sleep(30)')), step(1, 'Later', touch('later.txt'))],
      {
        signal: abort.signal
      }
    )
    setTimeout(() => abort.abort(), 400)
    const t = await pending
    expect(t.result.status).toBe('CANCELLED')
    expect(t.result.statuses).toEqual({ 'step-0': 'CANCELLED', 'step-1': 'SKIPPED' })
    expect(existsSync(join(t.workDir, 'later.txt'))).toBe(false)
  })
})

describe('dependencies', () => {
  it('runs independent steps side by side when maxParallel allows, and a step waits for all it depends on', async () => {
    const sleeper = py('start = time.time()', 'time.sleep(0.5)', emit('{"start": start, "end": time.time()}'))
    const t = await run(
      [
        step(0, 'A', sleeper, { depends_on: [] }),
        step(1, 'B', sleeper, { depends_on: [] }),
        step(2, 'Join', py(emit('{"saw": sorted(k for k in variables if k.startswith("step-"))}')), { depends_on: ['step-0', 'step-1'] })
      ],
      { maxParallel: 2 }
    )
    expect(t.result.status).toBe('SUCCESS')
    expect(t.result.stepOutputs['step-2']).toEqual({ saw: ['step-0', 'step-1'] })
    // A and B ran at the same time: each started before the other ended.
    const a = t.result.stepOutputs['step-0'] as { start: number; end: number }
    const b = t.result.stepOutputs['step-1'] as { start: number; end: number }
    expect(a.start).toBeLessThan(b.end)
    expect(b.start).toBeLessThan(a.end)
  })

  it('refuses a dependency on an unknown step and a cycle, naming the steps', () => {
    const s = (order: number, name: string, deps: string[] | null): Step => step(order, name, '', { depends_on: deps })
    expect(() => dependencyGraph([s(0, 'A', null), s(1, 'B', ['nope'])])).toThrow(
      'step "B" → depends_on: "nope" is not a step of this workflow'
    )
    expect(() => dependencyGraph([s(0, 'A', ['step-1']), s(1, 'B', ['step-0'])])).toThrow(/in a circle: (A → B → A|B → A → B)/)
    expect(() => dependencyGraph([s(0, 'A', ['step-0'])])).toThrow('step "A" → depends_on: a step cannot depend on itself')
  })
})
