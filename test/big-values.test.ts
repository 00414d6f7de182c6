// Outputs over 1 MB are kept in files beside the database (values/<run>/) and read from there a piece at a
// time. What a user notices: the reference's rules still hold for them (text that is not JSON becomes
// {"result": ...}, secrets are taken out), a step printing without end is stopped with a clear error and
// never leaves the run RUNNING, and a run's values live and die with the run (replay, resume, delete).
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { runPythonStep, WorkflowRunner } from '../src/main/services/engine'
import { createRedactor } from '../src/main/services/secrets'
import { deleteRuns, trimHistory } from '../src/main/services/history'
import type { JsonText } from '../src/shared/json-text'
import { stepRequest } from './helpers/step-request'
import { fakePlatform } from './helpers/platform'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'
import { PYTHON } from './helpers/python'
import { Store } from '../src/main/services/store'
import { CLI_BIN, ensureCliBuilt } from './helpers/cli'
import { explainStepError } from '../src/shared/recorded-error-text'
import { translate } from '../src/renderer/src/i18n'
import { createRequestHandlers, dispatchRequest } from '../src/main/services/request-handlers'

afterAll(cleanupTempDirs)

function textOf(text: JsonText | null | undefined): string {
  if (!text) throw new Error('no text recorded')
  return text.file === undefined ? text.json : readFileSync(text.file).subarray(text.start, text.end).toString('utf8')
}

