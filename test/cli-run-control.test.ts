// Run control from the built CLI: retries, continue-on-error and its exit code, resume, --from-step and
// --only-step, as `--json` shows them, with real Python and a real database file.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Step } from '../src/shared/model'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, step } from './helpers/workflows'

let dir: string
let db: string

beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-cli-rc-')
  db = join(dir, 'cli.db')
}, 120_000)
afterAll(cleanupTempDirs)

let n = 0
function folder(): string {
  const p = join(dir, `f${++n}`)
  mkdirSync(p, { recursive: true })
  return p
}
function workflowFile(steps: Step[], extra: Record<string, unknown> = {}): string {
  const file = join(dir, `wf-${++n}.json`)
  writeFileSync(file, JSON.stringify({ id: `wf-${n}`, name: `Run control ${n}`, steps, ...extra }, null, 2))
  return file
}
const cli = (...args: string[]) => runCli([...args, '--db', db])
const json = (stdout: string) => JSON.parse(stdout)
/** Fails until a file named `marker` exists in the working folder. */
const needs = (marker: string) => py(`if not os.path.exists(${JSON.stringify(marker)}): sys.exit(9)`, emit('{"ok": True}'))

describe('stepwise run and resume with run control', () => {
  it('--json shows the attempts of a retried step and the trigger', async () => {
    const wd = folder()
    const flaky = py(
      'c = (int(open("n").read()) if os.path.exists("n") else 0) + 1',
      'open("n", "w").write(str(c))',
      'if c < 2: sys.exit(1)',
      emit('{"c": c}')
    )
    const file = workflowFile([step(0, 'Flaky', flaky, { retry: { count: 2, delay_seconds: 0, backoff: 1, exit_codes: null } })])
    const r = await cli('run', file, '--python', PYTHON, '--workdir', wd, '--json')
    expect(r.code).toBe(0)
    const out = json(r.stdout)
    expect(out.trigger).toBe('cli')
    expect(out.resumed_from).toBeNull()
    expect(out.steps[0].attempts).toBe(2)
    expect(out.steps[0].previous_attempts[0]).toMatchObject({ attempt: 1, status: 'FAILED', exit_code: 1 })
    expect(r.stderr).toContain('↻ Flaky attempt 2')
  })

  it('completed with errors exits 1, or 0 with --allow-errors', async () => {
    const file = workflowFile([step(0, 'May_fail', py('sys.exit(3)'), { continue_on_error: true }), step(1, 'Then', py(emit('{}')))])
    const plain = await cli('run', file, '--python', PYTHON, '--workdir', folder(), '--json')
    expect(plain.code).toBe(1)
    expect(json(plain.stdout).status).toBe('COMPLETED_WITH_ERRORS')
    const allowed = await cli('run', file, '--python', PYTHON, '--workdir', folder(), '--allow-errors')
    expect(allowed.code).toBe(0)
    expect(allowed.stdout).toContain('COMPLETED_WITH_ERRORS')
  })

  it('resume <id> reuses what succeeded; --json shows trigger resume and resumed_from', async () => {
    const wd = folder()
    const file = workflowFile([
      step(0, 'Fetch', py(emit('{"rows": 3}')), { output_mapping: { rows: 'rows' } }),
      step(1, 'Send', needs('sent-ok'))
    ])
    const failed = await cli('run', file, '--python', PYTHON, '--workdir', wd, '--json')
    expect(failed.code).toBe(1)
    const firstId = json(failed.stdout).execution_id
    writeFileSync(join(wd, 'sent-ok'), '')
    const resumed = await cli('resume', firstId, '--json')
    expect(resumed.code).toBe(0)
    const out = json(resumed.stdout)
    expect(out).toMatchObject({ status: 'SUCCESS', trigger: 'resume', resumed_from: firstId })
    expect(out.steps[0]).toMatchObject({ reused_from: firstId, attempts: 0, status: 'SUCCESS' })
    expect(out.variables.rows).toBe(3)
    const again = await cli('resume', out.execution_id)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('nothing to resume')
  })

  it('--from-step and --only-step name the run their values came from; bad flags exit 2 with the reason', async () => {
    const wd = folder()
    const file = workflowFile([
      step(0, 'First', py(emit('{"v": 1}')), { output_mapping: { v: 'v' } }),
      step(1, 'Second', py(emit('{"twice": variables["v"] * 2}')))
    ])
    expect((await cli('run', file, '--python', PYTHON, '--workdir', wd)).code).toBe(0)
    const from = await cli('run', file, '--python', PYTHON, '--workdir', wd, '--from-step', 'Second', '--json')
    expect(from.code).toBe(0)
    const out = json(from.stdout)
    expect(out.resumed_from).toMatch(/^[0-9a-f-]{36}$/)
    expect(out.steps[0].reused_from).toBe(out.resumed_from)
    expect(out.steps[1].output).toEqual({ twice: 2 })
    expect(from.stderr).toContain(`Reusing the outputs of run ${out.resumed_from}`)
    const only = await cli('run', file, '--python', PYTHON, '--workdir', wd, '--only-step', 'step-1', '--json')
    expect(only.code).toBe(0)
    expect(json(only.stdout).steps.map((s: { id: string }) => s.id)).toEqual(['step-0', 'step-1'])

    const both = await cli('run', file, '--python', PYTHON, '--from-step', 'First', '--only-step', 'Second')
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--from-step and --only-step cannot be used together')
    const zero = await cli('run', file, '--python', PYTHON, '--max-parallel', '0')
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain('--max-parallel needs a whole number from 1 to 64, got "0"')
  })

  it('a workflow file with a cycle is refused naming the step and the field; exit 2', async () => {
    const file = workflowFile([
      step(0, 'A', py(emit('{}')), { depends_on: ['step-1'] }),
      step(1, 'B', py(emit('{}')), { depends_on: ['step-0'] })
    ])
    const r = await cli('run', file, '--python', PYTHON)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('steps[0] "A".depends_on: the steps depend on each other in a circle: A → B → A')
  })

  it('settings set checks the value by the same rules as the window; settings --json shows it', async () => {
    const bad = await cli('settings', 'set', 'max_parallel', '0')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('max_parallel: must be 1 or more')
    const unknown = await cli('settings', 'set', 'wheels', '"/x"')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('"wheels" is not a setting')
    expect((await cli('settings', 'set', 'package_offline', 'true')).code).toBe(0)
    expect(json((await cli('settings', '--json')).stdout).package_offline).toBe(true)
  })
})
