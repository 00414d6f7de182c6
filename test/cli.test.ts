// The built CLI as people run it: `node bin/stepwise.js ...` in a subprocess, real Python, a real database file.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Step } from '../src/shared/model'
import { parseWorkflowText } from '../src/main/services/workflow-file'
import { ensureCliBuilt, runCli, startCli } from './helpers/cli'
import { isRunning, readPids, waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { EXAMPLE_PATH, emit, py, step, hangWithChild } from './helpers/workflows'

let dir: string
let db: string

beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-cli-')
  db = join(dir, 'cli.db')
}, 120_000)
afterAll(cleanupTempDirs)

let n = 0
function folder(name = `f${++n}`): string {
  const p = join(dir, name)
  mkdirSync(p, { recursive: true })
  return p
}
function workflowFile(name: string, steps: Step[], extra: Record<string, unknown> = {}): string {
  const file = join(dir, `${name.replace(/\W/g, '_')}-${++n}.json`)
  writeFileSync(file, JSON.stringify({ name, steps, ...extra }, null, 2))
  return file
}
/** stdout must be exactly one JSON value and nothing else. */
function onlyJson(stdout: string): any {
  expect(stdout.trim().startsWith('{') || stdout.trim().startsWith('[')).toBe(true)
  return JSON.parse(stdout)
}
const run = (file: string, ...args: string[]) => runCli(['run', file, '--db', db, '--python', PYTHON, ...args])