describe('a step output over 1 MB', () => {
  it('that is not JSON becomes {"result": text}, trimmed of its blank lines as the seed does', async () => {
    const root = makeTempDir()
    const r = await runPythonStep(
      stepRequest(root, py('sys.stdout.write("\\n  " + "줄 line\\t\\"q\\"\\n" * 200000 + "  \\n\\n")'), { valuesDir: join(root, 'values') })
    )
    expect(r.status, r.error ?? '').toBe('SUCCESS')
    expect(r.output?.text.file).toBeDefined()
    const expected = ('줄 line\t"q"\n'.repeat(200000) as string).trim()
    expect(JSON.parse(textOf(r.output!.text))).toEqual({ result: expected })
    expect(JSON.parse(textOf(r.output!.entries!.get('result')))).toBe(expected)
    // Only the made output is left: the raw stdout it was made from is gone.
    expect(readdirSync(join(root, 'values'))).toEqual([expect.stringMatching(/\.result\.json$/)])
  })

  it("is JSON exactly when Python's json.loads(stdout.strip()) reads it, small or big, whatever whitespace is at its ends", async () => {
    const root = makeTempDir()
    // Python's strip() cuts \f, \x1c, \x85 and \u3000 but not a byte-order mark; JavaScript's trim() differs on each.
    const ends = ['\\f', '\\x1c', '\\x85', '\\u3000', '\\ufeff', '\\u2028 \\n']
    for (const size of [10, 1_500_000]) {
      for (const end of ends) {
        for (const [before, after] of [
          [end, ''],
          ['', end]
        ]) {
          const body = `json.dumps({"a": "x" * ${size}})`
          const code = py(`out = "${before}" + ${body} + "${after}"`, 'sys.stdout.buffer.write(out.encode("utf-8"))')
          const expected = execFileSync(
            PYTHON,
            [
              '-c',
              `import json\nout = "${before}" + ${body} + "${after}"\ntry:\n  json.loads(out.strip()); print("json")\nexcept ValueError:\n  print("text")`
            ],
            { encoding: 'utf8' }
          ).trim()
          const r = await runPythonStep(stepRequest(root, code, { valuesDir: join(root, 'values') }))
          expect(r.status, r.error ?? '').toBe('SUCCESS')
          expect(
            r.output!.entries!.has('a') ? 'json' : 'text',
            `${size} bytes, ${JSON.stringify(before)} before, ${JSON.stringify(after)} after`
          ).toBe(expected)
        }
      }
    }
  })

  it('of a million keys keeps only the keys its output_mapping reads, and counts the rest', async () => {
    const root = makeTempDir()
    const code = py('print(json.dumps({str(i): i for i in range(1_000_000)}))')
    const r = await runPythonStep(stepRequest(root, code, { valuesDir: join(root, 'values'), outputKeys: ['7', '999999', 'nope'] }))
    expect(r.status, r.error ?? '').toBe('SUCCESS')
    expect([...r.output!.entries!.keys()]).toEqual(['7', '999999'])
    expect(textOf(r.output!.entries!.get('999999'))).toBe('999999')
    expect(r.output!.keys).toEqual({ count: 1_000_000, sample: Array.from({ length: 20 }, (_, i) => String(i)) })
    // The run's missing-key warning still names the keys it has.
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const run = await saveAndRun(services, workflow('keys', [step(0, 'Many', code, { output_mapping: { seven: '7', gone: 'nope' } })]), {
      workingDirectory: dir
    })
    expect(run.status).toBe('SUCCESS')
    expect(services.store.executionTexts(run.id).variables.get('seven')).toBeDefined()
    expect(textOf(services.store.executionTexts(run.id).variables.get('seven'))).toBe('7')
    expect(run.steps[0].logs).toMatch(/no key "nope" \(its keys: 0, 1, 2, .*, 19, … 1000000 in all\)/)
    services.store.close()
  })

  it("that is text with Windows line ends is read as the seed's text mode reads it: \\r\\n and \\r become \\n, small or big", async () => {
    const root = makeTempDir()
    for (const n of [3, 200_000]) {
      const data = `"a\\r\\nb\\rc\\n한\\r" * ${n} + "\\r\\n"`
      const code = py(`sys.stdout.buffer.write((${data}).encode("utf-8"))`)
      const seed = execFileSync(
        PYTHON,
        [
          '-c',
          `import io, json\nraw = (${data}).encode("utf-8")\nprint(json.dumps(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", newline=None).read().strip()))`
        ],
        { encoding: 'utf8', maxBuffer: 64 << 20 }
      )
      const r = await runPythonStep(stepRequest(root, code, { valuesDir: join(root, 'values') }))
      expect(r.status, r.error ?? '').toBe('SUCCESS')
      expect(JSON.parse(textOf(r.output!.entries!.get('result'))), `${n} times`).toBe(JSON.parse(seed))
    }
  })

  it('has its secrets taken out before it is kept, even where a secret is cut between two reads', async () => {
    const root = makeTempDir()
    const secret = 'Tok3n-VALUE-9f8e7d'
    const r = await runPythonStep(
      stepRequest(root, py(`print(json.dumps({"rows": ["x" * 997 + "${secret}" for _ in range(3000)], "key": "${secret}"}))`), {
        valuesDir: join(root, 'values'),
        redactor: createRedactor([secret])
      })
    )
    expect(r.status, r.error ?? '').toBe('SUCCESS')
    const kept = textOf(r.output!.text)
    expect(kept.length).toBeGreaterThan(1 << 20)
    expect(kept).not.toContain(secret)
    expect(JSON.parse(textOf(r.output!.entries!.get('key')))).toBe('***')
  })

  it('past the output limit stops the step with a clear error, and keeps nothing', async () => {
    const root = makeTempDir()
    const r = await runPythonStep(
      stepRequest(root, py('while True: sys.stdout.write("x" * 65536)'), { valuesDir: join(root, 'values'), maxOutputBytes: 3 << 20 })
    )
    expect(r.status).toBe('FAILED')
    expect(r.error).toMatch(/wrote more than 3 MB to stdout .* was stopped/)
    expect(r.output).toBeNull()
    expect(existsSync(join(root, 'values')) ? readdirSync(join(root, 'values')) : []).toEqual([])
  })
})

