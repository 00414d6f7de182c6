// A Stepwise process killed in the middle of a run (a crash, a kill -9, a power cut): the next process to
// open the database marks that run INTERRUPTED, and leaves everything else as it was.
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCliBuilt, startCli } from './helpers/cli'
import { isRunning, killQuietly, readPids, waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, saveAndRun, step, workflow, withStore } from './helpers/workflows'

let dir: string
const leftovers: number[] = []
let cli: ChildProcess | null = null

beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-crash-')
}, 120_000)
afterAll(() => {
  if (cli && cli.exitCode === null) cli.kill('SIGKILL')
  killQuietly(leftovers)
  cleanupTempDirs()
})

describe.skipIf(process.platform === 'win32')('after a crash', () => {
  it('a run whose process died is INTERRUPTED (running step INTERRUPTED, pending SKIPPED); a live one is left alone; nothing else changes', async () => {
    // Something that happened before: another workflow with a finished run, in the same file.
    const services = openRealServices(dir)
    const dbPath = services.dbPath
    const otherWork = join(dir, 'other-work')
    mkdirSync(otherWork)
    const other = await saveAndRun(
      services,
      workflow('Other', [step(0, 'Fine', py(emit('{"ok": True}')), { output_mapping: { ok: 'ok' } })]),
      {
        workingDirectory: otherWork
      }
    )
    expect(other.status).toBe('SUCCESS')
    const otherWorkflow = services.store.getWorkflow(other.workflow_id)
    services.store.close()

    // The CLI runs a workflow whose second step sleeps; its Python writes its pid, then sleeps.
    const wd = join(dir, 'work')
    mkdirSync(wd)
    const pidfile = join(wd, 'sleeper.pid')
    const file = join(dir, 'crash.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Crashes',
        steps: [
          step(0, 'Quick', py('print("quick done", file=sys.stderr)', emit('{"a": 1}')), { output_mapping: { a: 'a' } }),
          step(
            1,
            'Sleeper',
            py(
              'print("going to sleep", file=sys.stderr)',
              `open(${JSON.stringify(pidfile)}, "w").write(str(os.getpid()))`,
              'time.sleep(30)'
            )
          ),
          step(2, 'Never', py('open("never.txt", "w").close()'))
        ]
      })
    )
    // The CLI's temp folders go to a folder of this test (TMPDIR), which is removed with it.
    const cliTmp = join(dir, 'cli-tmp')
    mkdirSync(cliTmp)
    cli = startCli(['run', file, '--db', dbPath, '--python', PYTHON, '--workdir', wd, '--json'], { env: { TMPDIR: cliTmp } })
    const cliPid = cli.pid!
    leftovers.push(cliPid)
    const exited = new Promise<void>((r) => cli!.once('exit', () => r()))
    const [sleeper] = await readPids(pidfile, 1, 15_000)
    leftovers.push(sleeper)

    // While the CLI lives, another process opening the database must not touch its run.
    const live = withStore(dbPath, (s) => {
      const [row] = s.db.prepare(`SELECT id, runner_pid FROM executions WHERE status = 'RUNNING'`).all() as {
        id: string
        runner_pid: number
      }[]
      expect(row.runner_pid).toBe(cliPid)
      return s.getExecution(row.id)
    })
    expect(live.status).toBe('RUNNING')
    expect(live.steps.map((s) => s.status)).toEqual(['SUCCESS', 'RUNNING', 'PENDING'])

    // Logs of a running step reach the database about once a second; give them that second.
    await new Promise((r) => setTimeout(r, 1500))

    // The crash: the CLI dies at once; its step's Python is left orphaned and is cleaned up by hand.
    cli.kill('SIGKILL')
    await exited
    expect(isRunning(sleeper)).toBe(true)
    killQuietly([sleeper])
    expect(await waitFor(() => !isRunning(sleeper), 3000)).toBe(true)

    withStore(dbPath, (s) => {
      const e = s.getExecution(live.id)
      expect(e.status).toBe('INTERRUPTED')
      expect(e.error).toBe('Stepwise stopped while this run was in progress.')
      expect(e.completed_at).not.toBeNull()
      expect(e.steps.map((x) => [x.name, x.status])).toEqual([
        ['Quick', 'SUCCESS'],
        ['Sleeper', 'INTERRUPTED'],
        ['Never', 'SKIPPED']
      ])
      // What finished before the crash is kept.
      expect(e.steps[0].logs).toBe('quick done\n')
      expect(e.steps[0].output).toEqual({ a: 1 })
      expect(e.variables).toEqual({ a: 1 })
      expect(e.steps[1].error).toContain('Interrupted')
      // What the interrupted step logged before the crash is kept too.
      expect(e.steps[1].logs).toBe('going to sleep\n')
      expect(e.steps[1].finished_at).not.toBeNull()
      expect(e.steps[2].started_at).toBeNull()
      expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok')
      // The other workflow and its run are untouched.
      expect(s.getWorkflow(otherWorkflow.id)).toEqual(otherWorkflow)
      expect(s.getExecution(other.id)).toEqual(other)
      expect(
        s
          .listWorkflows()
          .map((w) => w.name)
          .sort()
      ).toEqual(['Crashes', 'Other'])
      expect(s.listWorkflows().find((w) => w.name === 'Crashes')!.last_status).toBe('INTERRUPTED')
      // Marking happens once.
      expect(s.markInterrupted()).toBe(0)
    })
    expect(existsSync(join(wd, 'never.txt'))).toBe(false)
  })
})

describe('temp folders left by a crash', () => {
  it('are removed for finished normal runs, kept for debug runs and for runs of other databases', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const wd = join(dir, 'wd')
    mkdirSync(wd)
    const normal = await saveAndRun(services, workflow('n', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd })
    const debug = await saveAndRun(services, workflow('d', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd, debug: true })
    // What a killed process leaves: a folder of the normal run (it normally removes its own), and a stranger's.
    const leftover = join(services.tempRoot, `stepwise-${normal.id.slice(0, 8)}-x1`)
    const stranger = join(services.tempRoot, 'stepwise-0badc0de-x2')
    for (const f of [leftover, stranger]) mkdirSync(f)
    const debugFolder = dirname(debug.steps[0].script_path!)
    expect(await services.runner.sweepTempFolders()).toBe(1)
    expect(existsSync(leftover)).toBe(false)
    expect(existsSync(stranger)).toBe(true)
    expect(existsSync(debug.steps[0].script_path!)).toBe(true)
    expect(existsSync(debugFolder)).toBe(true)
    services.store.close()
  })
})