describe('stepwise run', () => {
  it('--json prints exactly one JSON object with the execution; progress goes to stderr; exit 0', async () => {
    const wd = folder()
    const r = await run(EXAMPLE_PATH, '--json', '--workdir', wd)
    expect(r.code).toBe(0)
    const out = onlyJson(r.stdout)
    expect(Object.keys(out).sort()).toEqual(
      [
        'completed_at',
        'error',
        'execution_id',
        'resumed_from',
        'started_at',
        'status',
        'step_outputs',
        'steps',
        'trigger',
        'trigger_id',
        'variables',
        'workflow_id'
      ].sort()
    )
    expect(out.status).toBe('SUCCESS')
    expect(out.trigger).toBe('cli')
    expect(out.error).toBeNull()
    expect(out.workflow_id).toMatch(/^file-[0-9a-f]{12}$/)
    expect(out.variables.processed_data).toEqual([1, 2, 3].map((id) => ({ id, processed: true })))
    expect(Object.keys(out.step_outputs)).toEqual(['step-0', 'step-1', 'step-2'])
    expect(out.steps).toHaveLength(3)
    for (const s of out.steps) {
      expect(Object.keys(s).sort()).toEqual(
        [
          'attempts',
          'duration_ms',
          'error',
          'exit_code',
          'id',
          'logs',
          'name',
          'on_failure',
          'order',
          'output',
          'previous_attempts',
          'reused_from',
          'script_path',
          'status',
          'variables_path'
        ].sort()
      )
      expect(s).toMatchObject({ status: 'SUCCESS', exit_code: 0, error: null, script_path: null, variables_path: null })
      expect(s.duration_ms).toBeGreaterThan(0)
    }
    expect(out.steps.map((s: { id: string; name: string; order: number }) => [s.id, s.name, s.order])).toEqual([
      ['step-0', 'Fetch_Data', 0],
      ['step-1', 'Process_Data', 1],
      ['step-2', 'Save_Data', 2]
    ])
    expect(out.steps[0].logs).toBe('Fetching data...\n')
    expect(existsSync(join(wd, 'output.json'))).toBe(true)
    expect(r.stderr).toContain('▶ Fetch_Data')
    expect(r.stderr).toContain('│ Fetching data...')
    expect(r.stdout).not.toContain('▶')

    // show --json gives the same record back.
    const shown = await runCli(['show', out.execution_id, '--db', db, '--json'])
    expect(shown.code).toBe(0)
    expect(onlyJson(shown.stdout)).toEqual(out)
  })

  it('exit 1 when a step fails, with the error, exit code and skipped steps in the JSON', async () => {
    const file = workflowFile('Fails', [
      step(0, 'Boom', py('print("Error: no input file", file=sys.stderr)', 'sys.exit(5)')),
      step(1, 'Never', py(`open("never.txt", "w").close()`))
    ])
    const wd = folder()
    const r = await run(file, '--json', '--workdir', wd)
    expect(r.code).toBe(1)
    const out = onlyJson(r.stdout)
    expect(out.status).toBe('FAILED')
    expect(out.steps.map((s: { status: string }) => s.status)).toEqual(['FAILED', 'SKIPPED'])
    expect(out.steps[0].exit_code).toBe(5)
    expect(out.steps[0].error).toContain('Error: no input file')
    expect(out.error).toContain('Step "Boom"')
    expect(existsSync(join(wd, 'never.txt'))).toBe(false)
    // Without --json a person gets a summary on stdout.
    const human = await run(file, '--workdir', wd)
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(/Execution \S+: FAILED/)
    expect(human.stdout).toContain('exit code 5')
  })

  it("--var NAME=JSON sets initial variables (text when it is not JSON), over the workflow's own", async () => {
    const file = workflowFile(
      'Vars',
      [step(0, 'Echo', py(emit('{k: variables[k] for k in ["count", "names", "greeting", "도시", "kept"]}')))],
      { variables: { count: 1, kept: 'from file' } }
    )
    const r = await run(
      file,
      '--json',
      '--workdir',
      folder(),
      '--var',
      'count=3',
      '--var',
      'names=["a","b"]',
      '--var',
      'greeting=hello there',
      '--var',
      '도시="서울 🌆"'
    )
    expect(r.code).toBe(0)
    const out = onlyJson(r.stdout)
    expect(out.steps[0].output).toEqual({ count: 3, names: ['a', 'b'], greeting: 'hello there', 도시: '서울 🌆', kept: 'from file' })
    expect(out.variables).toEqual({ count: 3, kept: 'from file', names: ['a', 'b'], greeting: 'hello there', 도시: '서울 🌆' })
  })

  it('--workdir sets where the steps run; --python sets the interpreter', async () => {
    const wd = folder('작업 폴더 with space')
    const file = workflowFile('Where', [step(0, 'Where', py(emit('{"cwd": os.getcwd(), "exe": sys.executable}')))])
    const r = await run(file, '--json', '--workdir', wd)
    expect(r.code).toBe(0)
    const out = onlyJson(r.stdout).steps[0].output
    expect(realpathSync(out.cwd)).toBe(realpathSync(wd))
    expect(realpathSync(out.exe)).toBe(realpathSync(PYTHON))
  })

  it('--debug keeps the script and variables files and records where; without it nothing is left in the temp folder', async () => {
    const file = workflowFile('Debug', [step(0, 'Keep Me', py(emit('{"x": variables["x"]}')))])
    const tmp = folder('tmp-debug')
    const env = { TMPDIR: tmp, TMP: tmp, TEMP: tmp }
    const plain = await runCli(['run', file, '--db', db, '--python', PYTHON, '--json', '--workdir', folder(), '--var', 'x=5'], { env })
    expect(plain.code).toBe(0)
    expect(onlyJson(plain.stdout).steps[0]).toMatchObject({ script_path: null, variables_path: null })
    expect(readdirSync(tmp)).toEqual([])

    const workdir = folder()
    const r = await runCli(['run', file, '--db', db, '--python', PYTHON, '--json', '--workdir', workdir, '--debug', '--var', 'x=5'], {
      env
    })
    expect(r.code).toBe(0)
    const s = onlyJson(r.stdout).steps[0]
    expect(s.script_path).toMatch(/step_1_Keep_Me\.py$/)
    expect(s.variables_path).toMatch(/step_1_Keep_Me\.json$/)
    expect(s.script_path.startsWith(tmp)).toBe(true)
    expect(JSON.parse(readFileSync(s.variables_path, 'utf8'))).toEqual({ x: 5 })
    expect(existsSync(s.script_path)).toBe(true)
    // The summary tells a person how to re-run the step by hand.
    // The id as the window shows it, its first 8 characters, is enough.
    const id = onlyJson(r.stdout).execution_id as string
    const shown = await runCli(['show', id.slice(0, 8), '--db', db])
    expect(shown.stdout).toContain(`Execution ${id}:`)
    expect(shown.stdout).toContain(
      `re-run by hand: cd '${workdir}' && '${PYTHON}' '${s.script_path}' --variables-file '${s.variables_path}'`
    )
  })

  it('--timeout stops a slow step: TIMED_OUT, exit 1, quickly', async () => {
    const file = workflowFile('Slow', [step(0, 'Sleep', py('print("sleeping", file=sys.stderr, flush=True)', 'time.sleep(20)'))])
    const t0 = Date.now()
    const r = await run(file, '--json', '--workdir', folder(), '--timeout', '0.5')
    expect(Date.now() - t0).toBeLessThan(8000)
    expect(r.code).toBe(1)
    const out = onlyJson(r.stdout)
    expect(out.status).toBe('TIMED_OUT')
    expect(out.steps[0].logs).toBe('sleeping\n')
  })
})