describe("a run's values kept in files", () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const name of ['STEPWISE_MAX_OUTPUT_MB', 'STEPWISE_MAX_LOG_MB']) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })

  it('an output over the limit (STEPWISE_MAX_OUTPUT_MB) fails the run; it is not left RUNNING', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    process.env.STEPWISE_MAX_OUTPUT_MB = '2'
    const run = await saveAndRun(
      services,
      workflow('flood', [step(0, 'Flood', py('while True: print("y" * 100000)')), step(1, 'After', py(emit('{}')))]),
      {
        workingDirectory: dir
      }
    )
    expect(run.status).toBe('FAILED')
    expect(run.steps.map((s) => s.status)).toEqual(['FAILED', 'SKIPPED'])
    expect(run.steps[0].error).toMatch(/more than 2 MB/)
    // The recorded English sentence is said in the window's language.
    expect(explainStepError(run.steps[0].error!)).toEqual({ code: 'stepOutputTooBig', params: { limit: '2 MB' } })
    expect(translate('ko', 'errko.stepOutputTooBig', { limit: '2 MB' })).toMatch(/^스크립트가 stdout에 2 MB보다 많이/)
    services.store.close()
  })

  it('a log longer than the database keeps is kept whole beside it, up to the log limit (STEPWISE_MAX_LOG_MB)', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    process.env.STEPWISE_MAX_LOG_MB = '2'
    const chatty = py('for i in range(50000): print("line %06d " % i + "z" * 90, file=sys.stderr)', emit('{"done": True}'))
    const run = await saveAndRun(services, workflow('chatty', [step(0, 'Chatty', chatty)]), { workingDirectory: dir })
    expect(run.status).toBe('SUCCESS')
    const logs = run.steps[0].logs
    expect(logs.length).toBeLessThan(1.1 * (1 << 20))
    expect(logs).toContain('line 049999')
    const path = /the full log is in (.+?)\) …/.exec(logs)![1]
    const full = readFileSync(path, 'utf8')
    expect(full.startsWith('line 000000 ')).toBe(true)
    expect(full).toContain('line 019000 ')
    expect(full).not.toContain('line 049999')
    expect(full.trimEnd().endsWith('the full log stops here: it passed 2 M characters (the end is kept in the database).')).toBe(true)
    services.store.close()
  })

  it('a resumed run keeps its reused values when the run it resumes is deleted while it goes on', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const make = py('print(json.dumps({"blob": "값" * 700000}, ensure_ascii=False))')
    // Fails until "ok" exists, then waits for "go": the resumed run is held here while its source is deleted.
    const wait = py('if not os.path.exists("ok"): sys.exit(3)', 'while not os.path.exists("go"): time.sleep(0.05)', emit('{}'))
    const check = py(emit('{"n": len(variables["blob"])}'))
    const steps = [step(0, 'Make', make, { output_mapping: { blob: 'blob' } }), step(1, 'Wait', wait), step(2, 'Check', check)]
    const first = await saveAndRun(services, workflow('resume-delete', steps), { workingDirectory: dir })
    expect(first.status).toBe('FAILED')
    writeFileSync(join(dir, 'ok'), '')
    const resumed = await services.runner.resume(first.id, { python: PYTHON })
    await expect.poll(() => services.store.getExecution(resumed.executionId).steps[1].status, { timeout: 20_000 }).toBe('RUNNING')
    await deleteRuns(services.store, [first.id])
    expect(existsSync(join(dir, 'stepwise-values', first.id))).toBe(false)
    writeFileSync(join(dir, 'go'), '')
    const done = await resumed.done
    expect(done.status, done.error ?? '').toBe('SUCCESS')
    expect(done.steps[2].output).toEqual({ n: 700000 })
    services.runner.dispose()
    services.store.close()
  })

  it('are never taken for orphans by another database in the same folder', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const other = new Store(join(dir, 'other.db'))
    const otherRunner = new WorkflowRunner(other, { tempRoot: services.tempRoot })
    const big = step(0, 'Make', py('print(json.dumps({"blob": "o" * 2_000_000}))'))
    const saved = other.saveWorkflow(workflow('other', [big]))
    const run = await (await otherRunner.start(saved.id, { python: PYTHON, workingDirectory: dir })).done
    expect(run.status).toBe('SUCCESS')
    expect(existsSync(join(dir, 'other-values', run.id))).toBe(true)
    // The first database's trim sweeps its own folder only.
    await trimHistory(services.store)
    expect(existsSync(join(dir, 'other-values', run.id))).toBe(true)
    otherRunner.dispose()
    other.close()
    services.store.close()
  })

  it('outlive the run they came from in a replay and a resume, and go with each run deleted', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const big = 'print(json.dumps({"blob": "서울" * 600000}, ensure_ascii=False))'
    const check = py(
      'b = variables["blob"]',
      'assert b == "서울" * 600000, len(b)',
      'if not os.path.exists("ok"): sys.exit(3)',
      emit('{"n": len(b)}')
    )
    const first = await saveAndRun(
      services,
      workflow('big', [step(0, 'Make', py(big), { output_mapping: { blob: 'blob' } }), step(1, 'Check', check)]),
      { workingDirectory: dir }
    )
    expect(first.status).toBe('FAILED')
    expect(readdirSync(join(dir, 'stepwise-values', first.id))).toHaveLength(1)

    // A replay of the second step is handed the 3.6 MB value from the first run's file.
    const replay = await (await services.runner.replayStep(first.id, 'step-1', { python: PYTHON })).done
    expect(replay.status).toBe('FAILED')
    // Resumed after the fix: the first step's output is reused, not run again.
    writeFileSync(join(dir, 'ok'), '')
    const resumed = await (await services.runner.resume(first.id, { python: PYTHON })).done
    expect(resumed.status, resumed.error ?? '').toBe('SUCCESS')
    expect(resumed.steps[0].reused_from).toBe(first.id)
    expect(resumed.steps[1].output).toEqual({ n: 1_200_000 })

    // Deleting the first run takes its folder; the resumed run's reused value still reads whole.
    await deleteRuns(services.store, [first.id, replay.id])
    expect(existsSync(join(dir, 'stepwise-values', first.id))).toBe(false)
    expect(existsSync(join(dir, 'stepwise-values', replay.id))).toBe(false)
    const reused = services.store.executionTexts(resumed.id).variables.get('blob')
    expect(JSON.parse(textOf(reused))).toBe('서울'.repeat(600000))

    // Deleting the workflow deletes its runs (cascade); the next trim takes their folders.
    services.store.deleteWorkflow(resumed.workflow_id)
    expect(existsSync(join(dir, 'stepwise-values', resumed.id))).toBe(true)
    await trimHistory(services.store)
    expect(existsSync(join(dir, 'stepwise-values', resumed.id))).toBe(false)
    services.store.close()
  })
})

