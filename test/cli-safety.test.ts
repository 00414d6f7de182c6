// The CLI must not destroy work done in the app, and must not leave Python running when it is told to
// stop by a signal or a second Ctrl+C.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCliBuilt, runCli, startCli } from './helpers/cli'
import { isRunning, readPids, waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, hangWithChild, py, step, withStore } from './helpers/workflows'

let dir: string
let db: string
beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-cli-safety-')
  db = join(dir, 'cli.db')
}, 120_000)
afterAll(cleanupTempDirs)

describe('running a workflow file that is also stored', () => {
  it('updates the stored copy from the file, but not over edits made in the app, unless --replace', async () => {
    const file = join(dir, 'report.json')
    const write = (v: number) =>
      writeFileSync(file, JSON.stringify({ id: 'report', name: 'Report', steps: [step(0, 'A', py(emit(`{"v": ${v}}`)))] }))
    const run = (...extra: string[]) => runCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', dir, '--json', ...extra])

    write(1)
    expect((await run()).code).toBe(0)
    // Editing the file and running it again updates the stored workflow.
    write(2)
    const second = await run()
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout).step_outputs['step-0']).toEqual({ v: 2 })

    // Someone improves the workflow in the app: a second step.
    withStore(db, (s) => {
      const wf = s.getWorkflow('report')
      s.saveWorkflow({ ...wf, steps: [...wf.steps, step(1, 'B', py(emit('{"b": True}')))] })
    })
    // Running the old file again must not throw that away.
    const refused = await run()
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/"Report" \(report\) was changed in Stepwise since .*report\.json was last run/)
    expect(refused.stderr).toContain('--replace')
    expect(withStore(db, (s) => s.getWorkflow('report').steps.map((x) => x.name))).toEqual(['A', 'B'])
    // Running it by id runs the stored one; --replace lets the file win.
    expect(
      JSON.parse((await runCli(['run', 'report', '--db', db, '--python', PYTHON, '--workdir', dir, '--json'])).stdout).steps
    ).toHaveLength(2)
    const replaced = await run('--replace')
    expect(replaced.code).toBe(0)
    expect(withStore(db, (s) => s.getWorkflow('report').steps.map((x) => x.name))).toEqual(['A'])
  })

  it('refuses a timeout beyond a week instead of timing out at once', async () => {
    const file = join(dir, 'quick.json')
    writeFileSync(file, JSON.stringify({ name: 'Quick', steps: [step(0, 'A', py(emit('{}')))] }))
    const r = await runCli(['run', file, '--db', db, '--python', PYTHON, '--timeout', '3000000'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--timeout needs a number of seconds above 0 and at most 604800/)
  })
})

describe.skipIf(process.platform === 'win32')('signals', () => {
  async function startHanging(name: string, ignoreTerm = false) {
    const wd = join(dir, name)
    mkdirSync(wd)
    const pidfile = join(wd, 'pids')
    const file = join(dir, `${name}.json`)
    writeFileSync(
      file,
      JSON.stringify({
        name,
        steps: [
          step(
            0,
            'Hang',
            (ignoreTerm ? 'import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n' : '') + hangWithChild(JSON.stringify(pidfile))
          ),
          step(1, 'After', py('open("after.txt", "w").close()'))
        ]
      })
    )
    const cli = startCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', wd, '--json'])
    const out: Buffer[] = []
    cli.stdout!.on('data', (b: Buffer) => out.push(b))
    cli.stderr!.resume()
    const code = new Promise<number | null>((r) => cli.once('close', (c) => r(c)))
    const pids = await readPids(pidfile, 2)
    return { cli, code, pids, wd, stdout: () => Buffer.concat(out).toString('utf8') }
  }

  it('SIGTERM (a closing terminal, a kill) stops the run like Ctrl+C: CANCELLED, nothing left running', async () => {
    const h = await startHanging('term')
    try {
      h.cli.kill('SIGTERM')
      expect(await h.code).toBe(1)
      expect(JSON.parse(h.stdout()).status).toBe('CANCELLED')
      expect(await waitFor(() => h.pids.every((p) => !isRunning(p)), 3000)).toBe(true)
      expect(existsSync(join(h.wd, 'after.txt'))).toBe(false)
    } finally {
      if (h.cli.exitCode === null) h.cli.kill('SIGKILL')
    }
  })

  it('a second Ctrl+C quits at once and still ends the step and its child', async () => {
    // The script (and its child, which inherits that) ignores SIGTERM, so the first Ctrl+C has to wait out
    // the grace period; the second one must not.
    const h = await startHanging('twice', true)
    try {
      h.cli.kill('SIGINT')
      await new Promise((r) => setTimeout(r, 300))
      expect(h.cli.exitCode).toBeNull()
      h.cli.kill('SIGINT')
      expect(await h.code).toBe(130)
      expect(await waitFor(() => h.pids.every((p) => !isRunning(p)), 3000)).toBe(true)
    } finally {
      if (h.cli.exitCode === null) h.cli.kill('SIGKILL')
    }
  })
})