describe.skipIf(process.platform === 'win32')('Ctrl+C', () => {
  it("SIGINT stops the run: CANCELLED, exit 1, the step's process tree gone, the later steps SKIPPED", async () => {
    const wd = folder()
    const pidfile = join(wd, 'pids')
    const file = workflowFile('Interrupted', [
      step(0, 'Long', hangWithChild(JSON.stringify(pidfile))),
      step(1, 'After', py('open("after.txt", "w").close()'))
    ])
    const cli = startCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', wd, '--json'])
    const out: Buffer[] = []
    const err: Buffer[] = []
    cli.stdout!.on('data', (b: Buffer) => out.push(b))
    cli.stderr!.on('data', (b: Buffer) => err.push(b))
    const code = new Promise<number | null>((r) => cli.once('close', (c) => r(c)))
    try {
      const pids = await readPids(pidfile, 2)
      cli.kill('SIGINT')
      expect(await code).toBe(1)
      const result = onlyJson(Buffer.concat(out).toString('utf8'))
      expect(result.status).toBe('CANCELLED')
      expect(result.steps.map((s: { status: string }) => s.status)).toEqual(['CANCELLED', 'SKIPPED'])
      expect(Buffer.concat(err).toString('utf8')).toContain('Stopping…')
      expect(await waitFor(() => pids.every((p) => !isRunning(p)), 3000)).toBe(true)
      expect(existsSync(join(wd, 'after.txt'))).toBe(false)
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL')
    }
  })
})