describe('"Save as…" of a step output', () => {
  it('writes the output exactly as the step wrote it, big or small, where the person picked', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const picked: string[] = []
    const handlers = createRequestHandlers({
      store: services.store,
      runner: services.runner,
      platform: fakePlatform({
        pickSaveFile: async ({ defaultPath }) => {
          picked.push(defaultPath)
          return join(dir, `saved-${picked.length}.json`)
        },
        openInEditor: async () => 'editor'
      })
    })
    const bigCode = py('print(json.dumps({"n": 43.0, "rows": ["한글 %d" % i for i in range(200000)]}, ensure_ascii=False))')
    const run = await saveAndRun(
      services,
      workflow('save', [step(0, 'Big one', bigCode), step(1, 'Small', py('print(\'{"x": 1.50}\')'))]),
      { workingDirectory: dir }
    )
    expect(run.status, run.error ?? '').toBe('SUCCESS')
    // The window shows the big one as a note of its size: saving is how to get it.
    expect(run.steps[0].output).toMatch(/MB value/)
    for (const [i, stepId] of ['step-0', 'step-1'].entries()) {
      const answer = await dispatchRequest(handlers, 'executions:saveOutput', { id: run.id, step_id: stepId })
      if (!answer.ok) throw new Error(answer.error.message)
      const r = answer.value as { path: string }
      expect(r.path).toBe(join(dir, `saved-${i + 1}.json`))
      expect(readFileSync(r.path, 'utf8')).toBe(textOf(services.store.executionTexts(run.id).outputs.get(stepId)))
    }
    expect(readFileSync(join(dir, 'saved-2.json'), 'utf8')).toBe('{"x": 1.50}')
    expect(readFileSync(join(dir, 'saved-1.json'), 'utf8')).toContain('"n": 43.0, "rows": ["한글 0", ')
    expect(picked[0]).toBe(join(dir, 'Big_one-output.json'))
    services.runner.dispose()
    services.store.close()
  })
})

describe.runIf(process.platform === 'linux')('`show --json` of a big value into a pipe', () => {
  it('waits for a slow reader instead of queueing the value in memory, and the reader gets it whole', async () => {
    await ensureCliBuilt()
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const run = await saveAndRun(services, workflow('pipe', [step(0, 'Make', py('print(json.dumps({"blob": "z" * 150_000_000}))'))]), {
      workingDirectory: dir
    })
    expect(run.status, run.error ?? '').toBe('SUCCESS')
    services.store.close()
    const child = spawn(process.execPath, [CLI_BIN, 'show', run.id, '--json', '--db', services.dbPath], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    // The reader stays behind for a while; the CLI must wait for it, not read the value ahead into memory.
    child.stdout.pause()
    await new Promise((r) => setTimeout(r, 1500))
    const peakKb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0)
    const whileBehind = peakKb()
    let bytes = 0
    let tail = ''
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length
      tail = (tail + b.toString('latin1')).slice(-200)
    })
    child.stdout.resume()
    const code = await new Promise<number | null>((r) => child.on('close', r))
    expect(code).toBe(0)
    expect(bytes).toBeGreaterThan(150_000_000)
    expect(tail).toMatch(/\n\}\n$/)
    // 150 MB of value: a process that queued it would be far above this.
    expect(whileBehind).toBeLessThan(120_000)
  }, 120_000)
})