describe('bad input: exit 2 and a message on stderr', () => {
  it('bad files, unknown ids, bad options and unknown commands', async () => {
    const notJson = join(dir, 'not-json.json')
    writeFileSync(notJson, '{ "name": "oops", ')
    const noCode = workflowFile('No code', [{ ...step(0, 'Fetch_Data', ''), code: undefined } as unknown as Step])
    const badType = workflowFile('Bad type', [
      step(0, 'Fetch_Data', 'print(1)'),
      { ...step(1, 'Process_Data', 'print(1)'), step_type: 'BASH' } as unknown as Step
    ])
    const ok = workflowFile('Fine', [step(0, 'A', py(emit('{}')))])
    // The cases with a valid file use their own database: only the bad files must leave no trace.
    const okDb = join(folder(), 'ok.db')
    const cases: [string[], RegExp][] = [
      [['run', notJson, '--db', db], /not-json\.json is not a valid workflow:\nit is not JSON/],
      [['run', noCode, '--db', db], /steps\[0\] "Fetch_Data"\.code/],
      [['run', badType, '--db', db], /steps\[1\] "Process_Data"\.step_type: must be one of PYTHON_SCRIPT/],
      [['import', badType, '--db', db], /steps\[1\] "Process_Data"\.step_type/],
      [['run', join(dir, 'missing.json'), '--db', db], /missing\.json is not a valid workflow:\nthe file does not exist/],
      [['run', 'no-such-workflow-id', '--db', db], /No workflow with id "no-such-workflow-id"/],
      [['show', 'no-such-execution', '--db', db], /No execution with id "no-such-execution"/],
      [['run', ok, '--db', okDb, '--timeout', '0'], /--timeout needs a number of seconds above 0 and at most 604800 \(a week\), got "0"/],
      [
        ['run', ok, '--db', okDb, '--timeout', 'soon'],
        /--timeout needs a number of seconds above 0 and at most 604800 \(a week\), got "soon"/
      ],
      [['run', ok, '--db', okDb, '--var', 'novalue'], /--var needs NAME=VALUE/],
      [['run', ok, '--db', okDb, '--python', join(dir, 'no', 'python3')], /does not exist/],
      [['run', ok, '--db', okDb, '--workdir', join(dir, 'no such folder')], /no such folder" does not exist/],
      [['frobnicate', '--db', db], /Unknown command "frobnicate"/],
      [['run', '--db', db], /Missing a workflow file or id/],
      [['list', '--db', db, '--bogus-flag'], /bogus-flag/],
      [[], /Usage:/]
    ]
    const listBefore = onlyJson((await runCli(['list', '--json', '--db', db])).stdout)
    const results = await Promise.all(cases.map(([args]) => runCli(args)))
    results.forEach((r, i) => {
      const [args, message] = cases[i]
      // stderr rides along when the code is wrong, so a failure says why it was not a bad-input exit.
      expect({ args, code: r.code, stderr: r.code === 2 ? null : r.stderr }).toEqual({ args, code: 2, stderr: null })
      expect(`${r.stderr}${args.length ? '' : r.stdout}`).toMatch(message)
      if (args.length) expect(r.stdout).toBe('')
    })
    // Nothing of the bad files was stored.
    expect(onlyJson((await runCli(['list', '--json', '--db', db])).stdout)).toEqual(listBefore)
  })
})

describe('several processes on one database', () => {
  it('six CLI processes opening a new database at the same moment all succeed', async () => {
    const fresh = join(folder(), 'new.db')
    const results = await Promise.all(Array.from({ length: 6 }, () => runCli(['list', '--json', '--db', fresh])))
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' })
    expect(results.map((r) => JSON.parse(r.stdout))).toEqual(Array.from({ length: 6 }, () => []))
  })
})

describe('workflows in and out', () => {
  it('import then export gives the same steps; importing the export again gives a copy with the same steps', async () => {
    const imported = await runCli(['import', EXAMPLE_PATH, '--db', db])
    expect(imported.code).toBe(0)
    const id = imported.stdout.trim()
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const out = join(dir, 'exported.json')
    expect((await runCli(['export', id, '--db', db, '--out', out])).code).toBe(0)
    const original = parseWorkflowText(readFileSync(EXAMPLE_PATH, 'utf8'))
    const exported = parseWorkflowText(readFileSync(out, 'utf8'))
    expect(exported.id).toBe(id)
    // Earlier tests may have imported the example into this database already: a name that exists gets "(2)"…
    expect(exported.name).toMatch(/^Fetch, process, save \(reference example\)( \(\d+\))?$/)
    expect(exported.name.startsWith(original.name)).toBe(true)
    expect(exported.steps).toEqual(original.steps)

    const again = await runCli(['import', out, '--db', db])
    expect(again.code).toBe(0)
    const copyId = again.stdout.trim()
    expect(copyId).not.toBe(id) // the id was taken, so the copy gets its own
    const toStdout = await runCli(['export', copyId, '--db', db])
    expect(parseWorkflowText(toStdout.stdout).steps).toEqual(original.steps)
    // Never two workflows a person cannot tell apart.
    expect(parseWorkflowText(toStdout.stdout).name).not.toBe(exported.name)
  })

  it('export-scripts writes workflow_scripts/<id>/step_<order>_<name>.py with the exact code', async () => {
    const imported = await runCli(['import', EXAMPLE_PATH, '--db', db])
    const id = imported.stdout.trim()
    const target = folder('scripts out')
    const r = await runCli(['export-scripts', id, '--db', db, '--dir', target])
    expect(r.code).toBe(0)
    const [printedFolder, ...files] = r.stdout.trim().split('\n')
    expect(printedFolder).toBe(join(target, 'workflow_scripts', id))
    const names = ['step_0_Fetch_Data.py', 'step_1_Process_Data.py', 'step_2_Save_Data.py']
    expect(files).toEqual(names.map((f) => join(target, 'workflow_scripts', id, f)))
    const example = parseWorkflowText(readFileSync(EXAMPLE_PATH, 'utf8'))
    files.forEach((f, i) => expect(readFileSync(f, 'utf8')).toBe(example.steps[i].code))
  })

  it('list, history and show --json describe what was stored and run', async () => {
    const listDb = join(folder(), 'own.db')
    const file = workflowFile('Listed 목록', [step(0, 'A', py(emit('{"a": 1}')), { output_mapping: { a: 'a' } })])
    const first = onlyJson((await runCli(['run', file, '--db', listDb, '--python', PYTHON, '--json', '--workdir', folder()])).stdout)
    const second = onlyJson((await runCli(['run', file, '--db', listDb, '--python', PYTHON, '--json', '--workdir', folder()])).stdout)
    // A file run twice is one workflow with two runs.
    expect(second.workflow_id).toBe(first.workflow_id)

    const list = onlyJson((await runCli(['list', '--json', '--db', listDb])).stdout)
    expect(list).toEqual([expect.objectContaining({ id: first.workflow_id, name: 'Listed 목록', step_count: 1, last_status: 'SUCCESS' })])

    const history = await runCli(['history', first.workflow_id, '--json', '--db', listDb])
    expect(history.code).toBe(0)
    const rows = onlyJson(history.stdout)
    expect(rows.map((h: { execution_id: string }) => h.execution_id)).toEqual([second.execution_id, first.execution_id])
    expect(rows[0]).toMatchObject({ workflow_id: first.workflow_id, workflow_name: 'Listed 목록', status: 'SUCCESS' })
    expect(rows[0].duration_ms).toBeGreaterThanOrEqual(0)
    expect(onlyJson((await runCli(['history', '--json', '--db', listDb])).stdout)).toHaveLength(2)
    expect(onlyJson((await runCli(['history', 'other-id', '--json', '--db', listDb])).stdout)).toEqual([])

    const shown = onlyJson((await runCli(['show', first.execution_id, '--json', '--db', listDb])).stdout)
    expect(shown).toMatchObject({ execution_id: first.execution_id, status: 'SUCCESS', variables: { a: 1 } })
  })

  it('interpreters --json lists real executables, the test Python among them, no shims', async () => {
    const r = await runCli(['interpreters', '--json', '--db', db], { timeoutMs: 30_000 })
    expect(r.code).toBe(0)
    const found = onlyJson(r.stdout) as { path: string; version: string; architecture: string; source: string }[]
    expect(found.length).toBeGreaterThan(0)
    expect(found.map((p) => p.path)).toContain(PYTHON)
    for (const p of found) {
      expect(p.path).not.toMatch(/[\\/]shims[\\/]/)
      expect(p.version).toMatch(/^3\.\d+\.\d+/)
    }
  })
})
